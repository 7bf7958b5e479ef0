"""The second factor for staff signed in with a password: set up at the first login from a QR
code or the key, asked at every password login, the admin behind it, wrong codes refused and
recorded, a recovery code good once; and until it is passed, the session is no more than an
anonymous visitor's on every address of the service."""

import re
from base64 import b32encode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from laeringsmiljo.models import AuditEvent
from laeringsmiljo.signin.second_factor import PASSED
from tests.crawl import build_world, crawl
from tests.factories import UserFactory, municipality_user, office_user, udir_user
from tests.html import title
from tests.signin import PASSWORD, code_for, code_from_key, log_in, sign_in

ENROL = "/konto/kode/sett-opp/"
VERIFY = "/konto/kode/"


def _password(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def _enrolled(user):
    """A user whose app is set up (through the pages), signed out again."""
    client = Client()
    _location, codes = log_in(client, user)
    return codes


def _events(user, action):
    return list(
        AuditEvent.objects.filter(action=action, object_id=str(user.pk))
        .order_by("pk")
        .values_list("after", flat=True)
    )


@pytest.mark.parametrize("make_user", [office_user, udir_user], ids=["office", "udir"])
def test_the_first_password_login_of_staff_sets_up_the_app(client, db, make_user):
    user = make_user()
    response = _password(client, user)
    assert response["Location"] == f"{ENROL}?next=%2F"
    page = client.get(response["Location"]).content.decode()
    assert title(page) == "Sett opp innlogging med kode fra app – Læringsmiljøprosjektet"
    assert '<svg width="' in page and 'class="segno"' in page
    key = re.search(r'<code class="manual-key">([A-Z2-7 ]+)</code>', page).group(1)
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    assert "".join(key.split()) == "".join(b32encode(device.bin_key).decode().split())
    # The page asked for once more shows the same key: the app just scanned stays good.
    assert key in client.get(response["Location"]).content.decode()
    # Before the code, no page of the service is open.
    assert client.get("/").status_code == 302

    response = client.post(f"{ENROL}?next=%2F", {"code": code_from_key(key), "next": "/"})
    assert response["Location"] == f"{reverse('recovery_codes')}?next=%2F"
    page = client.get(response["Location"]).content.decode()
    assert title(page) == "Gjenopprettingskodene dine – Læringsmiljøprosjektet"
    shown = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)
    assert len(shown) == 10
    assert sorted(shown) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    # Shown once.
    assert client.get(f"{reverse('recovery_codes')}?next=%2F")["Location"] == "/"
    assert client.get("/").status_code == 302  # on to the role's start page
    assert TOTPDevice.objects.get(user=user).confirmed is True
    assert _events(user, "signin.second_factor_enrolled") == [
        {"device": "Autentiseringsapp", "recovery_codes": 10}
    ]


def test_every_password_login_asks_for_the_code_again(client, db):
    user = office_user()
    _enrolled(user)
    response = _password(client, user)
    assert response["Location"] == f"{VERIFY}?next=%2F"
    page = client.get(response["Location"]).content.decode()
    assert title(page) == "Bekreft innloggingen med en kode – Læringsmiljøprosjektet"
    assert client.get(reverse("office_start"))["Location"] == (f"{reverse('login')}?next=/embete/")
    response = client.post(f"{VERIFY}?next=%2Fembete%2F", {"code": code_for(user)})
    assert response["Location"] == "/embete/"
    assert client.get("/embete/").status_code == 200
    # A new sign-in in the same session asks again.
    client.force_login(user)
    assert client.get("/embete/")["Location"] == f"{reverse('login')}?next=/embete/"
    client.logout()
    assert _password(client, user)["Location"] == f"{VERIFY}?next=%2F"


def test_the_login_page_sends_a_user_awaiting_the_code_on_to_it(client, db):
    user = udir_user()
    _enrolled(user)
    _password(client, user)
    response = client.get(f"{reverse('login')}?next=%2Fudir%2F")
    assert response["Location"] == f"{VERIFY}?next=%2Fudir%2F"


