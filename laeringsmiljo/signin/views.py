"""The login page and the pages of the second factor: set up the app, give a code, see the
recovery codes once."""

from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from laeringsmiljo.forms import LoginForm
from laeringsmiljo.signin import oidc, second_factor
from laeringsmiljo.times import date_and_time

RECOVERY_CODES_TO_SHOW = "recovery_codes_to_show"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("Skriv inn koden.")},
    )


def _next(request):
    """Where the user was going, if it is a page of this site; the start page otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _step_url(user, next_url):
    name = "second_factor" if second_factor.app_device(user) else "second_factor_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


PROVIDER_BUTTONS = [
    ("idporten", gettext_lazy("Logg inn med ID-porten")),
    ("staff", gettext_lazy("Logg inn som ansatt")),
]


class LoginView(auth_views.LoginView):
    """The login page. A user who must pass a second factor goes on to it after the password,
    and comes back to it from any page until it is passed."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        user = second_factor.awaiting_second_factor(request)
        if user is not None:
            return redirect(_step_url(user, _next(request)))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_url = context.get("next")
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        context["oidc_buttons"] = [
            (reverse("oidc_start", args=[name]) + query, label)
            for name, label in PROVIDER_BUTTONS
            if oidc.configured(name)
        ]
        return context

    def get_success_url(self):
        url = super().get_success_url()
        user = self.request.user
        if second_factor.needs_second_factor(user) and not second_factor.has_passed(self.request):
            return _step_url(user, url)
        return url


def _awaiting_or_login(request):
    """(the user awaiting the second factor, None), or (None, where to go instead): the login
    page for one who has not given the password, the page asked for by one who has passed."""
    user = second_factor.awaiting_second_factor(request)
    if user is not None:
        return user, None
    if request.user.is_authenticated:
        return None, redirect(_next(request))
    return None, redirect("login")


def _locked_message(outcome):
    return _(
        "Du har skrevet feil kode flere ganger etter hverandre. Vent til %(time)s, og prøv igjen."
    ) % {"time": date_and_time(outcome.locked_until, seconds=True)}


WRONG_CODE = gettext_lazy(
    "Koden stemmer ikke. Skriv inn de seks sifrene appen viser nå, eller en av "
    "gjenopprettingskodene dine."
)


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """Give the code from the app, or a recovery code, after the password."""
    user, elsewhere = _awaiting_or_login(request)
    if elsewhere:
        return elsewhere
    if second_factor.app_device(user) is None:
        return redirect(_step_url(user, _next(request)))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = second_factor.verify(user=user, code=form.cleaned_data["code"])
        if outcome.passed:
            second_factor.mark_passed(request, outcome.device)
            if outcome.recovery_codes_left is not None:
                request.session["recovery_codes_left"] = outcome.recovery_codes_left
                return redirect(
                    f"{reverse('recovery_code_used')}?{urlencode({'next': _next(request)})}"
                )
            return redirect(_next(request))
        form.add_error("code", _locked_message(outcome) if outcome.locked_until else WRONG_CODE)
    return render(
        request,
        "registration/second_factor.html",
        {"form": form, "next": _next(request), "pending_user": user},
    )


@never_cache
@sensitive_post_parameters("code")
def enrol(request):
    """Set up the authenticator app: scan the QR code or type the key, give one code."""
    user, elsewhere = _awaiting_or_login(request)
    if elsewhere:
        return elsewhere
    if second_factor.app_device(user) is not None:
        # Set up already: only an administrator can start over (by deleting the device), so
        # that a password alone never sets up a new app.
        return redirect(_step_url(user, _next(request)))
    device = second_factor.pending_app_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome, codes = second_factor.enrol(
            user=user, device=device, code=form.cleaned_data["code"]
        )
        if outcome.passed:
            second_factor.mark_passed(request, outcome.device)
            request.session[RECOVERY_CODES_TO_SHOW] = codes
            return redirect(f"{reverse('recovery_codes')}?{urlencode({'next': _next(request)})}")
        form.add_error("code", _locked_message(outcome) if outcome.locked_until else WRONG_CODE)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/second_factor_enrol.html",
        {
            "form": form,
            "next": _next(request),
            "pending_user": user,
            "qr_svg": qr.svg_inline(scale=5, border=4, light="#fff", omitsize=False),
            "manual_key": second_factor.manual_key(device),
        },
    )


