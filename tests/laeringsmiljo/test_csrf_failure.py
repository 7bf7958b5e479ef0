"""A form posted with a CSRF token that no longer holds: a Norwegian page in the layout, and
what was typed in a part of the application kept the way the session time-out keeps it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from laeringsmiljo.models import AuditEvent
from tests.applications.factories import ApplicationFactory
from tests.factories import municipality_user

PASSWORD = "passord-for-test"  # tests.factories.UserFactory's
TYPED = {
    "revision": 0,
    "contact_name": "Kari Nordmann",
    "contact_role": "Rådgiver",
    "contact_email": "kari@kommune.example",
    "contact_phone": "22 33 44 55",
    "postal_address": "Postboks 1",
}
TITLES = {
    "nb": "<title>Skjemaet ble ikke sendt – Læringsmiljøprosjektet</title>",
    "nn": "<title>Skjemaet vart ikkje sendt – Læringsmiljøprosjektet</title>",
}
KEPT = {
    "nb": "Det du skrev, er tatt vare på.",
    "nn": "Det du skreiv, er teke vare på.",
}


@pytest.fixture
def draft(db):
    return ApplicationFactory(contact_name="Opprinnelig")


@pytest.fixture
def user(draft):
    return municipality_user(draft.municipality)


def _section_url(application):
    return reverse("applications:section", args=[application.pk, "kontakt"])


def _token_in(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _log_in(browser, user, **extra):
    page = browser.get(reverse("login")).content.decode()
    return browser.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": _token_in(page)},
        headers={"Origin": "http://testserver"},
        **extra,
    )


def _signed_in_again_elsewhere(browser, user, application):
    """The part is opened in one tab; in another the user signs out and in again. Returns the
    token of the first tab's form, which no longer holds."""
    _log_in(browser, user)
    stale = _token_in(browser.get(_section_url(application)).content.decode())
    browser.post(
        reverse("logout"),
        {
            "csrfmiddlewaretoken": _token_in(
                browser.get(reverse("home"), follow=True).content.decode()
            )
        },
    )
    _log_in(browser, user)
    return stale


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_stale_token_gives_the_norwegian_page_and_keeps_what_was_typed(
    settings, draft, user, debug, language
):
    settings.DEBUG = debug
    browser = Client(enforce_csrf_checks=True)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    stale = _signed_in_again_elsewhere(browser, user, draft)

    response = browser.post(
        _section_url(draft),
        {**TYPED, "csrfmiddlewaretoken": stale},
        headers={"Origin": "http://testserver"},
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}">' in html
    assert TITLES[language] in html
    assert 'class="site-header' in html  # in the layout
    assert KEPT[language] in html
    assert f'href="{_section_url(draft)}"' in html
    assert "CSRF" not in html and "DEBUG" not in html
    draft.refresh_from_db()
    assert (draft.contact_name, draft.revisions) == ("Opprinnelig", {})
    assert not AuditEvent.objects.filter(action__startswith="application.section_saved").exists()

    back = browser.get(_section_url(draft)).content.decode()
    assert 'value="Kari Nordmann"' in back
    assert 'value="kari@kommune.example"' in back
    assert {
        "nb": "Dette er det du skrev sist. Det er ikke lagret ennå: se over og lagre.",
        "nn": "Dette er det du skreiv sist. Det er ikkje lagra enno: sjå over og lagre.",
    }[language] in back
    # Handed back once: the next visit shows what is saved.
    assert 'value="Opprinnelig"' in browser.get(_section_url(draft)).content.decode()


def test_a_stale_token_after_the_session_ended_keeps_the_text_through_the_login(draft, user):
    browser = Client(enforce_csrf_checks=True)
    _log_in(browser, user)
    stale = _token_in(browser.get(_section_url(draft)).content.decode())
    browser.cookies.pop("sessionid")  # the session ended
    browser.cookies.pop("csrftoken")

    response = browser.post(
        _section_url(draft),
        {**TYPED, "csrfmiddlewaretoken": stale},
        headers={"Origin": "http://testserver"},
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert KEPT["nb"] in html
    login_url = f"{reverse('login')}?next=%2Fsoknader%2F{draft.pk}%2Fkontakt%2F"
    assert f'href="{login_url}"' in html
    page = browser.get(login_url).content.decode()
    response = browser.post(
        login_url,
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": _token_in(page)},
        headers={"Origin": "http://testserver"},
    )
    assert response["Location"] == _section_url(draft)
    assert 'value="Kari Nordmann"' in browser.get(_section_url(draft)).content.decode()


def test_a_form_posted_from_another_site_keeps_nothing(draft, user):
    browser = Client(enforce_csrf_checks=True)
    _log_in(browser, user)

    response = browser.post(
        _section_url(draft), TYPED, headers={"Origin": "https://angriper.example"}
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Skjemaet ble ikke sendt</h1>" in html
    assert "tatt vare på" not in html
    assert "Gå tilbake til siden, last den inn på nytt og prøv igjen." in html
    assert 'value="Opprinnelig"' in browser.get(_section_url(draft)).content.decode()


def test_a_form_that_does_not_hand_back_what_was_typed_says_to_try_again(draft, user):
    browser = Client(enforce_csrf_checks=True)
    _log_in(browser, user)

    response = browser.post(
        reverse("applications:submit", args=[draft.pk]),
        {"csrfmiddlewaretoken": "x" * 32},
        headers={"Origin": "http://testserver"},
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert "tatt vare på" not in html
    assert "Gå tilbake til siden, last den inn på nytt og prøv igjen." in html
    assert "pending_section_post" not in browser.session


def test_a_part_posted_after_the_session_ended_is_handed_back_after_login(client, draft, user):
    response = client.post(_section_url(draft), TYPED, follow=True)

    assert "Økten din var utløpt. Logg inn igjen, så får du tilbake det du skrev." in (
        response.content.decode()
    )
    _log_in(client, user)
    assert 'value="Kari Nordmann"' in client.get(_section_url(draft)).content.decode()
    draft.refresh_from_db()
    assert draft.contact_name == "Opprinnelig"


def test_a_part_posted_after_the_session_was_idle_too_long_is_handed_back(client, draft, user):
    from laeringsmiljo.signin.inactivity import LAST_REQUEST

    _log_in(client, user)
    session = client.session
    session[LAST_REQUEST] -= 2 * 60 * 60
    session.save()

    response = client.post(_section_url(draft), TYPED, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Økten din var utløpt. Logg inn igjen, så får du tilbake det du skrev." in (
        response.content.decode()
    )
    _log_in(client, user)
    assert 'value="Kari Nordmann"' in client.get(_section_url(draft)).content.decode()
    draft.refresh_from_db()
    assert draft.contact_name == "Opprinnelig"
