"""The application with the keyboard alone: Tab, Shift+Tab, Space and Enter, with the focus
visible on every element it lands on."""

import pytest

from applications.models import Application

pytestmark = pytest.mark.e2e


def assert_focus_visible(site, element_id=None):
    focus = site.focused()
    assert focus is not None, "ingenting har fokus"
    if element_id is not None:
        assert focus["id"] == element_id
    assert focus["outline"] or focus["shadow"], f"fokus synes ikke på {focus}"


def type_into(site, selector, text):
    site.tab_to(selector)
    assert_focus_visible(site)
    site.page.keyboard.press("Control+A")
    site.page.keyboard.type(text)


def test_contact_and_schools_can_be_completed_with_the_keyboard_alone(site, scenario):
    scenario.invite()
    page = site.page
    site.log_in_as("municipality")
    site.tab_to(page.get_by_role("button", name="Start søknaden"))
    assert_focus_visible(site)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    application = Application.objects.get()

    # The skip link is the first stop, and shows itself when focused.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("visually-hidden-focusable")
    assert page.locator(".skip-link").bounding_box()["width"] > 1
    assert_focus_visible(site)
    page.keyboard.press("Enter")
    assert site.focused()["id"] == "hovedinnhold"
    site.tab_to(page.locator("main").get_by_role("link", name="Kontaktperson", exact=True))
    assert_focus_visible(site)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert site.path == f"/soknader/{application.pk}/kontakt/"

    type_into(site, "#id_contact_role", "Rådgivar")
    type_into(site, "#id_contact_email", "kari.fjordvik@")
    type_into(site, "#id_contact_phone", "22 33 44 55")
    site.tab_to("button[name=neste]")
    assert_focus_visible(site)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The error summary takes the focus; its link takes it on to the field.
    assert_focus_visible(site, "feilsammendrag")
    site.tab_to("#feilsammendrag a")
    assert_focus_visible(site)
    page.keyboard.press("Enter")
    assert_focus_visible(site, "id_contact_email")
    page.keyboard.press("End")
    page.keyboard.type("fjordvik.kommune.example")
    # Back up to the role field and on again: Shift+Tab works too.
    site.tab_to("#id_contact_role", backwards=True)
    site.tab_to("button[name=neste]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert site.path == f"/soknader/{application.pk}/skoler/"

    site.tab_to("#id_schools_0")
    assert_focus_visible(site)
    page.keyboard.press("Space")
    site.tab_to("#id_schools_2")
    page.keyboard.press("Space")
    assert page.locator("#id_schools_0").is_checked()
    assert page.locator("#id_schools_2").is_checked()
    site.tab_to("button[name=lagre]")
    assert_focus_visible(site)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Lagret." in site.alerts()

    application.refresh_from_db()
    assert (
        application.contact_role,
        application.contact_email,
        application.contact_phone,
    ) == ("Rådgivar", "kari.fjordvik@fjordvik.kommune.example", "22 33 44 55")
    assert sorted(unit.school.name for unit in application.schools.all()) == [
        "Berg ungdomsskule",
        "Strand skule",
    ]
