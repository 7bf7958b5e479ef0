"""A municipality signs in with ID-porten in the browser, against a real OpenID Connect
provider (tests/oidc) standing in for ID-porten: the invitation link ties the identity, the
provider's session ends with ours, and the next sign-in goes straight to the municipality's own
application and no other."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from applications import access_links
from laeringsmiljo.models import ExternalIdentity
from laeringsmiljo.signin.oidc import pid_hash
from tests.oidc_provider import PID_HMAC_KEY, PIDS, running_provider

pytestmark = pytest.mark.e2e


@pytest.fixture
def idporten(live_server, settings):
    """The service with ID-porten on a local provider that sends the browser back to the live
    server."""
    with running_provider(live_server.url) as provider:
        settings.OIDC_PROVIDERS = {"idporten": provider.settings()["idporten"]}
        settings.PID_HMAC_KEY = PID_HMAC_KEY
        settings.SITE_URL = live_server.url
        yield provider


def at_provider(site, provider, account):
    """What the person does at ID-porten: choose the test identity and sign in."""
    page = site.page
    page.wait_for_url(f"{provider.issuer}/**")
    assert page.title() == "Testinnlogging"
    page.get_by_label("Testidentitet").fill(account)
    with page.expect_navigation(url=f"{site.base_url}/**"):
        page.get_by_role("button", name="Logg inn").click()


def test_a_municipality_signs_in_with_id_porten_through_the_invitation_link(
    site, scenario, idporten
):
    page = site.page
    scenario.invite()
    access_links.request_access_link(
        cohort=scenario.cohort,
        municipality=scenario.municipality,
        actor=scenario.users["office"],
        replaces=None,
    )
    assert mail.outbox, "lenken ble ikke sendt"
    link = re.search(r"https?://\S+/soknader/tilgang/\S+/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    path = urlsplit(link.group(0)).path

    # The link from the e-mail, opened by someone who has no account yet.
    site.visit(path)
    assert site.path == "/soknader/tilgang/"
    site.check("tilgang-id-porten")
    site.click_link("Logg inn med ID-porten")
    at_provider(site, idporten, "ukjent")
    assert site.path == "/soknader/tilgang/"
    assert "Du er logget inn med ID-porten." in site.main_text()
    assert page.get_by_label("Passord").count() == 0
    site.check("tilgang-etter-id-porten")
    page.get_by_label("Fornavn").fill("Nina")
    page.get_by_label("Etternavn").fill("Nilsen")
    page.get_by_label("E-post").fill("nina@fjordvik.example")
    site.click_button("Ta imot tilgangen")
    assert site.path == "/kommune/"
    assert any("Du har nå tilgang til søknaden for Fjordvik." in text for text in site.alerts())
    identity = ExternalIdentity.objects.get()
    assert identity.subject == pid_hash(PIDS["ukjent"])
    assert identity.user.has_usable_password() is False

    # Logging out ends the session at ID-porten too: the provider asks, and sends the browser
    # back to the login page.
    page.locator("header form[action$='/logg-ut/'] button").click()
    page.wait_for_url(f"{idporten.issuer}/**")
    with page.expect_navigation(url=f"{site.base_url}/**"):
        page.get_by_role("button", name="Logg ut").click()
    assert site.path == "/konto/logg-inn/"
    site.check("innlogging-med-id-porten")

    # The next time, from the login page: the provider asks again (its session ended), and
    # the person lands in Fjordvik's own pages.
    site.click_link("Logg inn med ID-porten")
    at_provider(site, idporten, "ukjent")
    assert site.path == "/kommune/"
    site.check("kommunens-side-id-porten")
    site.click_button("Start søknaden")
    assert urlsplit(page.url).path.startswith("/soknader/")
    assert "Fjordvik" in site.h1()

    # The neighbour's application is not there for Fjordvik's person.
    from applications.models import Application

    other = Application.objects.create(cohort=scenario.cohort, municipality=scenario.neighbour)
    response = page.request.get(site.url(f"/soknader/{other.pk}/"))
    assert response.status == 404
