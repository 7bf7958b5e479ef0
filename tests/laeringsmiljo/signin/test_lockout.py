import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory, municipality_user

PASSWORD = "passord-for-test"


def _login(client, username, password, ip="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_the_tenth_wrong_password_locks_the_username(client, db):
    user = UserFactory()
    for _ in range(9):
        response = _login(client, user.username, "feil")
        assert response.status_code == 200
        assert "Brukernavnet eller passordet er feil" in response.content.decode()
    response = _login(client, user.username, "feil")
    assert response.status_code == 429
    page = response.content.decode()
    assert "<title>Innloggingen er sperret" in page
    assert "10 mislykkede forsøk" in page
    assert "Prøv igjen etter" in page and " kl. " in page
    # The right password from another address is refused too while the username is locked.
    response = _login(client, user.username, PASSWORD, ip="198.51.100.7")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_failures_from_one_address_lock_the_address_for_every_username(client, db):
    other = UserFactory()
    for n in range(10):
        _login(client, f"finnes-ikke-{n}", "feil")
    response = _login(client, other.username, PASSWORD)
    assert response.status_code == 429
    response = _login(client, other.username, PASSWORD, ip="198.51.100.7")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)


def test_a_right_password_before_the_limit_clears_the_failures(client, db):
    user = municipality_user()
    for _ in range(9):
        _login(client, user.username, "feil")
    assert _login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(9):
        assert _login(client, user.username, "feil").status_code == 200


def test_the_limit_and_the_lock_time_are_settings(client, db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=5)
    user = UserFactory()
    for _ in range(2):
        assert _login(client, user.username, "feil").status_code == 200
    response = _login(client, user.username, "feil")
    assert response.status_code == 429
    assert "3 mislykkede forsøk" in response.content.decode()


def test_the_lock_ends_after_the_lock_time(client, db):
    user = UserFactory()
    for _ in range(10):
        _login(client, user.username, "feil")
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=31)
    )
    assert _login(client, user.username, PASSWORD).status_code == 302


def test_an_administrator_can_unlock_a_username(client, db):
    user = UserFactory()
    for _ in range(10):
        _login(client, user.username, "feil")
    call_command("axes_reset_username", user.username, verbosity=0)
    assert _login(client, user.username, PASSWORD).status_code == 302


def test_the_lockout_page_is_in_nynorsk_too(client, db):
    user = UserFactory()
    client.cookies["django_language"] = "nn"
    for _ in range(10):
        response = _login(client, user.username, "feil")
    assert response.status_code == 429
    assert "Innlogginga er sperra" in response.content.decode()


@pytest.mark.parametrize(
    ("count", "forwarded", "address"),
    [
        (0, "203.0.113.9", "192.0.2.10"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.1, 203.0.113.9", "203.0.113.9"),
        (2, "203.0.113.9", "192.0.2.10"),
    ],
)
def test_failures_are_counted_by_the_address_the_trusted_proxies_saw(
    rf, settings, count, forwarded, address
):
    from laeringsmiljo.signin.lockout import client_ip

    settings.LOGIN_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == address


def test_an_overlong_username_is_refused_and_counted(client, db):
    response = _login(client, "x" * 100_000, "feil")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 150
