"""The 500 page under the production settings: in the user's language, in the layout (its
static files from the manifest), without touching the database."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory, office_user
from tests.html import title


@pytest.fixture
def failing_site(production_settings):
    production_settings.ROOT_URLCONF = "tests.production.failing_urls"
    return Client(raise_request_exception=False, headers={"X-Forwarded-Proto": "https"})


@pytest.fixture
def error_page(failing_site, django_assert_num_queries):
    def get(**headers):
        with django_assert_num_queries(0):
            response = failing_site.get("/feiler/", **headers)
        assert response.status_code == 500
        return response.content.decode()

    return get


def test_the_error_page_is_nynorsk_for_the_nynorsk_cookie(db, failing_site, error_page):
    failing_site.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = error_page()
    assert '<html lang="nn">' in page
    assert title(page) == "Noko gjekk gale – Læringsmiljøprosjektet"
    assert "<h1>Noko gjekk gale hos oss</h1>" in page
    assert 'class="navbar-brand fw-semibold" href="/"' in page
    stylesheet = page.split('<link rel="stylesheet" href="')[2].split('"')[0]
    assert stylesheet.startswith("/static/css/laeringsmiljo.") and stylesheet.endswith(".css")
    assert stylesheet != "/static/css/laeringsmiljo.css"  # the manifest's hashed name


def test_the_error_page_follows_the_browser_without_a_cookie(db, error_page):
    page = error_page(HTTP_ACCEPT_LANGUAGE="nn-NO,nn;q=0.9")
    assert '<html lang="nn">' in page
    assert "<h1>Noko gjekk gale hos oss</h1>" in page


def test_the_error_page_is_bokmal_by_default(db, error_page):
    page = error_page(HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="nb">' in page
    assert title(page) == "Noe gikk galt – Læringsmiljøprosjektet"
    assert "<h1>Noe gikk galt hos oss</h1>" in page


def test_a_signed_in_user_gets_the_error_page_without_a_database_query(
    db, failing_site, error_page
):
    failing_site.force_login(UserFactory())
    failing_site.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = error_page()
    assert "<h1>Noko gjekk gale hos oss</h1>" in page
    assert "Logg ut" not in page


def test_a_staff_user_awaiting_the_second_factor_gets_the_error_page_without_a_query(
    db, failing_site, error_page
):
    failing_site.force_login(office_user())
    page = error_page()
    assert "<h1>Noe gikk galt hos oss</h1>" in page
