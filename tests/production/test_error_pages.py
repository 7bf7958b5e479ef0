"""The error pages as production shows them: DEBUG off, static files from the manifest."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import municipality_user
from tests.signin import sign_in

STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')
HASHED = re.compile(r"^/static/.+\.[0-9a-f]{12}\.(?:css|js|svg)$")


def _static_urls_are_hashed_and_served(client, html):
    urls = STATIC.findall(html)
    assert all(HASHED.match(url) for url in urls), urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    return urls


@pytest.mark.parametrize(
    ("language", "title", "heading"),
    [
        ("nb", "Fant ikke siden – Læringsmiljøprosjektet", "Fant ikke siden"),
        ("nn", "Fann ikkje sida – Læringsmiljøprosjektet", "Fann ikkje sida"),
    ],
)
def test_the_404_page_is_norwegian_in_the_layout_with_hashed_static_files(
    production_client, db, language, title, heading
):
    production_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = production_client.get("/finnes-ikke/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in html
    assert f"<title>{title}</title>" in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header' in html
    assert len(_static_urls_are_hashed_and_served(production_client, html)) >= 3


def test_the_403_page_is_norwegian_in_the_layout_with_hashed_static_files(production_client, db):
    sign_in(production_client, municipality_user())
    response = production_client.get(reverse("udir_start"))
    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="nb">' in html
    assert "<h1>Du har ikke tilgang til denne siden</h1>" in html
    assert 'class="site-header' in html
    assert len(_static_urls_are_hashed_and_served(production_client, html)) >= 3


def test_the_500_page_is_norwegian_and_tells_nothing_of_the_error(production_settings, db):
    production_settings.ROOT_URLCONF = "tests.production.urls"
    client = Client(headers={"X-Forwarded-Proto": "https"}, raise_request_exception=False)
    response = client.get("/test/feil/")
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="nb">' in html
    assert "<h1>Noe gikk galt hos oss</h1>" in html
    assert "RuntimeError" not in html and "en feil i en visning" not in html
    _static_urls_are_hashed_and_served(client, html)


def test_the_csrf_page_is_norwegian_in_the_layout_with_hashed_static_files(production_settings, db):
    client = Client(enforce_csrf_checks=True, headers={"X-Forwarded-Proto": "https"})
    sign_in(client, municipality_user())
    response = client.post(reverse("logout"), headers={"Origin": "https://testserver"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "<title>Skjemaet ble ikke sendt – Læringsmiljøprosjektet</title>" in html
    assert "CSRF" not in html
    assert len(_static_urls_are_hashed_and_served(client, html)) >= 3
