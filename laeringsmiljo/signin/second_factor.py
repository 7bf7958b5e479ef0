"""The second factor for staff who sign in with a password: a code from an authenticator app
(TOTP, django-otp's otp_totp) or, once each, one of ten recovery codes (otp_static).

Office, Udir and admin users (is_staff) must pass it after every password sign-in; the first
time they set the app up. Until they have passed it, the session is signed in for the pages of
the second factor only: every other page sees an anonymous user, so the rule holds for every
view, the admin and any access check alike, without a list of pages to guard. A session that
came from an identity provider (OpenID Connect) has had its factors checked there.

Passing it is kept in the session and not checked against the device at every request, so a
page costs no extra query: a device an administrator deletes stops the next sign-in, not the
sessions already verified with it (they end after SESSION_IDLE_TIMEOUT)."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from laeringsmiljo.access import roles_of
from laeringsmiljo.audit import record

# The persistent id of the device the session's user passed the second factor with.
PASSED = "second_factor_device"
# How the session was signed in when not with a password: the provider that checked the
# factors (laeringsmiljo/signin/oidc.py sets it).
SIGNED_IN_THROUGH = "signed_in_through"
RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Autentiseringsapp"
RECOVERY_DEVICE_NAME = "Gjenopprettingskoder"


def needs_second_factor(user):
    """Whether a user signing in with a password must pass a second factor: office and Udir
    staff and admin users. Municipality users are not asked (they move to ID-porten)."""
    return user.is_staff or user.is_superuser or roles_of(user).is_case_officer


def has_passed(request):
    """Whether the session has passed the second factor, or came from an identity provider."""
    return PASSED in request.session or SIGNED_IN_THROUGH in request.session


def mark_passed(request, device):
    """Keep in the session that its user passed the second factor with the device."""
    request.session[PASSED] = device.persistent_id


@receiver(user_logged_in)
def _forget_at_login(sender, request, user, **kwargs):
    # Every sign-in asks again, also of the same user in a session that had passed it.
    if request is not None and hasattr(request, "session"):
        request.session.pop(PASSED, None)
        request.session.pop(SIGNED_IN_THROUGH, None)


class SecondFactorMiddleware:
    """Until the second factor is passed, the request's user is anonymous for everything but
    the pages of the second factor, which find the user in awaiting_second_factor(). Like
    InactivityMiddleware (which it follows) it decides when the request first asks who its
    user is, so that a request that never does reads neither the session nor the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.user = SimpleLazyObject(lambda: _checked(request, user))
        return self.get_response(request)


def _checked(request, user):
    if not user.is_authenticated or has_passed(request) or not needs_second_factor(user):
        return user
    request._awaiting_second_factor = user
    return AnonymousUser()


def awaiting_second_factor(request):
    """The user who has given the password but not yet the second factor, or None."""
    request.user.is_authenticated  # noqa: B018 - asking is what works it out
    return getattr(request, "_awaiting_second_factor", None)


def app_device(user):
    """The user's confirmed authenticator app, or None: then the user must set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_app_device(user):
    """The app being set up: the same key until it is confirmed, so that a reload of the page
    does not change the code the user has just scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def manual_key(device):
    """The app's key as the user types it into an app without a camera: base32 in groups of
    four."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def current_code(device):
    """The code the device's app shows now, or in the next time step when this one's code has
    been used (the service takes each code once, and one step ahead): for the demo's
    `manage.py demo_code`."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    wanted = max(totp.t(), device.last_t + 1)
    totp.time = device.t0 + (wanted - device.drift) * device.step
    return f"{totp.token():0{device.digits}d}"


@dataclass(frozen=True)
class Outcome:
    """What a code given for the second factor came to."""

    device: object = None
    recovery_codes_left: int | None = None
    locked_until: object = None

    @property
    def passed(self):
        return self.device is not None


def _normalised(code):
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def enrol(*, user, device, code):
    """Confirm the app being set up with a code it shows, and give the user new recovery codes
    (the old ones stop working). Returns (Outcome, the recovery codes)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return Outcome(locked_until=details.get("locked_until")), []
    if not device.verify_token(_normalised(code)):
        record(actor=user, action="signin.second_factor_refused", obj=user, after={"step": "enrol"})
        return Outcome(), []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=token) for token in codes)
    record(
        actor=user,
        action="signin.second_factor_enrolled",
        obj=user,
        after={"device": device.name, "recovery_codes": len(codes)},
    )
    return Outcome(device=device), codes


@transaction.atomic
def verify(*, user, code):
    """Check a code for the second factor: six digits from the app, or otherwise one of the
    recovery codes, which then stops working. A wrong code is recorded, and each wrong code in
    a row doubles the wait before the next is tried (django-otp's throttling)."""
    code = _normalised(code)
    if code.isdigit() and len(code) == 6:
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        kind = "app"
    else:
        device = StaticDevice.objects.select_for_update().filter(user=user).first()
        kind = "recovery_code"
    if device is None:
        record(actor=user, action="signin.second_factor_refused", obj=user, after={"kind": kind})
        return Outcome()
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return Outcome(locked_until=details.get("locked_until"))
    if not device.verify_token(code):
        record(
            actor=user,
            action="signin.second_factor_refused",
            obj=user,
            after={"kind": kind, "failures_in_a_row": device.throttling_failure_count},
        )
        return Outcome()
    if kind == "app":
        return Outcome(device=device)
    left = device.token_set.count()
    record(
        actor=user,
        action="signin.recovery_code_used",
        obj=user,
        after={"recovery_codes_left": left},
    )
    return Outcome(device=device, recovery_codes_left=left)
