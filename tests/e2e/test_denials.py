"""Each role's denials as the browser shows them: the Norwegian 404 page for what is someone
else's, the 403 page for what belongs to another role; both checked like every page."""

import pytest

from applications.models import Application

pytestmark = pytest.mark.e2e

NOT_FOUND = "Fant ikke siden"
FORBIDDEN = "Du har ikke tilgang til denne siden"


@pytest.fixture
def applications(scenario):
    return {
        # Sent in once and withdrawn: a draft the office and Udir may read, but not change.
        "own": Application.objects.create(
            cohort=scenario.cohort, municipality=scenario.municipality, submission_count=1
        ),
        "neighbour": Application.objects.create(
            cohort=scenario.cohort, municipality=scenario.neighbour
        ),
    }


def assert_denied(site, path, status, heading, name):
    assert site.visit(path) == status
    assert site.h1() == heading
    site.check(name)


def test_municipality_user_gets_404_for_another_municipality_s_application(site, applications):
    site.log_in_as("municipality")
    neighbour = applications["neighbour"].pk
    assert_denied(site, f"/soknader/{neighbour}/", 404, NOT_FOUND, "404")
    assert site.visit(f"/soknader/{neighbour}/kontakt/") == 404
    assert site.visit(f"/soknader/{neighbour}/kvittering/") == 404
    assert_denied(site, "/soknader/", 403, FORBIDDEN, "403")
    site.switch_language("nn")
    assert site.visit(f"/soknader/{neighbour}/") == 404
    assert site.h1() == "Fann ikkje sida"
    site.check("404")


def test_office_user_gets_403_for_the_municipality_start_page(site, applications):
    site.log_in_as("office")
    assert_denied(site, "/kommune/", 403, FORBIDDEN, "403")
    assert site.visit("/udir/") == 403
    site.switch_language("nn")
    assert site.visit("/kommune/") == 403
    site.check("403")


@pytest.mark.parametrize("who", ["office", "udir"])
def test_case_officers_get_403_for_editing_a_section(site, applications, who):
    site.log_in_as(who)
    own = applications["own"].pk
    # They may read the application ...
    assert site.visit(f"/soknader/{own}/") == 200
    assert site.page.get_by_role("button", name="Send inn").count() == 0
    assert site.page.get_by_role("link", name="Send inn").count() == 0
    # ... but not change it.
    for slug in ["kontakt", "skoler", "vedlegg"]:
        assert site.visit(f"/soknader/{own}/{slug}/") == 403
        assert site.h1() == FORBIDDEN


def test_another_office_gets_404_for_an_application_outside_its_counties(site, applications):
    site.log_in_as("other_office")
    assert site.visit(f"/soknader/{applications['own'].pk}/") == 404
    assert site.h1() == NOT_FOUND
    site.visit("/soknader/")
    assert site.page.locator("tbody tr").all_inner_texts() == [
        "Ingen søknader passer med filteret."
    ]


def test_anonymous_visitor_is_sent_to_the_login_page(site, applications):
    site.visit(f"/soknader/{applications['own'].pk}/")
    assert site.path == f"/konto/logg-inn/?next=/soknader/{applications['own'].pk}/"
    assert site.h1() == "Logg inn"


def test_wrong_password_is_refused_on_the_login_page(site):
    site.visit("/konto/logg-inn/")
    site.page.get_by_label("Brukernavn").fill("kari")
    site.page.get_by_label("Passord").fill("feil-passord")
    site.click_button("Logg inn")
    assert site.path == "/konto/logg-inn/"
    assert site.focused()["id"] == "feilsammendrag"
    assert site.alerts() == [
        "Brukernavnet eller passordet er feil. Merk at det skilles mellom store og små bokstaver."
    ]
    site.check("innlogging-feil")
    site.click_link("Glemt passordet?")
    site.check("glemt-passord")
    site.page.get_by_label("E-post").fill("kari.fjordvik@fjordvik.kommune.example")
    site.click_button("Send lenke")
    assert site.path == "/konto/passord/nullstill/sendt/"
    site.check("glemt-passord-sendt")
