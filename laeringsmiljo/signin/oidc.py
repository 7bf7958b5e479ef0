"""Signing in through OpenID Connect: ID-porten for municipality users, the staff's own
identity provider for office, Udir and admin users (settings.OIDC_PROVIDERS).

authlib does the protocol: the authorization code flow with PKCE (S256), `state` and `nonce`
kept in the session and checked, the code exchanged once, the ID token's signature checked
against the provider's keys and its `iss`, `aud`, `exp` and `nonce` verified. Here on top: the
`acr` level, and who the identity is. An identity is tied to a user only through
ExternalIdentity (made through an invitation link or by an administrator), never matched by
name, e-mail or group claims. The ID-porten `pid` is kept only as an HMAC with PID_HMAC_KEY,
and never written to a log or the audit trail."""

import hashlib
import hmac
import logging
import time

from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from authlib.oauth2.rfc7523 import PrivateKeyJWT, private_key_jwt_sign
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from requests import RequestException

from laeringsmiljo.audit import record
from laeringsmiljo.models import ExternalIdentity
from laeringsmiljo.signin.second_factor import SIGNED_IN_THROUGH

logger = logging.getLogger(__name__)

ID_TOKEN = "oidc_id_token"
# A verified identity no user is tied to yet, for the page that may tie it (the invitation).
UNBOUND = "oidc_unbound_identity"
UNBOUND_FOR = 10 * 60

REFUSALS = {
    "state": _(
        "Svaret fra innloggingstjenesten hørte ikke til en innlogging startet her, eller "
        "innloggingen var startet for lenge siden eller i en annen fane. Prøv igjen."
    ),
    "token": _(
        "Svaret fra innloggingstjenesten kunne ikke bekreftes, så innloggingen ble avvist. "
        "Prøv igjen."
    ),
    "provider": _("Innloggingen ble avbrutt eller avvist hos innloggingstjenesten."),
    "unreachable": _("Innloggingstjenesten svarte ikke. Prøv igjen om litt."),
    "acr": _(
        "Innloggingen hadde ikke høyt nok sikkerhetsnivå. Logg inn med en elektronisk ID på "
        "nivå betydelig eller høyt (for eksempel MinID, BankID eller Buypass)."
    ),
    "unknown_pid": _(
        "Du er ikke knyttet til noen kommune her ennå, og det er ikke laget noen bruker. Du "
        "får tilgang gjennom lenken Statsforvalteren sender til kommunens postmottak når "
        "kommunen er invitert: åpne lenken og logg inn med ID-porten derfra."
    ),
    "unknown_staff": _(
        "Brukeren din hos arbeidsgiveren er ikke knyttet til en bruker i tjenesten. Be den "
        "som administrerer tjenesten, om å knytte den til."
    ),
    "disabled": _("Brukeren din er deaktivert. Ta kontakt med den som administrerer tjenesten."),
    "locked": _(
        "Innloggingen for denne brukeren er sperret etter for mange feil passord. Prøv igjen "
        "senere, eller be den som administrerer tjenesten, om å oppheve sperren."
    ),
}


class SignInRefused(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self):
        return REFUSALS[self.reason]


def configured(name):
    return name in settings.OIDC_PROVIDERS


def pid_hash(pid):
    """The keyed hash the ID-porten pid is kept and looked up as."""
    key = settings.PID_HMAC_KEY.encode()
    return hmac.new(key, str(pid).strip().encode(), hashlib.sha256).hexdigest()


class ClientAssertion(PrivateKeyJWT):
    """private_key_jwt as ID-porten asks for it: the assertion's audience is the issuer, it
    lives two minutes, carries the key's id, and has a fresh jti each time (authlib would keep
    the first jti in a claims dict passed to it)."""

    def __init__(self, *, audience, key_id):
        super().__init__()
        self.audience = audience
        self.key_id = key_id

    def sign(self, auth, token_endpoint):
        return private_key_jwt_sign(
            RSAKey.import_key(auth.client_secret),
            client_id=auth.client_id,
            token_endpoint=self.audience,
            alg=self.alg,
            claims={},
            header={"kid": self.key_id} if self.key_id else {},
            expires_in=120,
        )


_clients = {}


def client(name):
    """authlib's client for the provider, made once per configuration (it keeps the provider's
    metadata and keys). The client authenticates with its secret (client_secret_post) or, when
    a key is configured, with an assertion signed by it (private_key_jwt)."""
    config = settings.OIDC_PROVIDERS[name]
    cache_key = (name, tuple(sorted(config.items())))
    if cache_key not in _clients:
        key = config.get("client_key")
        oauth = OAuth()
        oauth.register(
            name=name,
            client_id=config["client_id"],
            client_secret=key or config["client_secret"],
            server_metadata_url=f"{config['issuer']}/.well-known/openid-configuration",
            client_kwargs={
                "scope": config["scopes"],
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "private_key_jwt" if key else "client_secret_post",
            },
            client_auth_methods=(
                [ClientAssertion(audience=config["issuer"], key_id=config.get("client_key_id"))]
                if key
                else None
            ),
        )
        _clients[cache_key] = oauth.create_client(name)
    return _clients[cache_key]


