"""Failed passwords, counted by django-axes by username and by address: past the limit the
login page answers with when to try again, and an administrator can lift the lock in the
admin («Tilgangsforsøk») or with `manage.py axes_reset_username`."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils import timezone

from laeringsmiljo.times import date_and_time


def client_ip(request):
    """The address failures are counted by: the connection's, or behind LOGIN_PROXY_COUNT
    trusted proxies, the one the outermost of them saw in X-Forwarded-For. A proxy that is not
    trusted cannot choose the address that gets locked."""
    count = settings.LOGIN_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """The page for a sign-in refused because the username or the address is locked."""
    until = timezone.now() + settings.AXES_COOLOFF_TIME
    return render(
        request,
        "registration/locked_out.html",
        {
            "until": date_and_time(until),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "support_email": settings.SUPPORT_EMAIL,
        },
        status=429,
    )


def username_of(request, credentials=None):
    """The username failures are counted by, cut at the longest a username can be: a form
    posted with a longer one is refused anyway, and is still counted."""
    if credentials and credentials.get("username") is not None:
        username = credentials["username"]
    else:
        username = request.POST.get("username", "")
    return str(username)[: get_user_model()._meta.get_field("username").max_length]
