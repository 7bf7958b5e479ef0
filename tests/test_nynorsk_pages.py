"""The main pages rendered in nynorsk show no bokmål: a text that shows a bokmål-only word has
not been translated (or not been marked for translation). The catalogue itself is checked in
test_translations.py; this checks what the pages put together."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationKindergarten, ApplicationSchool
from tests.e2e.cohort import build_scenario
from tests.nynorsk import bokmal_words
from tests.signin import sign_in

# What a reader meets besides the text: names read aloud and hints shown.
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        self.parts.extend(value for name, value in attrs if name in READ_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture
def scenario(db):
    scenario = build_scenario()
    draft = Application.objects.create(cohort=scenario.cohort, municipality=scenario.municipality)
    school = ApplicationSchool.objects.create(application=draft, school=scenario.schools[0])
    ApplicationKindergarten.objects.create(
        application=draft, kindergarten=scenario.kindergartens[1]
    ).feeds.add(school)
    sent = Application.objects.create(
        cohort=scenario.cohort,
        municipality=scenario.neighbour,
        status=Application.Status.SUBMITTED,
        reference="LMP6-6002-1",
        submission_count=1,
        submitted_at=timezone.now(),
        submitted_by=scenario.users["neighbour"],
        contact_email="post@nabovik.kommune.example",
    )
    scenario.applications = {"draft": draft, "sent": sent}
    scenario.texts |= {"LMP6-6002-1", "post@nabovik.kommune.example"}
    return scenario


def pages(scenario):
    """(who, method, path, data, expected status) for the main pages of each role."""
    draft = scenario.applications["draft"].pk
    sent = scenario.applications["sent"].pk
    sections = ["kontakt", "skoler", "barnehager", "ppt", "forpliktelser", "motivasjon"]
    return [
        (None, "get", "/konto/logg-inn/", None, 200),
        (None, "post", "/konto/logg-inn/", {"username": "kari", "password": "feil"}, 200),
        (None, "get", "/konto/passord/nullstill/", None, 200),
        (None, "get", "/konto/passord/nullstill/sendt/", None, 200),
        ("municipality", "get", "/kommune/", None, 200),
        ("municipality", "get", f"/soknader/{draft}/", None, 200),
        *(("municipality", "get", f"/soknader/{draft}/{slug}/", None, 200) for slug in sections),
        ("municipality", "get", f"/soknader/{draft}/vedlegg/", None, 200),
        (
            "municipality",
            "post",
            f"/soknader/{draft}/kontakt/",
            {"revision": 0, "contact_email": "ikkje-ei-adresse", "contact_phone": "abc"},
            200,
        ),
        ("municipality", "post", f"/soknader/{draft}/vedlegg/", {"revision": 0}, 200),
        ("municipality", "get", "/soknader/", None, 403),
        ("neighbour", "get", f"/soknader/{sent}/", None, 200),
        ("neighbour", "get", f"/soknader/{sent}/kvittering/", None, 200),
        ("neighbour", "get", f"/soknader/{draft}/", None, 404),
        ("office", "get", "/embete/", None, 200),
        ("office", "get", "/soknader/", None, 200),
        ("office", "get", f"/soknader/{sent}/", None, 200),
        ("office", "get", "/kommune/", None, 403),
        ("udir", "get", "/udir/", None, 200),
        ("udir", "get", "/soknader/?status=sendt", None, 200),
        ("udir", "get", reverse("selection:journal", args=[scenario.cohort.pk]), None, 200),
        ("udir", "get", reverse("selection:archive_exports", args=[scenario.cohort.pk]), None, 200),
        (
            "office",
            "get",
            reverse("selection:archive_exports", args=[scenario.cohort.pk]),
            None,
            200,
        ),
    ]


def test_main_pages_in_nynorsk_show_no_bokmal(client, scenario):
    found = {}
    for who, method, path, data, status in pages(scenario):
        client.logout()  # which forgets the cookies too
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
        if who:
            sign_in(client, scenario.users[who])
        response = getattr(client, method)(path, data)
        assert (path, response.status_code) == (path, status)
        html = response.content.decode()
        assert '<html lang="nn">' in html
        words = bokmal_words(visible_text(html), ignore=scenario.texts)
        if words:
            found[f"{who or 'anonym'} {method.upper()} {path}"] = words
    assert found == {}


def test_bokmal_words_are_found_outside_user_data():
    text = "Søknaden er ikkje sendt. Hvem har ikke lagret? Skolene: Hvaler skule."
    assert bokmal_words(text, ignore={"Hvaler skule"}) == ["Hvem", "ikke", "lagret"]
