"""«Send inn» with the broker down: the submission counts, the receipt e-mail waits with the
reason on the receipt page, and it can be sent again once the broker is back."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from applications.models import Application
from selection.models import Letter
from tests.applications.factories import complete_application
from tests.broker import broker_away
from tests.factories import municipality_user
from tests.signin import sign_in

# Real commits, so that the e-mail is queued when the submission commits.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("migration_data")]

AWAY = "Køen for bakgrunnsjobber kunne ikke nås (Error 111 connecting to 127.0.0.1:1. Connection refused.)."


def test_send_inn_with_the_broker_away_counts_and_the_receipt_waits(client, mailoutbox):
    application = complete_application()
    sign_in(client, municipality_user(application.municipality))
    with broker_away():
        response = client.post(
            reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:receipt", args=[application.pk])
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Søknaden er sendt inn.",
        "Kvitteringen på e-post er ikke sendt ennå. Se kvitteringen for hva dere kan gjøre.",
    ]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert (
        application.reference
        == f"LMP{application.cohort.number}-{application.municipality.number}-1"
    )
    assert application.receipt_sent_for == ""
    assert mailoutbox == []
    receipt_letter = Letter.objects.get(application=application, kind="receipt")
    assert (receipt_letter.status, receipt_letter.failure) == (
        "venter",
        f"{AWAY} Brevet venter; prøv igjen.",
    )
    page = client.get(reverse("applications:receipt", args=[application.pk])).content.decode()
    assert f"Kvitteringen på e-post er ikke sendt ennå. {AWAY} Søknaden er mottatt likevel." in page
    assert "Send kvitteringen på nytt" in page

    # The broker is back.
    response = client.post(reverse("applications:resend_receipt", args=[application.pk]))
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Kvitteringen sendes på e-post."
    ]
    application.refresh_from_db()
    assert application.receipt_sent_for == application.reference
    assert [message.to for message in mailoutbox] == [
        [application.contact_email, application.municipality.email]
    ]
    page = client.get(reverse("applications:receipt", args=[application.pk])).content.decode()
    assert "Send kvitteringen på nytt" not in page


def test_a_receipt_already_sent_is_not_sent_again(client, mailoutbox):
    application = complete_application()
    sign_in(client, municipality_user(application.municipality))
    client.post(
        reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"}, follow=True
    )
    assert len(mailoutbox) == 1
    response = client.post(reverse("applications:resend_receipt", args=[application.pk]))
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Kvitteringen er allerede sendt på e-post."
    ]
    assert len(mailoutbox) == 1
