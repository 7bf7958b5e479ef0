"""After the office's deadline the municipality sees that it has passed and cannot send."""

import pytest

from applications.models import Application

pytestmark = pytest.mark.e2e


def test_municipality_sees_the_deadline_has_passed_and_no_send_button(site, scenario):
    scenario.invite()
    application = Application.objects.create(
        cohort=scenario.cohort, municipality=scenario.municipality
    )
    scenario.close_applications()
    site.log_in_as("municipality")

    assert site.path == "/kommune/"
    assert "(fristen er ute)" in site.main_text()
    site.check("kommunens-side-frist-ute")
    site.click_link("Fortsett på søknaden")
    assert site.path == f"/soknader/{application.pk}/"
    assert site.page.locator("main strong", has_text="fristen er ute").is_visible()
    assert site.page.get_by_role("button", name="Send inn").count() == 0
    assert site.page.get_by_role("link", name="Send inn").count() == 0
    assert "Søknadsfristen er ute, og søknaden kan ikke sendes." in site.main_text()
    site.check("soknad-frist-ute")


def test_municipality_cannot_start_an_application_after_the_deadline(site, scenario):
    scenario.invite()
    scenario.close_applications()
    site.log_in_as("municipality")
    assert "(fristen er ute)" in site.main_text()
    assert site.page.get_by_role("button", name="Start søknaden").count() == 0
    assert Application.objects.count() == 0


def test_a_part_after_the_deadline_says_what_to_do_and_cannot_be_saved(site, scenario):
    scenario.invite()
    application = Application.objects.create(
        cohort=scenario.cohort,
        municipality=scenario.municipality,
        contact_name="Kari Fjordvik",
    )
    scenario.close_applications()
    site.log_in_as("municipality")
    site.visit(f"/soknader/{application.pk}/kontakt/")
    page = site.page

    alert = page.get_by_role("alert")
    assert "Søknadsfristen er ute" in alert.inner_text()
    assert f"kan dere be {scenario.office.name} om å gjenåpne søknaden" in alert.inner_text()
    assert page.locator("#id_contact_name").is_disabled()
    assert page.locator("#id_contact_name").input_value() == "Kari Fjordvik"
    assert page.get_by_role("button", name="Lagre utkast").count() == 0
    site.check("soknad-del-frist-ute")
    site.switch_language("nn")
    assert "Søknadsfristen er ute" in page.get_by_role("alert").inner_text()
    site.check("soknad-del-frist-ute")
