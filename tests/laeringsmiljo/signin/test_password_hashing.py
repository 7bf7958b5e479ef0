"""Passwords are stored with Argon2id at the service's measured cost, and an older hash is
stored again so when its user signs in."""

import runpy
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests.factories import municipality_user

SETTINGS_FILE = Path(__file__).resolve().parents[3] / "laeringsmiljo" / "settings.py"
PASSWORD = "passord-for-test"


@pytest.fixture
def service_hashers(settings):
    """The hashers laeringsmiljo/settings.py gives (the test suite's own hash faster)."""
    settings.PASSWORD_HASHERS = runpy.run_path(str(SETTINGS_FILE))["PASSWORD_HASHERS"]


def test_a_new_password_is_stored_with_argon2id_at_the_measured_cost(service_hashers):
    assert make_password(PASSWORD).startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.parametrize("old", ["pbkdf2_sha256", "argon2"])
def test_signing_in_stores_an_older_hash_again_with_argon2id(client, db, service_hashers, old):
    user = municipality_user()
    if old == "argon2":
        # Django's own Argon2 cost: the same algorithm with other parameters.
        from django.contrib.auth.hashers import Argon2PasswordHasher

        user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    else:
        user.password = make_password(PASSWORD, hasher=old)
    user.save()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(PASSWORD)