def test_a_wrong_code_is_refused_with_a_norwegian_message_and_recorded(client, db):
    user = office_user()
    _enrolled(user)
    _password(client, user)
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Koden stemmer ikke. Skriv inn de seks sifrene appen viser nå, eller en av "
        "gjenopprettingskodene dine."
    ) in page
    assert PASSED not in client.session
    assert client.get("/embete/").status_code == 302
    assert _events(user, "signin.second_factor_refused") == [
        {"kind": "app", "failures_in_a_row": 1}
    ]
    # In nynorsk.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)
    page = client.post(VERIFY, {"code": "000001"}).content.decode()
    assert (
        "Koden stemmer ikkje. Skriv inn dei seks sifra appen viser no, eller ein av "
        "gjenopprettingskodane dine."
    ) in page


def test_a_code_right_after_a_wrong_one_waits_for_the_throttle(client, db):
    user = office_user()
    _enrolled(user)
    _password(client, user)
    client.post(VERIFY, {"code": "000000"})
    page = client.post(VERIFY, {"code": code_for(user)}).content.decode()
    assert "Du har skrevet feil kode flere ganger etter hverandre. Vent til " in page
    assert PASSED not in client.session


def test_an_empty_code_is_asked_for(client, db):
    user = office_user()
    _enrolled(user)
    _password(client, user)
    page = client.post(VERIFY, {"code": "  "}).content.decode()
    assert "Skriv inn koden." in page
    assert _events(user, "signin.second_factor_refused") == []


def test_a_code_used_once_is_not_taken_again(client, db):
    user = office_user()
    _enrolled(user)
    device = TOTPDevice.objects.get(user=user)
    used = code_from_key(b32encode(device.bin_key).decode(), after=device.last_t - 1)
    _password(client, user)
    page = client.post(VERIFY, {"code": used}).content.decode()
    assert "Koden stemmer ikke." in page


def test_a_recovery_code_works_once(client, db):
    user = office_user()
    codes = _enrolled(user)
    _password(client, user)
    response = client.post(f"{VERIFY}?next=%2Fembete%2F", {"code": codes[3].upper()})
    assert response["Location"] == f"{reverse('recovery_code_used')}?next=%2Fembete%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Du har 9 gjenopprettingskoder igjen." in page
    assert client.get("/embete/").status_code == 200
    assert _events(user, "signin.recovery_code_used") == [{"recovery_codes_left": 9}]
    client.logout()
    _password(client, user)
    page = client.post(VERIFY, {"code": codes[3]}).content.decode()
    assert "Koden stemmer ikke." in page
    assert client.get("/embete/").status_code == 302
    assert _events(user, "signin.second_factor_refused") == [
        {"kind": "recovery_code", "failures_in_a_row": 1}
    ]


def test_the_app_is_not_set_up_again_with_the_password_alone(client, db):
    user = office_user()
    _enrolled(user)
    key_before = TOTPDevice.objects.get(user=user).key
    _password(client, user)
    assert client.get(ENROL)["Location"] == f"{VERIFY}?next=%2F"
    client.post(ENROL, {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=user).values_list("key", flat=True)) == [key_before]


def test_a_municipality_user_is_not_asked_for_a_code(client, db):
    user = municipality_user()
    response = _password(client, user)
    assert response["Location"] == "/"
    assert client.get("/kommune/").status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_the_admin_requires_the_second_factor(client, db):
    admin_user = get_user_model().objects.create_superuser("rot", "rot@test.example", PASSWORD)
    response = client.post(reverse("login"), {"username": "rot", "password": PASSWORD})
    assert response["Location"] == f"{ENROL}?next=%2F"
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    assert client.get(response["Location"])["Location"] == f"{reverse('login')}?next=/admin/"
    assert client.get(f"{reverse('login')}?next=%2Fadmin%2F")["Location"] == (
        f"{ENROL}?next=%2Fadmin%2F"
    )
    client.logout()
    location, _codes = log_in(client, admin_user)
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_itself_refuses_a_session_without_the_second_factor(rf, db):
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.create_superuser("rot", "rot@test.example", PASSWORD)
    request = rf.get("/admin/")
    request.user = user
    request.session = SessionStore()
    assert admin.site.has_permission(request) is False
    request.session[PASSED] = "otp_totp.totpdevice/1"
    assert admin.site.has_permission(request) is True


def test_a_signed_in_municipality_user_is_refused_the_admin_without_a_loop(client, db):
    sign_in(client, municipality_user())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


# Every address of the service, asked by a staff user who has given the password and not the
# code, answers as it answers a visitor who is not signed in at all.