@never_cache
def recovery_codes(request):
    """The recovery codes, shown once right after the app is set up."""
    if not request.user.is_authenticated:
        return redirect("login")
    codes = request.session.pop(RECOVERY_CODES_TO_SHOW, None)
    if not codes:
        return redirect(_next(request))
    return render(
        request, "registration/recovery_codes.html", {"codes": codes, "next": _next(request)}
    )


@never_cache
def recovery_code_used(request):
    """After a recovery code: how many are left, and how to get the app back."""
    if not request.user.is_authenticated:
        return redirect("login")
    left = request.session.pop("recovery_codes_left", None)
    if left is None:
        return redirect(_next(request))
    return render(
        request,
        "registration/recovery_code_used.html",
        {"left": left, "next": _next(request), "support_email": settings.SUPPORT_EMAIL},
    )


# The providers as the page that sends the browser on to them names them.
PROVIDER_NAMES = {
    "idporten": gettext_lazy("ID-porten"),
    "staff": gettext_lazy("arbeidsgiverens innlogging"),
}


class LogoutView(auth_views.LogoutView):
    """Logging out of a session that came from an identity provider ends the provider's
    session too (its end_session_endpoint), and comes back to the login page."""

    def post(self, request, *args, **kwargs):
        name = request.session.get(second_factor.SIGNED_IN_THROUGH)
        id_token = request.session.get(oidc.ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        if name and oidc.configured(name):
            try:
                url = oidc.end_session_url(request, name, id_token)
            except oidc.RequestException:
                url = None  # logged out here; the provider's session ends with its own time
            if url:
                return render(
                    request,
                    "registration/logging_out_provider.html",
                    {"end_session_url": url, "provider": PROVIDER_NAMES[name]},
                )
        return response


def takes_unbound_identity(path):
    """Whether the page at this address may tie a verified identity no one holds yet to a
    user (the invitation link's page)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "takes_unbound_identity", False)


def _refused(request, name, message, status=403):
    return render(
        request,
        "registration/oidc_refused.html",
        {"message": message, "provider": dict(PROVIDER_BUTTONS).get(name), "name": name},
        status=status,
    )


@never_cache
def oidc_start(request, name):
    """Go to the identity provider to sign in."""
    if not oidc.configured(name):
        raise Http404
    try:
        return oidc.start(request, name, next_url=_next(request))
    except oidc.RequestException:
        return _refused(request, name, oidc.REFUSALS["unreachable"], status=503)


@never_cache
def oidc_callback(request, name):
    """The provider's answer: signed in, on to the page asked for; or a page saying why not."""
    if not oidc.configured(name):
        raise Http404
    next_url = request.session.pop("oidc_next", None) or reverse(settings.LOGIN_REDIRECT_URL)
    try:
        oidc.finish(request, name)
    except oidc.SignInRefused as refusal:
        if refusal.reason in ("unknown_pid", "unknown_staff") and takes_unbound_identity(next_url):
            return redirect(next_url)
        return _refused(request, name, refusal.message)
    return redirect(next_url)


STAFF_LINK = "staff_invitation_token"


@never_cache
def staff_invitation_link(request, token):
    """The link from the staff invitation e-mail: keep it in the session and go on to a page
    whose address does not hold the token."""
    request.session[STAFF_LINK] = token
    return redirect("staff_invitation")


@never_cache
def staff_invitation(request):
    """Take the staff invitation: sign in at the staff's identity provider from here, and the
    identity it verified is tied to the invited user, who is then signed in."""
    from laeringsmiljo.signin import staff_invitations

    if not oidc.configured("staff"):
        raise Http404
    token = request.session.get(STAFF_LINK)
    try:
        user = staff_invitations.invited_user(token)
    except staff_invitations.InvitationError as error:
        return _invitation_refused(request, error.message)
    identity = oidc.unbound_identity(request, "staff")
    if request.method == "POST" and identity:
        try:
            user = staff_invitations.accept_staff_invitation(token=token, subject=identity)
        except staff_invitations.InvitationError as error:
            return _invitation_refused(request, error.message)
        request.session.pop(STAFF_LINK, None)
        request.session.pop(oidc.UNBOUND, None)
        oidc.sign_in(request, user=user, name="staff")
        messages.success(
            request,
            _("Innloggingen din hos arbeidsgiveren er nå knyttet til brukeren din."),
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "registration/staff_invitation.html",
        {"invited": user, "identity": identity},
    )


# A staff sign-in started from this page comes back here with its identity.
staff_invitation.takes_unbound_identity = True


def _invitation_refused(request, message):
    return render(
        request,
        "registration/oidc_refused.html",
        {"message": message, "title": _("Invitasjonen kan ikke brukes")},
        status=410,
    )
