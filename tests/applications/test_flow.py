"""The whole application through the test client, from an empty draft to the receipt e-mail."""

import pytest
from django.urls import reverse

from applications.models import Application
from laeringsmiljo.models import AuditEvent
from selection.models import Invitation
from tests.applications.filling import fill_in_parts, post_section, units_of
from tests.applications.signing import everyone_confirms
from tests.factories import (
    CohortFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    municipality_user,
    office_user,
)
from tests.signin import sign_in


@pytest.fixture
def setting(db):
    municipality = MunicipalityFactory(name="Testvik", written_standard="nb")
    cohort = CohortFactory(number=5, name="Pulje 5")
    OfficeScheduleFactory(cohort=cohort, office=municipality.county.office)
    Invitation.objects.create(cohort=cohort, municipality=municipality)
    return {
        "municipality": municipality,
        "cohort": cohort,
        **units_of(municipality),
        "user": municipality_user(municipality, first_name="Kari", last_name="Nordmann"),
    }


def fill_in(client, application, setting):
    """Fill in every part as a user would, every signatory confirms through the link in their
    own e-mail, and return the application afterwards."""
    application = fill_in_parts(client, application, setting)
    assert len(everyone_confirms(client, application)) == 8
    application.refresh_from_db()
    return application


def test_a_municipality_applies_from_empty_draft_to_receipt_email(
    client, setting, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in(client, setting["user"])
    start = client.get(reverse("municipality_start"))
    assert "Start søknaden" in start.content.decode()
    response = client.post(
        reverse("applications:start", args=[setting["cohort"].pk, setting["municipality"].pk])
    )
    application = Application.objects.get()
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    assert application.contact_name == "Kari Nordmann"  # prefilled from the user

    detail = client.get(response["Location"])
    assert "Velg minst én skole." in detail.content.decode()

    application = fill_in(client, application, setting)
    detail = client.get(reverse("applications:detail", args=[application.pk]))
    assert detail.context["problems"] == []
    assert "Søknaden er komplett." in detail.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"}
        )
    assert sent["Location"] == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    number = setting["municipality"].number
    assert application.status == "sendt"
    assert application.reference == f"LMP5-{number}-1"
    receipt = client.get(sent["Location"])
    assert f"LMP5-{number}-1" in receipt.content.decode()

    assert len(mailoutbox) == 9  # eight requests to commit, then the receipt
    mail = mailoutbox[-1]
    assert mail.to == ["kari@testvik.example", setting["municipality"].email]
    assert f"LMP5-{number}-1" in mail.subject
    assert "Skole A" in mail.body and "Privat barnehage" in mail.body and "plan.pdf" in mail.body
    assert "Vi har mottatt søknaden fra Testvik kommune" in mail.body

    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[0] == "application.created"
    # The journal takes in the application and its attachment once the submission is in.
    assert actions[-3:] == ["application.submitted", "journal.post_added", "journal.post_added"]
    assert "application.section_saved.forpliktelser" in actions

    # The office of the county sees it in its list.
    officer = office_user(setting["municipality"].county.office)
    sign_in(client, officer)
    listing = client.get(reverse("applications:list"))
    row = listing.context["applications"][0]
    assert (row.pk, row.school_count, row.kindergarten_count) == (application.pk, 2, 2)
    assert f"LMP5-{number}-1" in listing.content.decode()


def test_a_submitted_application_is_read_only_for_the_municipality(client, setting):
    sign_in(client, setting["user"])
    client.post(
        reverse("applications:start", args=[setting["cohort"].pk, setting["municipality"].pk])
    )
    application = fill_in(client, Application.objects.get(), setting)
    client.post(reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"})
    response = post_section(client, application, "kontakt", {"contact_name": "Endret"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.contact_name == "Kari Nordmann"


def test_a_nynorsk_municipality_gets_its_receipt_in_nynorsk(
    client, setting, mailoutbox, django_capture_on_commit_callbacks
):
    setting["municipality"].written_standard = "nn"
    setting["municipality"].save()
    sign_in(client, setting["user"])
    client.post(
        reverse("applications:start", args=[setting["cohort"].pk, setting["municipality"].pk])
    )
    application = fill_in(client, Application.objects.get(), setting)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"})
    assert "Stadfest deltakinga i Læringsmiljøprosjektet" in mailoutbox[0].subject
    assert "Vi har motteke søknaden frå Testvik kommune" in mailoutbox[-1].body
    assert mailoutbox[-1].subject.startswith("Kvittering for søknad til Læringsmiljøprosjektet")


def test_a_municipality_that_is_not_invited_cannot_start(client, setting):
    Invitation.objects.all().delete()
    sign_in(client, setting["user"])
    assert "Start søknaden" not in client.get(reverse("municipality_start")).content.decode()
    response = client.post(
        reverse("applications:start", args=[setting["cohort"].pk, setting["municipality"].pk]),
        follow=True,
    )
    assert "Kommunen er ikke invitert til å søke på denne puljen." in response.content.decode()
    assert not Application.objects.exists()
