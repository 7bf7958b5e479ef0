"""«Prøv igjen» and publishing with the broker down: the change stays, the letter waits with
the reason, and it is made once the broker is back."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from applications import services as application_services
from laeringsmiljo.models import AuditEvent
from selection.letters import services as letters
from selection.models import Decision, Invitation, Letter, LetterBatch, Publication
from tests.applications.factories import complete_application
from tests.broker import broker_away
from tests.factories import MunicipalityFactory, OfficeScheduleFactory, office_user, udir_user
from tests.signin import sign_in

# Real commits, so that the work is queued when the request's transaction commits.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migration_data")]

AWAY = "Køen for bakgrunnsjobber kunne ikke nås (Error 111 connecting to 127.0.0.1:1. Connection refused.)."


def _failed_letter():
    municipality = MunicipalityFactory(name="Fjordvik")
    schedule = OfficeScheduleFactory(office=municipality.county.office)
    Invitation.objects.create(cohort=schedule.cohort, municipality=municipality)
    letter, _ = letters.request_letter(
        kind="invitation", cohort=schedule.cohort, municipality=municipality, reference="R-1"
    )
    letters.mark_failed(letter_id=letter.pk, reason="Brevet kunne ikke lagres: disken er full")
    return letter, municipality.county.office


def test_prov_igjen_with_the_broker_away_leaves_the_letter_waiting_with_the_reason(client):
    letter, office = _failed_letter()
    sign_in(client, office_user(office))
    url = reverse("selection:retry", args=[letter.pk])
    with broker_away():
        response = client.post(url)
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "venter"
    assert letter.failure == f"{AWAY} Brevet venter; prøv igjen."
    assert [m.message for m in get_messages(response.wsgi_request)] == [letter.failure]
    page = client.get(reverse("selection:letters", args=[letter.cohort_id])).content.decode()
    assert "Brevet venter; prøv igjen." in page
    retried = AuditEvent.objects.get(action="letter.retried")
    assert (retried.before, retried.after) == (
        {"status": "feilet", "send_status": "ikke_sendt"},
        {"status": "venter", "send_status": "ikke_sendt"},
    )

    response = client.post(url)  # the broker is back
    letter.refresh_from_db()
    assert letter.status == "laget"
    assert letter.failure == ""
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Brevet er lagt i køen på nytt."
    ]


def test_publishing_with_the_broker_away_publishes_and_the_decision_letters_wait(client):
    application = complete_application()
    application = application_services.submit(application=application, actor=None)
    Decision.objects.create(application=application, outcome="valgt", reason="Sterk søknad.")
    cohort = application.cohort
    sign_in(client, udir_user())
    with broker_away():
        response = client.post(reverse("selection:publish", args=[cohort.pk]))
    assert response.status_code == 302
    assert Publication.objects.filter(cohort=cohort).exists()
    assert not LetterBatch.objects.filter(purpose="decisions").exists()
    page = client.get(reverse("selection:letters", args=[cohort.pk])).content.decode()
    assert f"Vedtaksbrevene er ikke startet. {AWAY}" in page

    client.post(reverse("selection:start_decisions", args=[cohort.pk]))  # the broker is back
    assert Letter.objects.get(application=application, kind="decision_selected").status == "laget"
    page = client.get(reverse("selection:letters", args=[cohort.pk])).content.decode()
    assert "Vedtaksbrevene er ikke startet." not in page
