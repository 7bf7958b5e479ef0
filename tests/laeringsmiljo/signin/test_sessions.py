import time

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from laeringsmiljo.signin.inactivity import LAST_REQUEST
from tests.factories import municipality_user
from tests.signin import sign_in

PASSWORD = "passord-for-test"


def _age_session(client, seconds):
    session = client.session
    session[LAST_REQUEST] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_past_the_timeout_ends(client, db, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    sign_in(client, municipality_user())
    _age_session(client, 30 * 60 + 1)
    response = client.get(reverse("municipality_start"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    page = response.content.decode()
    assert "Du ble logget ut fordi du ikke hadde brukt tjenesten på 30 minutter" in page
    assert SESSION_KEY not in client.session


def test_a_session_used_within_the_timeout_goes_on(client, db, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    sign_in(client, municipality_user())
    _age_session(client, 29 * 60)
    assert client.get(reverse("municipality_start")).status_code == 200
    # The request counts as activity: the stamp is now, so the session lives on.
    assert int(time.time()) - client.session[LAST_REQUEST] < 60


def test_a_recent_stamp_is_not_written_again(client, db):
    user = municipality_user()
    sign_in(client, user)
    stamp = client.session[LAST_REQUEST]
    client.get(reverse("municipality_start"))
    assert client.session[LAST_REQUEST] == stamp


def test_changing_the_password_ends_the_other_sessions(db):
    user = municipality_user()
    here, elsewhere = Client(), Client()
    for browser in (here, elsewhere):
        assert (
            browser.post(
                reverse("login"), {"username": user.username, "password": PASSWORD}
            ).status_code
            == 302
        )
    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "et-nytt-langt-passord-42",
            "new_password2": "et-nytt-langt-passord-42",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    assert here.get(reverse("municipality_start")).status_code == 200
    response = elsewhere.get(reverse("municipality_start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
