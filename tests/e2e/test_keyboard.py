"""The application with the keyboard alone: Tab, Shift+Tab, Space and Enter, with the focus
visible on every element it lands on."""

from urllib.parse import urlsplit

import pytest
from django.utils import translation

from applications import services
from applications.models import Application
from laeringsmiljo.times import long_date
from selection.scoring.engine import score_application
from tests.applications.factories import complete_application

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


def _state_of(page, part):
    """The text state of a part in the progress list, and whether it is the current one."""
    item = page.locator("nav[aria-labelledby=fremdrift-tittel] li", has_text=part)
    return item.locator(".progress-state").inner_text(), item.get_attribute("aria-current")


def _press(site, key="Enter"):
    with site.page.expect_navigation():
        site.page.keyboard.press(key)


def test_the_application_is_completed_and_sent_through_its_progress_list_with_the_keyboard(
    site, scenario
):
    """Every part but the PP service is done: the progress list says so in text, its link to the
    next part that is not done leads there, a mistake takes the focus to the error summary,
    saving marks the part done, and the declaration and «Send inn» follow."""
    scenario.invite()
    application = complete_application(
        cohort=scenario.cohort, municipality=scenario.municipality, schedule=False
    )
    Application.objects.filter(pk=application.pk).update(
        ppt_service=None, ppt_contact_name="", ppt_contact_email=""
    )
    site.user_texts |= {"Pia PPT", "pia@ppt.example"}
    page = site.page
    site.log_in_as("municipality")
    site.tab_to(page.get_by_role("link", name="Fortsett på søknaden"))
    assert_focus_visible(site)
    _press(site)
    assert site.path == f"/soknader/{application.pk}/"

    # The progress list: each part with its state in words, the summary the current step.
    site.tab_to("nav[aria-labelledby=fremdrift-tittel] a >> nth=0")
    assert_focus_visible(site)
    assert _state_of(page, "PP-tjenesten") == ("ikke påbegynt", None)
    assert _state_of(page, "Kontaktperson") == ("ferdig", None)
    summary_step = page.locator("nav[aria-labelledby=fremdrift-tittel] li[aria-current=step]")
    assert summary_step.inner_text().strip() == "Oppsummering og innsending"
    assert page.get_by_role("link", name="Send inn", exact=True).count() == 0
    # The next part that is not done is one link away.
    site.tab_to(page.get_by_role("link", name="Gå til PP-tjenesten"))
    assert_focus_visible(site)
    _press(site)
    assert site.path == f"/soknader/{application.pk}/ppt/"
    assert site.h1() == "4. PP-tjenesten"
    assert _state_of(page, "PP-tjenesten") == ("ikke påbegynt", "step")

    site.tab_to("#id_ppt_service")
    assert_focus_visible(site)
    page.keyboard.press("ArrowDown")
    type_into(site, "#id_ppt_contact_name", "Pia PPT")
    type_into(site, "#id_ppt_contact_email", "pia@")
    site.tab_to("button[name=lagre]")
    _press(site)

    # The error summary takes the focus; its link takes it to the field, kept as typed.
    assert_focus_visible(site, "feilsammendrag")
    site.tab_to("#feilsammendrag a")
    page.keyboard.press("Enter")
    assert_focus_visible(site, "id_ppt_contact_email")
    page.keyboard.press("End")
    page.keyboard.type("ppt.example")
    site.tab_to("button[name=lagre]")
    _press(site)
    assert "Lagret." in site.alerts()
    # The page after saving keeps the address the error summary's link gave it, so the focus
    # is back on the field that was corrected; Shift+Tab leads back up to the progress list.
    assert urlsplit(page.url).fragment == "id_ppt_contact_email"
    assert_focus_visible(site, "id_ppt_contact_email")
    site.tab_to(
        page.locator("nav[aria-labelledby=fremdrift-tittel]").get_by_role(
            "link", name="Motivasjon"
        ),
        backwards=True,
    )
    assert_focus_visible(site)
    assert _state_of(page, "PP-tjenesten") == ("ferdig", "step")
    application.refresh_from_db()
    assert application.ppt_service_id is not None
    assert application.ppt_contact_email == "pia@ppt.example"
    # Nothing is missing: the summary offers «Send inn».
    site.tab_to(page.get_by_role("link", name="Oppsummering og innsending"))
    _press(site)
    assert page.locator("#status-tittel").inner_text() == "Klar til innsending"
    site.tab_to(page.get_by_role("link", name="Send inn", exact=True))
    assert_focus_visible(site)
    _press(site)
    assert site.path == f"/soknader/{application.pk}/send/"
    assert site.h1() == "Send inn søknaden"
    preview = page.locator("#det-som-sendes").inner_text()
    assert "Statsforvalteren i Fjordfylke" in preview
    assert "Pia PPT" in preview
    site.check("erklaering")
    site.switch_language("nn")
    site.check("erklaering")

    # Sent without the declaration: the error summary says so and leads to the checkbox.
    site.tab_to(page.get_by_role("button", name="Send inn", exact=True))
    assert_focus_visible(site)
    _press(site)
    assert_focus_visible(site, "feilsammendrag")
    application.refresh_from_db()
    assert not application.is_submitted
    site.tab_to("#feilsammendrag a")
    page.keyboard.press("Enter")
    assert_focus_visible(site, "id_bekreftet")
    page.keyboard.press("Space")
    assert page.locator("#id_bekreftet").is_checked()
    site.tab_to(page.get_by_role("button", name="Send inn", exact=True))
    _press(site)
    application.refresh_from_db()
    assert application.is_submitted
    assert site.path == f"/soknader/{application.pk}/kvittering/"
    site.user_texts.add(application.reference)
    deadline = scenario.schedule.recommendation_deadline
    with translation.override("nn"):
        said = f"til Udir innan {long_date(deadline)}."
    assert said in page.locator("section[aria-labelledby=neste-tittel]").inner_text()
    site.check("kvittering")
    site.switch_language("nb")
    with translation.override("nb"):
        said = f"til Udir innen {long_date(deadline)}."
    assert said in page.locator("section[aria-labelledby=neste-tittel]").inner_text()
    site.check("kvittering")


def test_the_score_page_opens_each_explanation_from_the_keyboard(site, scenario):
    """The office reads the result and grades first; the explanations are folded, and a
    summary or the table's link opens one from the keyboard."""
    scenario.invite()
    application = complete_application(
        cohort=scenario.cohort, municipality=scenario.municipality, schedule=False
    )
    application = services.submit(application=application, actor=scenario.users["municipality"])
    score_application(application=application, actor=None)
    site.user_texts.add(application.reference)
    page = site.page
    site.log_in_as("office")
    site.visit(f"/utvelging/vurdering/soknad/{application.pk}/")
    explanations = page.locator("details.criterion-explanation")
    assert explanations.count() == 6
    assert all(not element.evaluate("e => e.open") for element in explanations.all())
    site.check("poeng-forklaringer")

    first = page.locator("#kriterium-1 > summary")
    site.tab_to(first)
    assert_focus_visible(site)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('kriterium-1').open", timeout=5_000)
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.getElementById('kriterium-1').open", timeout=5_000)

    # The table's link to a folded explanation opens it.
    site.tab_to(page.locator("table a[href='#kriterium-3']"), backwards=True)
    page.keyboard.press("Enter")
    # The address gets the fragment, and the page opens what it points to.
    page.wait_for_function("() => document.getElementById('kriterium-3').open", timeout=5_000)
    site.switch_language("nn")
    assert page.locator("th", has_text="Høgst").count() == 1
    site.check("poeng-forklaringer")
