"""What a user typed into a form that could not be taken, kept in the session and handed back
to the same form after logging in again: when the session had ended, or when the page's CSRF
token no longer held (the page was open too long, or the user signed in again in another tab).

A view that hands kept input back is wrapped in keep_post_on_timeout and calls
take_kept_input() when it shows its form.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

SESSION_KEY = "pending_section_post"


def keep_input(request):
    """Keep the posted fields (not the CSRF token, not files) for the form at this address."""
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    request.session[SESSION_KEY] = {"path": request.path, "data": data}


def take_kept_input(request):
    """The input kept for the form at this address, once, or None."""
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    data = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        data.setlist(key, values)
    return data


def hands_back_input(path):
    """Whether the view at this address gives kept input back to its form."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "hands_back_input", False)


def keep_post_on_timeout(view):
    """If the session has ended when the form is posted, keep what was typed and hand it back
    to the form after the user has logged in again."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated and request.method == "POST":
            keep_input(request)
            messages.info(
                request, _("Økten din var utløpt. Logg inn igjen, så får du tilbake det du skrev.")
            )
        return login_required(view)(request, *args, **kwargs)

    wrapper.hands_back_input = True
    return wrapper
