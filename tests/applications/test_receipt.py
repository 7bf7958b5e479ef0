"""The receipt says what happens next, with the dates of the office and Udir from the
database, in bokmål and nynorsk; and the declaration shows what is sent."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from applications import services
from laeringsmiljo.models import OfficeSchedule
from tests.applications.factories import complete_application
from tests.factories import GovernorOfficeFactory, OfficeScheduleFactory, municipality_user
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """A sent application whose office recommends by 15 March 2027; another office of the
    cohort has until 26 March; the kick-off gathering is 21 April, the formal start 1
    September."""
    application = complete_application()
    cohort = application.cohort
    cohort.kickoff_date = datetime.date(2027, 4, 21)
    cohort.start_date = datetime.date(2027, 9, 1)
    cohort.end_date = datetime.date(2029, 6, 30)
    cohort.save()
    OfficeSchedule.objects.filter(cohort=cohort).update(
        recommendation_deadline=datetime.date(2027, 3, 15)
    )
    OfficeScheduleFactory(
        cohort=cohort,
        office=GovernorOfficeFactory(),
        recommendation_deadline=datetime.date(2027, 3, 26),
    )
    return services.submit(application=application, actor=None)


def _receipt(client, application, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("applications:receipt", args=[application.pk])).content.decode()


def test_the_receipt_says_what_happens_next_with_the_dates(client, sent):
    sign_in(client, municipality_user(sent.municipality))
    office = sent.municipality.county.office.name
    page = _receipt(client, sent, "nb")
    assert '<h2 class="h4" id="neste-tittel">Hva skjer nå</h2>' in page
    assert (
        f"{office} vurderer søknaden mot kriteriene og sender innstillingen sin til Udir innen "
        "15. mars 2027."
    ) in page
    assert (
        "Udir velger ut kommunene når innstillingene fra alle embetene er kommet inn (den siste "
        "fristen for innstilling er 26. mars 2027), før oppstartssamlingen 21. april 2027."
    ) in page
    assert "Formell oppstart er 1. september 2027." in page
    # The steps come before the copy of what was sent.
    assert page.index('id="neste-tittel"') < page.index('id="del-kontakt"')


def test_the_receipt_says_what_happens_next_in_nynorsk(client, sent):
    sign_in(client, municipality_user(sent.municipality))
    office = sent.municipality.county.office.name
    page = _receipt(client, sent, "nn")
    assert '<h2 class="h4" id="neste-tittel">Kva skjer no</h2>' in page
    assert (
        f"{office} vurderer søknaden mot kriteria og sender innstillinga si til Udir innan "
        "15. mars 2027."
    ) in page
    assert "den siste fristen for innstilling er 26. mars 2027" in page
    assert "før oppstartssamlinga 21. april 2027" in page
    assert "Formell oppstart er 1. september 2027." in page


def test_the_receipt_shows_the_deadline_as_the_office_has_changed_it(client, sent):
    OfficeSchedule.objects.filter(office=sent.municipality.county.office).update(
        recommendation_deadline=datetime.date(2027, 3, 19)
    )
    sign_in(client, municipality_user(sent.municipality))
    assert "til Udir innen 19. mars 2027." in _receipt(client, sent, "nb")


def test_the_declaration_shows_what_is_sent_and_to_whom(client, db):
    application = complete_application()
    user = municipality_user(application.municipality)
    sign_in(client, user)
    page = client.get(reverse("applications:submit", args=[application.pk])).content.decode()
    preview = page[page.index('id="det-som-sendes"') : page.index('id="erklaering-tittel"')]
    municipality = application.municipality
    assert municipality.county.office.name in preview
    assert f"{municipality.number} {municipality.name}" in preview
    assert application.cohort.name in preview
    for text in [
        application.contact_name,
        application.contact_role,
        application.contact_email,
        application.contact_phone,
        application.ppt_service.name,
        application.ppt_contact_name,
        application.motivation_why,
        application.motivation_goals,
        application.motivation_priority,
        *(unit.school.name for unit in application.schools.all()),
        *(unit.motivation for unit in application.schools.all()),
        *(unit.kindergarten.name for unit in application.kindergartens.all()),
        *(unit.leader_name for unit in application.schools.all()),
    ]:
        assert text in preview, text
    assert "Opplysningene er riktige, og de som forplikter seg, har bekreftet" in page
