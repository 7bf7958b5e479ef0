"""In the browser, in both languages: the office follows up its invited municipalities on
«Oppfølging», asks Fjordvik a question beside the score, Fjordvik answers on its application
page without the application going back to draft, and the office and Udir read the answer."""

import pytest

from applications import services
from applications.models import Application
from tests.applications.factories import complete_application

pytestmark = pytest.mark.e2e

QUESTION = "Kor mange elevar går på Strand skule no?"
ANSWER = "Det går 212 elevar på Strand skule."


def test_a_question_reaches_the_municipality_and_its_answer_comes_back(site, scenario):
    scenario.invite()
    application = complete_application(
        cohort=scenario.cohort, municipality=scenario.municipality, schedule=False
    )
    application = services.submit(application=application, actor=scenario.users["municipality"])
    site.user_texts |= {QUESTION, ANSWER, application.reference}
    page = site.page

    site.log_in_as("office")
    site.click_link("Oppfølging")
    assert site.h1() == "Oppfølging"
    assert "Kommunen har sendt inn søknaden, så den trenger ingen påminnelse." in site.main_text()
    site.check("oppfolging")
    site.switch_language("nn")
    assert "Kommunen har sendt inn søknaden, så han treng inga påminning." in site.main_text()
    site.check("oppfolging")
    site.switch_language("nb")

    site.visit(f"/utvelging/vurdering/soknad/{application.pk}/")
    page.get_by_label("Nytt spørsmål til kommunen").fill(QUESTION)
    site.click_button("Send spørsmålet")
    assert "Spørsmålet er sendt til Fjordvik. Kommunen får beskjed på e-post." in site.alerts()
    assert "venter på svar" in site.main_text()
    site.check("poeng-sporsmal")
    site.logout()

    site.log_in_as("municipality")
    site.visit(f"/soknader/{application.pk}/")
    site.switch_language("nn")
    section = page.locator("#sporsmal")
    assert QUESTION in section.inner_text()
    assert "Søknaden er framleis send inn og blir ikkje eit utkast igjen." in section.inner_text()
    site.check("soknad-sporsmal")
    page.get_by_label("Svar til embetet").fill("")
    site.click_button("Send svaret")
    assert "Skriv svaret til embetet." in site.alerts()
    page.get_by_label("Svar til embetet").fill(ANSWER)
    site.click_button("Send svaret")
    assert f"Svaret er sendt til {scenario.office.name}." in site.alerts()
    assert ANSWER in page.locator("#sporsmal").inner_text()
    site.check("soknad-svar")
    assert Application.objects.get(pk=application.pk).status == Application.Status.SUBMITTED
    site.logout()

    for who in ("office", "udir"):
        site.log_in_as(who)
        site.visit(f"/utvelging/vurdering/soknad/{application.pk}/")
        assert ANSWER in page.locator("#sporsmal").inner_text()
        site.check(f"poeng-svar-{who}")
        site.switch_language("nn")
        assert "Svar frå Kari Fjordvik" in page.locator("#sporsmal").inner_text()
        site.check(f"poeng-svar-{who}")
        site.switch_language("nb")
        site.logout()
