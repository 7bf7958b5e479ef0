"""The 400 and 413 pages, as production shows them (DEBUG off): Norwegian, in the layout, in
the user's language, and nothing saved."""

import pytest
from django.urls import reverse

from applications.models import Application
from laeringsmiljo.audit import AuditEvent
from tests.applications.factories import ApplicationFactory
from tests.factories import municipality_user
from tests.signin import sign_in


@pytest.fixture
def production(settings):
    settings.DEBUG = False


@pytest.fixture
def draft(db):
    return ApplicationFactory()


@pytest.fixture
def owner(client, draft):
    sign_in(client, municipality_user(draft.municipality))
    return client


def _motivation(size):
    return {
        "revision": 0,
        "units": "0.0",
        "motivation_why": "m" * size,
        "skoler-TOTAL_FORMS": 0,
        "skoler-INITIAL_FORMS": 0,
        "barnehager-TOTAL_FORMS": 0,
        "barnehager-INITIAL_FORMS": 0,
    }


def test_a_form_past_the_text_limit_gets_the_norwegian_413_page(production, owner, draft):
    url = reverse("applications:section", args=[draft.pk, "motivasjon"])
    response = owner.post(url, _motivation(3 * 1024 * 1024))
    html = response.content.decode()
    assert response.status_code == 413
    assert '<html lang="nb">' in html
    assert "<title>Det du sendte, var for stort – Læringsmiljøprosjektet</title>" in html
    assert "Skjemaet var større enn tjenesten tar imot (høyst 2,5 MB tekst)" in html
    assert f'<a href="{url}">Tilbake til skjemaet</a>' in html
    assert 'class="navbar' in html  # in the layout
    assert Application.objects.get(pk=draft.pk).revisions == {}
    assert not AuditEvent.objects.filter(action__startswith="application.section_saved").exists()


def test_the_413_page_is_shown_in_development_too(settings, owner, draft):
    settings.DEBUG = True
    url = reverse("applications:section", args=[draft.pk, "motivasjon"])
    response = owner.post(url, _motivation(3 * 1024 * 1024))
    assert response.status_code == 413
    assert "<h1>Det du sendte, var for stort</h1>" in response.content.decode()


def test_the_413_page_speaks_nynorsk_to_a_nynorsk_user(production, owner, draft):
    owner.cookies.load({"django_language": "nn"})
    url = reverse("applications:section", args=[draft.pk, "motivasjon"])
    response = owner.post(url, _motivation(3 * 1024 * 1024))
    html = response.content.decode()
    assert response.status_code == 413
    assert '<html lang="nn">' in html
    assert "Det du sende, var for stort" in html


def test_a_request_that_cannot_be_read_gets_the_norwegian_400_page(production, owner, draft):
    response = owner.generic(
        "POST",
        reverse("applications:attachments", args=[draft.pk]),
        b"--x\r\nbroken",
        content_type="multipart/form-data; boundary=",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="nb">' in html
    assert "<h1>Tjenesten kunne ikke lese det som ble sendt</h1>" in html
    assert not draft.attachments.exists()


def test_an_unknown_host_gets_the_norwegian_400_page(production, client, db):
    response = client.get("/", HTTP_HOST="ukjent.example")
    assert response.status_code == 400
    assert "Tjenesten kunne ikke lese det som ble sendt" in response.content.decode()
