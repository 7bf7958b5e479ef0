"""Signing in through OpenID Connect against a real provider on 127.0.0.1 (tests/oidc):
ID-porten's identities tied only through the invitation link or by an administrator, the pid
kept only as a keyed hash, the staff by their subject; and every bad answer refused with a
Norwegian page, nothing made, the attempt recorded without the pid."""

import logging
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse

from laeringsmiljo.models import AuditEvent, ExternalIdentity
from laeringsmiljo.signin.oidc import pid_hash
from tests.applications.test_access_links import send_link
from tests.factories import municipality_user, office_user
from tests.oidc_provider import PIDS, through_provider

pytestmark = pytest.mark.django_db


def _start(client, name="idporten", next_url=None):
    url = reverse("oidc_start", args=[name]) + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302
    return response["Location"]


def _sign_in(client, account, name="idporten", next_url=None):
    callback = through_provider(_start(client, name, next_url), account)
    return client.get(callback), callback


def _bound(user, account):
    return ExternalIdentity.objects.create(
        user=user, provider="idporten", subject=pid_hash(PIDS[account])
    )


def test_the_authorization_request_asks_for_pkce_state_nonce_and_the_level(client, oidc):
    query = parse_qs(urlsplit(_start(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["state"][0] and query["nonce"][0]
    assert query["acr_values"] == ["idporten-loa-substantial"]
    assert query["scope"] == ["openid profile"]
    assert query["client_id"] == ["laeringsmiljo-idporten"]
    assert query["redirect_uri"] == ["http://testserver/konto/oidc/idporten/svar/"]


def test_a_municipality_user_tied_to_the_pid_signs_in_with_id_porten(client, oidc):
    user = municipality_user()
    _bound(user, "kari")
    response, _callback = _sign_in(client, "kari")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/kommune/").status_code == 200
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_client_with_a_key_signs_in_by_private_key_jwt(client, oidc, settings):
    settings.OIDC_PROVIDERS = oidc.key_client_settings()
    user = municipality_user()
    _bound(user, "kari")
    start = _start(client)
    assert parse_qs(urlsplit(start).query)["client_id"] == ["laeringsmiljo-idporten-nokkel"]
    response = client.get(through_provider(start, "kari"))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_client_signing_with_a_key_the_provider_does_not_know_is_refused(client, oidc, settings):
    from joserfc.jwk import RSAKey

    other = RSAKey.generate_key(2048, parameters={"kid": "laeringsmiljo-test-1"})
    settings.OIDC_PROVIDERS = oidc.key_client_settings(key=other)
    _bound(municipality_user(), "kari")
    response = client.get(through_provider(_start(client), "kari"))
    _refused(response, "kunne ikke bekreftes")
    assert "_auth_user_id" not in client.session


def _refused(response, text):
    assert response.status_code == 403
    page = response.content.decode()
    assert "<title>Innloggingen ble ikke fullført" in page
    assert text in page
    return page


def _refusals():
    return list(
        AuditEvent.objects.filter(action="signin.oidc_refused")
        .order_by("pk")
        .values_list("after", flat=True)
    )


def _no_pid_anywhere():
    """No pid in clear text in the audit trail or the identities."""
    stored = " ".join(
        str(row) for row in AuditEvent.objects.values_list("before", "after", "object_repr")
    ) + " ".join(ExternalIdentity.objects.values_list("subject", flat=True))
    for pid in PIDS.values():
        assert pid not in stored


def test_the_pid_is_kept_only_as_a_keyed_hash(settings, oidc):
    assert pid_hash(PIDS["kari"]) != pid_hash(PIDS["harald"])
    assert len(pid_hash(PIDS["kari"])) == 64
    assert PIDS["kari"] not in pid_hash(PIDS["kari"])
    before = pid_hash(PIDS["kari"])
    settings.PID_HMAC_KEY = "en-annen-nokkel-" + "q" * 32
    assert pid_hash(PIDS["kari"]) != before


def test_a_higher_level_than_asked_is_taken(client, oidc):
    _bound(municipality_user(), "harald")
    response, _callback = _sign_in(client, "harald")
    assert response["Location"] == "/"


def test_a_lower_level_than_asked_is_refused(client, oidc):
    _bound(municipality_user(), "lav")
    response, _callback = _sign_in(client, "lav")
    _refused(response, "Innloggingen hadde ikke høyt nok sikkerhetsnivå.")
    assert "_auth_user_id" not in client.session
    assert _refusals() == [{"provider": "idporten", "reason": "acr"}]


def test_an_unknown_pid_is_told_how_to_get_access_and_no_user_is_made(client, oidc, caplog):
    caplog.set_level(logging.DEBUG)
    users = get_user_model().objects.count()
    response, _callback = _sign_in(client, "ukjent")
    _refused(response, "Du får tilgang gjennom lenken Statsforvalteren sender")
    assert get_user_model().objects.count() == users
    assert ExternalIdentity.objects.count() == 0
    assert "_auth_user_id" not in client.session
    assert _refusals() == [{"provider": "idporten", "reason": "unknown_pid"}]
    _no_pid_anywhere()
    assert PIDS["ukjent"] not in caplog.text


def test_a_pid_is_never_matched_by_name_or_e_mail(client, oidc):
    municipality_user(first_name="Kari", last_name="Nordmann", username=PIDS["kari"])
    response, _callback = _sign_in(client, "kari")
    _refused(response, "Du får tilgang gjennom lenken")


@pytest.mark.parametrize(
    ("account", "why"),
    [
        ("feil-aud", "invalid_claim aud"),
        ("feil-iss", "invalid_claim iss"),
        ("feil-nonce", "invalid_claim nonce"),
        ("utlopt", "expired_token exp"),
    ],
)
def test_an_id_token_that_does_not_hold_is_refused(client, oidc, caplog, account, why):
    """The provider signs, with its own key, an ID token for Kari that is wrong in one way."""
    caplog.set_level(logging.INFO, logger="laeringsmiljo.signin.oidc")
    _bound(municipality_user(), "kari")
    response, _callback = _sign_in(client, account)
    _refused(response, "Svaret fra innloggingstjenesten kunne ikke bekreftes")
    assert [r.getMessage() for r in caplog.records if r.name == "laeringsmiljo.signin.oidc"] == [
        f"OpenID Connect sign-in refused (idporten): {why}"
    ]
    assert "_auth_user_id" not in client.session
    assert _refusals() == [{"provider": "idporten", "reason": "token"}]


def test_a_wrong_state_is_refused(client, oidc):
    _bound(municipality_user(), "kari")
    callback = through_provider(_start(client), "kari")
    response = client.get(callback.replace("state=", "state=x"))
    _refused(response, "Svaret fra innloggingstjenesten hørte ikke til en innlogging startet her")
    assert "_auth_user_id" not in client.session
    assert _refusals() == [{"provider": "idporten", "reason": "state"}]


def test_a_callback_from_a_sign_in_started_in_another_browser_is_refused(client, oidc):
    from django.test import Client

    _bound(municipality_user(), "kari")
    callback = through_provider(_start(Client()), "kari")
    _refused(client.get(callback), "hørte ikke til en innlogging startet her")


def test_a_replayed_code_is_refused(client, oidc):
    user = municipality_user()
    _bound(user, "kari")
    response, callback = _sign_in(client, "kari")
    assert response.status_code == 302
    client.logout()
    # The same answer again: its state was used.
    _refused(client.get(callback), "hørte ikke til en innlogging startet her")
    # The old code with the state of a new sign-in: the provider refuses the code.
    code = parse_qs(urlsplit(callback).query)["code"][0]
    state = parse_qs(urlsplit(_start(client)).query)["state"][0]
    response = client.get(
        f"{reverse('oidc_callback', args=['idporten'])}?code={code}&state={state}"
    )
    _refused(response, "Svaret fra innloggingstjenesten kunne ikke bekreftes")
    assert "_auth_user_id" not in client.session
    assert [r["reason"] for r in _refusals()] == ["state", "token"]


def test_an_answer_with_an_error_from_the_provider_is_refused(client, oidc):
    state = parse_qs(urlsplit(_start(client)).query)["state"][0]
    response = client.get(
        f"{reverse('oidc_callback', args=['idporten'])}?error=access_denied&state={state}"
    )
    _refused(response, "Innloggingen ble avbrutt eller avvist hos innloggingstjenesten.")


def test_a_disabled_user_is_refused(client, oidc):
    user = municipality_user(is_active=False)
    _bound(user, "kari")
    response, _callback = _sign_in(client, "kari")
    _refused(response, "Brukeren din er deaktivert.")
    assert "_auth_user_id" not in client.session
    assert _refusals() == [{"provider": "idporten", "reason": "disabled"}]


def test_a_locked_out_username_is_refused(client, oidc, settings):
    user = municipality_user()
    _bound(user, "kari")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "feil"})
    response, _callback = _sign_in(client, "kari")
    _refused(response, "Innloggingen for denne brukeren er sperret")
    assert "_auth_user_id" not in client.session
    assert _refusals() == [{"provider": "idporten", "reason": "locked"}]


def test_the_provider_out_of_reach_gives_a_norwegian_page(client, oidc, settings):
    settings.OIDC_PROVIDERS = {
        **settings.OIDC_PROVIDERS,
        "idporten": {**settings.OIDC_PROVIDERS["idporten"], "issuer": "http://127.0.0.1:9"},
    }
    response = client.get(reverse("oidc_start", args=["idporten"]))
    assert response.status_code == 503
    assert "Innloggingstjenesten svarte ikke." in response.content.decode()


def test_a_provider_not_configured_is_not_there(client, db, settings):
    settings.OIDC_PROVIDERS = {}
    assert client.get(reverse("oidc_start", args=["idporten"])).status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert "Logg inn med ID-porten" not in page and "Logg inn som ansatt" not in page


def test_the_login_page_offers_the_providers_in_bokmal_and_nynorsk(client, oidc, settings):
    page = client.get(f"{reverse('login')}?next=/udir/").content.decode()
    assert '<a class="btn btn-primary w-100" href="/konto/oidc/idporten/?next=%2Fudir%2F">' in page
    assert "Logg inn med ID-porten" in page and "Logg inn som ansatt" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = client.get(reverse("login")).content.decode()
    assert "Logg inn med ID-porten" in page and "Logg inn som tilsett" in page


def test_a_case_officer_signs_in_through_the_staff_provider_without_a_code(client, oidc):
    user = office_user()
    ExternalIdentity.objects.create(user=user, provider="staff", subject="saksbehandler")
    response, _callback = _sign_in(client, "saksbehandler", name="staff", next_url="/embete/")
    assert response["Location"] == "/embete/"
    assert client.get("/embete/").status_code == 200


def test_a_staff_identity_no_one_is_tied_to_is_refused_and_its_claims_grant_nothing(client, oidc):
    office_user(email="sara@statsforvalteren.example", username="sara")
    response, _callback = _sign_in(client, "saksbehandler", name="staff")
    _refused(response, "Brukeren din hos arbeidsgiveren er ikke knyttet til en bruker")
    assert "_auth_user_id" not in client.session
    assert _refusals() == [{"provider": "staff", "reason": "unknown_staff"}]


def test_logging_out_ends_the_provider_session_too(client, oidc):
    _bound(municipality_user(), "kari")
    _sign_in(client, "kari")
    response = client.post(reverse("logout"))
    # A page that goes on at once, not a redirect: the logout form may only post to the
    # service itself (Content-Security-Policy form-action 'self').
    assert response.status_code == 200
    page = response.content.decode()
    found = re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)">', page)
    assert found, page
    end_session = unescape(found.group(1))
    assert f'href="{found.group(1)}"' in page
    assert "Du sendes videre til ID-porten for å logge ut der også." in page
    location = urlsplit(end_session)
    assert f"{location.scheme}://{location.netloc}" == oidc.issuer
    query = parse_qs(location.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/konto/logg-inn/"]
    assert query["client_id"] == ["laeringsmiljo-idporten"]
    assert query["id_token_hint"][0].count(".") == 2
    assert "_auth_user_id" not in client.session
    # The provider takes the request: its logout page asks to confirm.
    answer = requests.get(end_session, timeout=10)
    assert answer.status_code == 200


def test_a_password_session_logs_out_here_only(client, db):
    from tests.signin import sign_in

    sign_in(client, municipality_user())
    assert client.post(reverse("logout"))["Location"] == reverse("login")


# The invitation link ties the pid to the person who takes it.


@pytest.fixture
def link(setting):
    return send_link(setting)


def test_the_invitation_link_ties_the_pid_of_who_signs_in_with_id_porten_through_it(
    client, oidc, setting, link
):
    path, _token = link
    assert client.get(path)["Location"] == reverse("applications:access")
    page = client.get(reverse("applications:access")).content.decode()
    start = "/konto/oidc/idporten/?next=/soknader/tilgang/"
    assert f'href="{start}"' in page
    callback = through_provider(client.get(start)["Location"], "ukjent")
    response = client.get(callback)
    assert response["Location"] == "/soknader/tilgang/"
    assert get_user_model().objects.filter(email="nina@fjordvik.example").count() == 0
    page = client.get("/soknader/tilgang/").content.decode()
    assert "Du er logget inn med ID-porten." in page
    assert 'name="password1"' not in page
    response = client.post(
        "/soknader/tilgang/",
        {"first_name": "Nina", "last_name": "Nilsen", "email": "nina@fjordvik.example"},
    )
    assert response["Location"] == reverse("municipality_start")
    user = get_user_model().objects.get(email="nina@fjordvik.example")
    assert user.has_usable_password() is False
    assert list(ExternalIdentity.objects.values_list("user", "provider", "subject")) == [
        (user.pk, "idporten", pid_hash(PIDS["ukjent"]))
    ]
    assert list(user.memberships.values_list("role", "municipality")) == [
        ("kommune", setting["municipality"].pk)
    ]
    assert client.get(reverse("municipality_start")).status_code == 200
    _no_pid_anywhere()
    # From now on ID-porten signs Nina in, into her own municipality only.
    client.logout()
    response, _callback = _sign_in(client, "ukjent")
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/kommune/").status_code == 200
    # The link is spent: the next person with an unknown pid gets the page about access.
    client.logout()
    response, _callback = _sign_in(client, "harald", next_url="/soknader/tilgang/")
    assert response["Location"] == "/soknader/tilgang/"
    assert client.get("/soknader/tilgang/").status_code == 410
    assert ExternalIdentity.objects.count() == 1


def test_a_signed_in_user_who_takes_the_link_through_id_porten_gets_the_pid_tied(
    client, oidc, setting, link
):
    from tests.signin import sign_in

    path, _token = link
    user = sign_in(client, municipality_user())
    client.get(path)
    callback = through_provider(_start(client, next_url="/soknader/tilgang/"), "ukjent")
    assert client.get(callback)["Location"] == "/soknader/tilgang/"
    page = client.get("/soknader/tilgang/").content.decode()
    assert "knyttes også ID-porten-innloggingen din til brukeren" in page
    assert client.post("/soknader/tilgang/")["Location"] == reverse("municipality_start")
    assert list(ExternalIdentity.objects.values_list("user", "subject")) == [
        (user.pk, pid_hash(PIDS["ukjent"]))
    ]


def test_an_identity_without_a_usable_link_ties_nothing(client, oidc, setting):
    response, _callback = _sign_in(client, "ukjent", next_url="/soknader/tilgang/")
    assert response["Location"] == "/soknader/tilgang/"
    assert client.get("/soknader/tilgang/").status_code == 410
    assert ExternalIdentity.objects.count() == 0


def test_an_administrator_ties_a_pid_by_the_number_and_only_its_hash_is_kept(client, oidc):
    from tests.signin import sign_in

    admin_user = get_user_model().objects.create_superuser("rot", "rot@test.example", "x")
    sign_in(client, admin_user)
    user = municipality_user()
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = client.get(url).content.decode()
    data = _admin_form(page)
    data.update(
        {
            "external_identities-TOTAL_FORMS": "1",
            "external_identities-0-provider": "idporten",
            "external_identities-0-identity": "0101701017",  # one digit short
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Fødselsnummeret er ikke gyldig." in response.content.decode()
    assert ExternalIdentity.objects.count() == 0
    data["external_identities-0-identity"] = PIDS["kari"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert list(ExternalIdentity.objects.values_list("user", "provider", "subject")) == [
        (user.pk, "idporten", pid_hash(PIDS["kari"]))
    ]
    assert PIDS["kari"] not in client.get(url).content.decode()
    client.logout()
    response, _callback = _sign_in(client, "kari")
    assert client.session["_auth_user_id"] == str(user.pk)


def _admin_form(page):
    """The values of the user's change form as the browser would send them."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.select = {}, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox"):
                self.data[name] = attrs.get("value", "")
            elif tag == "input" and name and "checked" in attrs:
                self.data[name] = attrs.get("value", "on")
            elif tag == "select" and name:
                self.select = name
                if "multiple" not in attrs:
                    self.data.setdefault(name, "")
            elif tag == "option" and self.select and "selected" in attrs:
                self.data[self.select] = attrs.get("value", "")

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None

    parser = Fields()
    parser.feed(page)
    return {k: v for k, v in parser.data.items() if "__prefix__" not in k}


def test_a_refusal_is_in_nynorsk_for_the_nynorsk_cookie(client, oidc, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    response, _callback = _sign_in(client, "lav")
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="nn">' in page
    assert "<title>Innlogginga vart ikkje fullført" in page
    assert "Innlogginga hadde ikkje høgt nok tryggingsnivå." in page
