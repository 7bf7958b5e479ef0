"""Where each role starts, the health check and the error pages; the start pages themselves
are in selection/followup/todo.py."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from laeringsmiljo.access import roles_of
from laeringsmiljo.forms import PasswordResetRequestForm
from laeringsmiljo.kept_input import hands_back_input, keep_input
from laeringsmiljo.uploads import UploadTooLarge


@login_required
def home(request):
    """Send each user to the start page of the role that sees the most."""
    roles = roles_of(request)
    if roles.is_udir:
        return redirect("udir_start")
    if roles.is_office:
        return redirect("office_start")
    if roles.is_municipality:
        return redirect("municipality_start")
    if request.user.is_staff:
        return redirect("admin:index")
    # Not a refusal: the user is where they should be, and the page says how to get access.
    return render(request, "laeringsmiljo/no_role.html", {"support_email": settings.SUPPORT_EMAIL})


class PasswordResetView(auth_views.PasswordResetView):
    """Queues the e-mail; only a broker that cannot be reached changes the answer, and that
    says nothing about the address."""

    form_class = PasswordResetRequestForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if not form.queued:
            messages.error(
                self.request,
                _("E-posten kunne ikke sendes akkurat nå. Prøv igjen om noen minutter."),
            )
            return redirect("password_reset")
        return response


def favicon(request):
    """For the pages that name no icon (the admin's, a letter's preview, a file): the site's."""
    return redirect(static("img/favicon.svg"))


def health(request):
    """Answers 200 when the web process and its database answer; for the container check."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def request_too_large(request, exception):
    """The Norwegian 413 page for a request past the size limits (laeringsmiljo/uploads.py)."""
    return render(
        request,
        "413.html",
        {
            "too_large_file": isinstance(exception, UploadTooLarge),
            "file_limit": settings.UPLOAD_MAX_FILE_BYTES // (1024 * 1024),
            "text_limit": formats.number_format(
                settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024), 1
            ),
            # The page that was posted: opening it again shows the form.
            "back": request.path if request.method == "POST" else "",
        },
        status=413,
    )


def error_400(request, exception=None):
    """A request the service cannot read; one past the size limits gets the 413 page."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request, exception)
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def _from_this_site(request):
    """Whether the browser says the form was posted from a page of this site."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return False
    parts = urlsplit(source)
    return (parts.scheme, parts.netloc) == (request.scheme, request.get_host())


def csrf_failure(request, reason=""):
    """A form posted with a CSRF token that no longer holds: the page was open too long, or the
    user signed in again in another tab. Explains it in the layout and, for a form of this
    site that gives kept input back, keeps what was typed as the session time-out does."""
    kept = request.method == "POST" and _from_this_site(request) and hands_back_input(request.path)
    if kept:
        keep_input(request)
    return render(
        request,
        "403_csrf.html",
        {
            "kept": kept,
            "back_url": request.path,
            "login_url": f"{reverse('login')}?{urlencode({'next': request.path})}",
        },
        status=403,
    )


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    """The error page in the user's language and in the layout, made without the database,
    which may be what failed: the language is read from the language cookie or the browser's
    Accept-Language, as LocaleMiddleware reads them, and the page is rendered without the
    request, so no context processor loads the session, the user or the roles. If even the
    layout cannot be rendered, a plain page in the same language."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        try:
            content = loader.get_template("500.html").render()
        except Exception:
            content = format_html(
                '<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title>'
                "</head><body><main><h1>{}</h1><p>{}</p></main></body></html>",
                translation.get_language(),
                _("Noe gikk galt"),
                _("Noe gikk galt hos oss"),
                _(
                    "Feilen er registrert. Det du lagret før feilen, er tatt vare på. Prøv igjen om litt."
                ),
            )
    return HttpResponseServerError(content)
