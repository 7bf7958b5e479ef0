"""A part left open in one tab while the user signs out and in again in another: saving it
gives a page that says what happened, and the text comes back to the part."""

import pytest

from applications.models import Application
from tests.e2e.pages import Site

pytestmark = pytest.mark.e2e


def test_a_part_saved_after_signing_in_again_elsewhere_keeps_the_text(site, scenario):
    scenario.invite()
    application = Application.objects.create(
        cohort=scenario.cohort, municipality=scenario.municipality
    )
    site.log_in_as("municipality")
    site.visit(f"/soknader/{application.pk}/kontakt/")
    site.page.locator("#id_contact_name").fill("Kari i den første fanen")

    other = Site(site.page.context.new_page(), site.base_url, people=site.people)
    other.visit("/")
    other.logout()
    other.log_in_as("municipality")
    other.page.close()

    site.click_button("Lagre utkast")
    assert site.h1() == "Skjemaet ble ikke sendt"
    assert "Det du skrev, er tatt vare på." in site.main_text()
    site.check("skjema-ikke-sendt")
    site.click_link("Tilbake til delen")
    assert site.path == f"/soknader/{application.pk}/kontakt/"
    assert site.page.locator("#id_contact_name").input_value() == "Kari i den første fanen"
    assert "Dette er det du skrev sist. Det er ikke lagret ennå: se over og lagre." in (
        site.alerts()
    )
    application.refresh_from_db()
    assert application.contact_name == ""