def start(request, name, *, next_url):
    """Send the browser to the provider, with state, nonce and the PKCE challenge kept in the
    session."""
    config = settings.OIDC_PROVIDERS[name]
    request.session["oidc_next"] = next_url
    extra = {"ui_locales": request.LANGUAGE_CODE}
    if config["acr"]:
        extra["acr_values"] = config["acr"]
    # From SITE_URL, not the request: it must be the address registered with the provider.
    redirect_uri = settings.SITE_URL + reverse("oidc_callback", args=[name])
    return client(name).authorize_redirect(request, redirect_uri, **extra)


def _accepted_levels(name):
    asked = settings.OIDC_PROVIDERS[name]["acr"]
    if not asked:
        return None
    if name == "idporten":
        return settings.IDPORTEN_LEVELS[settings.IDPORTEN_LEVELS.index(asked) :]
    return [asked]


def verified_claims(request, name):
    """The ID token's claims for the callback, checked; SignInRefused when anything is
    wrong."""
    if request.GET.get("error"):
        raise SignInRefused("provider")
    config = settings.OIDC_PROVIDERS[name]
    oauth_client = client(name)
    try:
        token = oauth_client.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "values": [config["issuer"]]},
                "aud": {"essential": True, "values": [config["client_id"]]},
                "exp": {"essential": True},
            },
            leeway=0,
        )
    except OAuthError as error:
        if error.error == "mismatching_state":
            raise SignInRefused("state") from None
        logger.info("OpenID Connect sign-in refused (%s): %s", name, error.error)
        raise SignInRefused("token") from None
    except RequestException as error:
        logger.warning("OpenID Connect provider %s did not answer: %s", name, type(error).__name__)
        raise SignInRefused("unreachable") from None
    except (JoseError, ValueError) as error:
        # The claim that did not hold, never the claims' values.
        logger.info(
            "OpenID Connect sign-in refused (%s): %s %s",
            name,
            getattr(error, "error", type(error).__name__),
            getattr(error, "claim", ""),
        )
        raise SignInRefused("token") from None
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused("token")
    levels = _accepted_levels(name)
    if levels is not None and claims.get("acr") not in levels:
        raise SignInRefused("acr")
    request.session[ID_TOKEN] = token["id_token"]
    return claims


def subject_of(name, claims):
    """What the identity is kept as: the pid's hash for ID-porten, the stable subject (Entra
    ID's oid when it gives one) for the staff's provider."""
    if name == "idporten":
        pid = claims.get("pid")
        if not pid:
            raise SignInRefused("token")
        return pid_hash(pid)
    subject = claims.get("oid") or claims.get("sub")
    if not subject:
        raise SignInRefused("token")
    return str(subject)


def _locked(request, user):
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()})


def sign_in(request, *, user, name):
    """Sign the user in as having come through the provider, which checked the factors."""
    id_token = request.session.get(ID_TOKEN)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SIGNED_IN_THROUGH] = name
    request.session[ID_TOKEN] = id_token


@transaction.atomic
def refuse(*, name, reason, user=None):
    """Record a refused sign-in: the provider and the reason, never the pid."""
    record(
        actor=None,
        action="signin.oidc_refused",
        obj=user,
        after={"provider": name, "reason": reason},
    )


def finish(request, name):
    """The callback: the user the identity is tied to, signed in; SignInRefused otherwise
    (recorded). An identity no one is tied to is kept in the session for a page that may tie
    it (the invitation links), and that raises SignInRefused("unknown_pid" or
    "unknown_staff") too."""
    try:
        claims = verified_claims(request, name)
        subject = subject_of(name, claims)
    except SignInRefused as refusal:
        refuse(name=name, reason=refusal.reason)
        raise
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=name, subject=subject)
        .first()
    )
    if identity is None:
        reason = "unknown_pid" if name == "idporten" else "unknown_staff"
        request.session[UNBOUND] = {"provider": name, "subject": subject, "at": int(time.time())}
        refuse(name=name, reason=reason)
        raise SignInRefused(reason)
    user = identity.user
    if not user.is_active:
        refuse(name=name, reason="disabled", user=user)
        raise SignInRefused("disabled")
    if _locked(request, user):
        refuse(name=name, reason="locked", user=user)
        raise SignInRefused("locked")
    sign_in(request, user=user, name=name)
    with transaction.atomic():
        record(actor=user, action="signin.oidc", obj=user, after={"provider": name})
    return user


def unbound_identity(request, provider="idporten"):
    """The provider's identity verified in this session in the last ten minutes that no user
    is tied to (for ID-porten the pid's hash); or None."""
    held = request.session.get(UNBOUND)
    if not held or time.time() - held["at"] > UNBOUND_FOR:
        return None
    if held.get("provider", "idporten") != provider:
        return None
    return held["subject"]


@transaction.atomic
def bind(*, user, provider, subject, actor):
    """Tie an identity to a user (the invitation link does it, or an administrator)."""
    identity = ExternalIdentity.objects.create(user=user, provider=provider, subject=subject)
    record(actor=actor, action="signin.identity_bound", obj=user, after={"provider": provider})
    return identity


def end_session_url(request, name, id_token):
    """Where to send the browser so that the provider's session ends too, and back to the
    login page."""
    metadata = client(name).load_server_metadata()
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    from urllib.parse import urlencode

    params = {
        "post_logout_redirect_uri": settings.SITE_URL + reverse("login"),
        "client_id": settings.OIDC_PROVIDERS[name]["client_id"],
    }
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(params)}"
