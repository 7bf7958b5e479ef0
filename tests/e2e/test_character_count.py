"""The free texts of the application count as one types, and say when a text is too long."""

import pytest

from applications.models import Application

pytestmark = pytest.mark.e2e


def test_the_motivation_counts_characters_as_one_types_and_tells_screen_readers(site, scenario):
    scenario.invite()
    application = Application.objects.create(
        cohort=scenario.cohort, municipality=scenario.municipality
    )
    site.log_in_as("municipality")
    site.visit(f"/soknader/{application.pk}/motivasjon/")
    page = site.page
    field = page.locator("#id_motivation_why")
    counter = page.locator("#id_motivation_why-tegn")
    spoken = page.locator("#id_motivation_why-tegn + [aria-live=polite]")

    assert counter.inner_text() == "0 av 4\u00a0000 tegn"
    assert "id_motivation_why-tegn" in field.get_attribute("aria-describedby").split()
    field.click()
    page.keyboard.type("Trygt\nmiljø")
    assert counter.inner_text() == "11 av 4\u00a0000 tegn"
    page.wait_for_function(
        "element => element.textContent === '11 av 4\u00a0000 tegn'", arg=spoken.element_handle()
    )
    site.check("soknad-motivasjon-teller")

    field.fill("å" * 4001)
    assert counter.inner_text() == "4\u00a0001 av 4\u00a0000 tegn – 1 for mange"
    site.click_button("Lagre utkast")
    assert "Kort den ned med 1 tegn." in site.main_text()
    assert Application.objects.get(pk=application.pk).motivation_why == ""

    site.switch_language("nn")
    assert page.locator("#id_motivation_why-tegn").inner_text().endswith("av 4\u00a0000 teikn")
    site.check("soknad-motivasjon-teller")
