"""«Glemt passordet?»: the request does the same whether or not the address belongs to a user,
and the lookup and the e-mail happen in a Celery task."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from laeringsmiljo.tasks import send_password_reset
from tests.broker import broker_away
from tests.factories import UserFactory


def _request_reset(client, email, capture):
    with capture(execute=False) as callbacks, CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("password_reset"), {"email": email})
    return response, callbacks, len(queries)


def test_the_request_is_the_same_for_a_known_and_an_unknown_address(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="kari@test.example")
    known, known_callbacks, known_queries = _request_reset(
        client, "kari@test.example", django_capture_on_commit_callbacks
    )
    unknown, unknown_callbacks, unknown_queries = _request_reset(
        client, "ingen@test.example", django_capture_on_commit_callbacks
    )
    assert (known.status_code, known["Location"]) == (302, reverse("password_reset_done"))
    assert (unknown.status_code, unknown["Location"]) == (302, reverse("password_reset_done"))
    # Nobody is looked up and nothing is sent while the request runs.
    assert known_queries == unknown_queries
    assert mailoutbox == []
    assert (len(known_callbacks), len(unknown_callbacks)) == (1, 1)
    for callback in unknown_callbacks:
        callback()
    assert mailoutbox == []
    for callback in known_callbacks:
        callback()
    assert [message.to for message in mailoutbox] == [["kari@test.example"]]


def test_password_reset_sends_a_norwegian_mail(
    client, db, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://laeringsmiljo.example"
    user = UserFactory(email="kari@test.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "kari@test.example"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert "Nytt passord" in mailoutbox[0].subject
    assert f"Brukernavnet ditt er {user.username}." in mailoutbox[0].body
    # The link is built from SITE_URL, never from the request's Host header.
    assert "https://laeringsmiljo.example/konto/passord/nullstill/" in mailoutbox[0].body


def test_the_task_writes_in_the_language_the_page_was_in(db, mailoutbox):
    user = UserFactory(email="kari@test.example")
    assert send_password_reset.apply(args=["KARI@test.example", "nn"]).get() == 1
    assert mailoutbox[0].subject == "Nytt passord til Læringsmiljøprosjektet"
    assert f"Brukarnamnet ditt er {user.username}." in mailoutbox[0].body
    assert translation.get_language() == "nb"


def test_the_task_sends_nothing_for_an_unknown_or_inactive_address(db, mailoutbox):
    UserFactory(email="borte@test.example", is_active=False)
    assert send_password_reset.apply(args=["borte@test.example", "nb"]).get() == 0
    assert send_password_reset.apply(args=["ingen@test.example", "nb"]).get() == 0
    assert send_password_reset.apply(args=["ikke en adresse", "nb"]).get() == 0
    assert mailoutbox == []


# A real commit, so that the e-mail is queued when the request commits.
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_away_the_page_says_to_try_again(client, mailoutbox):
    with broker_away():
        response = client.post(reverse("password_reset"), {"email": "ingen@test.example"})
    assert (response.status_code, response["Location"]) == (302, reverse("password_reset"))
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "E-posten kunne ikke sendes akkurat nå. Prøv igjen om noen minutter."
    ]
    assert mailoutbox == []
