"""A signed-in session ends after SESSION_IDLE_TIMEOUT seconds without a request.

The time of the last request is kept in the session, but written only when it is more than a
tenth of the timeout old (at most once every five minutes), so that a page view does not write
the session each time: a session therefore ends between nine tenths of the timeout and the
timeout after the last request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject
from django.utils.translation import ngettext

LAST_REQUEST = "last_request_at"


def _step():
    return min(settings.SESSION_IDLE_TIMEOUT // 10, 5 * 60)


@receiver(user_logged_in)
def _stamp_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_REQUEST] = int(time.time())


class InactivityMiddleware:
    """Ends a session idle past the timeout when the request first asks who its user is, so
    that a request that never does (a static file, the error page) reads no session. The view
    then sees a request without a session: the login page, with kept input for a form that
    keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.user = SimpleLazyObject(lambda: _checked(request, user))
        return self.get_response(request)


def _checked(request, user):
    if not user.is_authenticated:
        return user
    now = int(time.time())
    last = request.session.get(LAST_REQUEST)
    if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
        # As logout() does, without asking request.user, which is being worked out here.
        user_logged_out.send(sender=user.__class__, request=request, user=user)
        request.session.flush()
        if request.method != "POST":
            minutes = settings.SESSION_IDLE_TIMEOUT // 60
            messages.info(
                request,
                ngettext(
                    "Du ble logget ut fordi du ikke hadde brukt tjenesten på %(minutes)d minutt. Logg inn igjen.",
                    "Du ble logget ut fordi du ikke hadde brukt tjenesten på %(minutes)d minutter. Logg inn igjen.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        return AnonymousUser()
    if last is None or now - last >= _step():
        request.session[LAST_REQUEST] = now
    return user
