"""Signing in in tests: as the login page and the second factor leave a session (sign_in), or
through the pages as a person does (log_in)."""

import re
import time
from base64 import b32decode
from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from laeringsmiljo.models import Membership, Role
from laeringsmiljo.signin.second_factor import APP_DEVICE_NAME, PASSED

PASSWORD = "passord-for-test"


def is_staff_member(user):
    """Whether the user must pass the second factor (asked of the database, not of a cached
    Roles, so that a membership added after the user was made counts)."""
    user = get_user_model().objects.get(pk=user.pk)
    return (
        user.is_staff
        or user.is_superuser
        or Membership.objects.filter(user=user, role__in=[Role.OFFICE, Role.UDIR]).exists()
    )


def sign_in(client, user):
    """Sign the user in with the client, as the password and, for staff, the code from a
    confirmed authenticator app would: the session holds what passing them leaves in it."""
    client.force_login(user)
    if is_staff_member(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
        session = client.session
        session[PASSED] = device.persistent_id
        session.save()
    return user


def code_from_key(key, *, after=None, step=30, digits=6):
    """The code an authenticator app with the key (base32, as the page shows it) gives for the
    first time step after `after`: now, or the next step (within the one step of tolerance)
    when this one's code was used; waits for a later step when that one was used too."""
    key = b32decode("".join(key.split()))
    while True:
        now = int(time.time()) // step
        wanted = now if after is None or after < now else after + 1
        if wanted <= now + 1:
            totp = TOTP(key, step=step, digits=digits)
            totp.time = wanted * step
            return f"{totp.token():0{digits}d}"
        time.sleep(step - time.time() % step + 0.1)


def code_for(user):
    """A code the user's confirmed app gives, that the service has not taken before."""
    from base64 import b32encode

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return code_from_key(b32encode(device.bin_key).decode(), after=device.last_t)


MANUAL_KEY = re.compile(r'<code class="manual-key">([A-Z2-7 ]+)</code>')
RECOVERY_CODE = re.compile(r"<li><code>([a-z2-7]+)</code></li>")


def log_in(client, user, password=PASSWORD):
    """Log in through the login page, and for staff give the code from the app (setting it up
    at the first login, from the key the page shows). Returns the address the user is sent on
    to, and the recovery codes when the app was set up now."""
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()
    location = response["Location"]
    path = urlsplit(location).path
    codes = []
    if path == reverse("second_factor_enrol"):
        page = client.get(location).content.decode()
        key = MANUAL_KEY.search(page).group(1)
        response = client.post(location, {"code": code_from_key(key)})
        assert response.status_code == 302, response.content.decode()
        page = client.get(response["Location"]).content.decode()
        codes = RECOVERY_CODE.findall(page)
        location = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    elif path == reverse("second_factor"):
        response = client.post(location, {"code": code_for(user)})
        assert response.status_code == 302, response.content.decode()
        location = response["Location"]
    return unescape(location), codes