def _example(pattern_text):
    text = re.sub(r"<(?:\w+:)?\w+>", "1", pattern_text)
    text = re.sub(r"\(\?P<\w+>([^|)]*)[^)]*\)", r"\1", text)
    return "/" + text.replace("^", "").replace("$", "").replace("\\", "")


def every_address():
    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield _example(prefix + str(entry.pattern))

    return sorted(set(walk(get_resolver())))


# What differs, and only for one waiting for the code: the login page and the code's pages.
SECOND_FACTOR_PAGES = {"/konto/logg-inn/", ENROL, VERIFY}


def _answer(client, path):
    response = client.get(path)
    return response.status_code, response.get("Location"), "Logg ut" in response.content.decode()


@pytest.mark.parametrize("role", ["office", "udir", "admin"])
def test_a_staff_user_with_only_a_password_reaches_no_address_of_the_service(db, role):
    world = build_world()
    user = {
        "office": world.users["office"],
        "udir": world.users["udir"],
        "admin": get_user_model().objects.create_superuser("rot", "rot@test.example", PASSWORD),
    }[role]
    addresses = every_address()
    assert len(addresses) > 250
    # And the real pages the user reaches with the code, found by following links.
    verified = Client()
    sign_in(verified, user)
    pages = sorted(crawl(verified, ["/"]))
    if role != "admin":
        assert len(pages) > 10
    waiting, anonymous = Client(), Client()
    waiting.force_login(user)
    differing = {}
    for path in [*addresses, *pages]:
        if path in SECOND_FACTOR_PAGES:
            continue
        expected = _answer(anonymous, path)
        got = _answer(waiting, path)
        if got != expected:
            differing[path] = (got, expected)
    assert differing == {}
    # The login page sends on to the code, which is all there is.
    assert _answer(waiting, "/konto/logg-inn/")[:2] == (302, f"{VERIFY}?next=%2F")
    assert _answer(waiting, VERIFY)[0] == 200
    assert PASSED not in waiting.session


def test_a_page_asked_for_before_the_code_is_reached_after_it(client, db):
    user = udir_user()
    _enrolled(user)
    response = client.get("/udir/")
    assert response["Location"] == f"{reverse('login')}?next=/udir/"
    response = client.post(
        response["Location"], {"username": user.username, "password": PASSWORD, "next": "/udir/"}
    )
    assert response["Location"] == f"{VERIFY}?next=%2Fudir%2F"
    response = client.post(response["Location"], {"code": code_for(user), "next": "/udir/"})
    assert response["Location"] == "/udir/"


def test_a_next_address_elsewhere_is_not_followed(client, db):
    user = udir_user()
    _enrolled(user)
    _password(client, user)
    response = client.post(
        f"{VERIFY}?next=https%3A%2F%2Fangriper.example%2F", {"code": code_for(user)}
    )
    assert response["Location"] == "/"


def test_a_visitor_without_a_password_gets_the_login_page_from_the_code_pages(client, db):
    assert client.get(VERIFY)["Location"] == reverse("login")
    assert client.get(ENROL)["Location"] == reverse("login")


def test_the_demo_staff_have_an_app_and_demo_code_prints_its_code(client, db, capsys, settings):
    from django.core.management import call_command

    settings.DEBUG = True  # as manage.py has it in development
    call_command("setup_demo")
    out = capsys.readouterr().out
    assert "manage.py demo_code BRUKERNAVN" in out
    user = get_user_model().objects.get(username="trondelag")
    response = client.post(
        reverse("login"), {"username": "trondelag", "password": "demo-laeringsmiljo"}
    )
    assert response["Location"] == f"{VERIFY}?next=%2F"
    call_command("demo_code", "trondelag")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    assert client.post(VERIFY, {"code": code})["Location"] == "/"
    assert client.get("/embete/").status_code == 200
    # The next code printed is one the service has not taken.
    call_command("demo_code", "trondelag")
    assert capsys.readouterr().out.strip() != code
    assert not TOTPDevice.objects.filter(user__username="kommune").exists()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


def test_demo_code_is_refused_outside_development(db, settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    UserFactory(username="ansatt")
    with pytest.raises(CommandError, match="bare i utvikling"):
        call_command("demo_code", "ansatt")
