"""The cohort as its people meet it, in Chromium: the municipality fills in its application over
three visits, meets an error and corrects it, sends it and sees its receipt; the office finds it
in its list and reopens it; Udir sees it. Every page passed is checked (one h1, a title, its
language, axe) and photographed, in bokmål and once more in nynorsk.

The selection app's steps (survey import, grading, ranking, recommendation, Udir's decision and
the decision letter) are to be added to this walk as those pages arrive."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from applications.models import Application
from tests.applications.factories import pdf_bytes
from tests.e2e.pages import wait_for

pytestmark = pytest.mark.e2e

SECTION_SLUGS = ["kontakt", "skoler", "barnehager", "ppt", "forpliktelser", "motivasjon", "vedlegg"]

TYPED = {
    "contact_role": "Kommunalsjef for oppvekst",
    "contact_phone": "22 33 44 55",
    "bad_email": "kari.fjordvik(a)fjordvik.kommune.example",
    "challenges": "Få born går vidare til skulane i kommunen.",
    "ppt_contact": "Pia Pedagog",
    "ppt_email": "pia.pedagog@ppt.example",
    "why": "Elevundersøkinga viser for mykje mobbing på mellomtrinnet.",
    "goals": "Vi vil byggje ein felles praksis for trygge og gode skule- og barnehagemiljø.",
    "priority": "Kommunen set av tid til møte og opplæring i alle einingar.",
    "unit_motivation": "Personalet er klart for å ta del.",
    "attachment": "Handlingsplan for trygt miljø",
}


def application(scenario):
    return Application.objects.get(cohort=scenario.cohort, municipality=scenario.municipality)


def group(site, name):
    """A fieldset, found by its legend."""
    return site.page.get_by_role("group", name=name, exact=True)


def municipality_first_visit(site, scenario):
    """Log in, start the application, fill in the contact person (meeting an error on the way),
    choose schools and kindergartens, link them, reload, log out."""
    page = site.page
    site.visit("/")
    site.check("innlogging")
    site.log_in_as("municipality")
    assert site.path == "/kommune/"
    site.check("kommunens-side")

    site.click_button("Start søknaden")
    pk = application(scenario).pk
    assert site.path == f"/soknader/{pk}/"
    assert site.h1() == "Søknad fra Fjordvik"
    site.check("soknad-utkast")

    site.click_link("Kontaktperson")
    assert site.path == f"/soknader/{pk}/kontakt/"
    # Prefilled from the user who started the application.
    assert page.get_by_label("Kontaktperson", exact=True).input_value() == "Kari Fjordvik"
    site.check("1-kontaktperson")
    page.get_by_label("Stilling", exact=True).fill(TYPED["contact_role"])
    page.get_by_label("E-post", exact=True).fill(TYPED["bad_email"])
    page.get_by_label("Telefon", exact=True).fill(TYPED["contact_phone"])
    site.click_button("Lagre og gå videre")

    assert site.path == f"/soknader/{pk}/kontakt/"
    summary = page.locator("#feilsammendrag")
    assert summary.get_by_role("heading").inner_text() == "Det er 1 feil i skjemaet"
    assert site.focused()["id"] == "feilsammendrag"
    site.check("1-kontaktperson-feil")
    # What was typed is kept, valid or not.
    assert page.get_by_label("Stilling", exact=True).input_value() == TYPED["contact_role"]
    summary.get_by_role("link", name="E-post: Skriv en gyldig e-postadresse").click()
    assert site.focused()["id"] == "id_contact_email"
    page.keyboard.press("Control+A")
    page.keyboard.type("kari.fjordvik@fjordvik.kommune.example")
    site.click_button("Lagre og gå videre")

    assert site.path == f"/soknader/{pk}/skoler/"
    assert "Lagret." in site.alerts()
    site.check("2-skoler")
    page.get_by_label("Fjordvik skule").check()
    page.get_by_label("Berg ungdomsskule").check()
    site.click_button("Lagre og gå videre")

    assert site.path == f"/soknader/{pk}/barnehager/"
    site.check("3-barnehager")
    page.get_by_label("Solsikken barnehage").check()
    page.get_by_label("Maurtua barnehage").check()
    site.click_button("Lagre utkast")
    assert site.path == f"/soknader/{pk}/barnehager/"
    group(site, "Solsikken barnehage").get_by_label("Fjordvik skule").check()
    group(site, "Maurtua barnehage (privat)").get_by_label("Kjente utfordringer").fill(
        TYPED["challenges"]
    )
    site.click_button("Lagre utkast")
    assert "Lagret." in site.alerts()
    site.check("3-barnehager-overganger")

    # The draft survives a reload.
    page.reload()
    assert group(site, "Solsikken barnehage").get_by_label("Fjordvik skule").is_checked()
    assert (
        group(site, "Maurtua barnehage (privat)").get_by_label("Kjente utfordringer").input_value()
        == TYPED["challenges"]
    )
    site.logout()
    assert site.path == "/konto/logg-inn/"


def municipality_second_visit(site, scenario):
    """Log in again: the draft is there. PPT and the commitments."""
    page = site.page
    site.log_in_as("municipality")
    assert "Utkast" in site.main_text()
    site.check("kommunens-side-utkast")
    site.click_link("Fortsett på søknaden")
    pk = application(scenario).pk
    assert site.path == f"/soknader/{pk}/"
    summary = page.locator("main").inner_text()
    assert "kari.fjordvik@fjordvik.kommune.example" in summary
    assert "Berg ungdomsskule" in summary
    assert "Solsikken barnehage" in summary
    site.check("soknad-delvis")

    site.click_link("PP-tjenesten")
    assert site.path == f"/soknader/{pk}/ppt/"
    site.check("4-ppt")
    page.get_by_label("PP-tjenesten som tjener kommunen").select_option(label=scenario.ppt.name)
    page.get_by_label("Kontaktperson i PPT").fill(TYPED["ppt_contact"])
    page.get_by_label("E-post til kontaktpersonen i PPT").fill(TYPED["ppt_email"])
    site.click_button("Lagre og gå videre")

    assert site.path == f"/soknader/{pk}/forpliktelser/"
    site.check("5-forpliktelser")
    for legend, name, role, confirmation in [
        (
            "Skoleeier (kommunen)",
            "Ola Kommunedirektør",
            "Kommunedirektør",
            "Skoleeier bekrefter at kommunen deltar i hele perioden",
        ),
        (
            "Barnehageeier for de kommunale barnehagene",
            "Åse Barnehagesjef",
            "Barnehagesjef",
            "Barnehagemyndigheten bekrefter at de kommunale barnehagene deltar i hele perioden",
        ),
        (
            "PP-tjenesten",
            "Per Leiar",
            "Leiar for PPT",
            "PP-tjenesten bekrefter at den deltar i hele perioden",
        ),
    ]:
        fieldset = group(site, legend)
        fieldset.get_by_label("Navn", exact=True).fill(name)
        fieldset.get_by_label("Stilling", exact=True).fill(role)
        fieldset.get_by_label(confirmation).check()
    for school, leader in [
        ("Berg ungdomsskule", "Bente Rektor"),
        ("Fjordvik skule", "Rune Rektor"),
    ]:
        fieldset = group(site, school)
        fieldset.get_by_label("Rektors navn").fill(leader)
        fieldset.get_by_label("Rektor bekrefter at skolen deltar i hele perioden").check()
    for kindergarten, leader in [
        ("Maurtua barnehage", "Mari Styrar"),
        ("Solsikken barnehage", "Siri Styrar"),
    ]:
        fieldset = group(site, kindergarten)
        fieldset.get_by_label("Styrers navn").fill(leader)
        fieldset.get_by_label("Styrer bekrefter at barnehagen deltar i hele perioden").check()
    maurtua = group(site, "Maurtua barnehage")
    maurtua.get_by_label("Navn på eiers representant").fill("Eli Eigar")
    maurtua.get_by_label("Eiers representant, stilling").fill("Dagleg leiar")
    maurtua.get_by_label("Eieren bekrefter at barnehagen deltar i hele perioden").check()
    site.click_button("Lagre og gå videre")
    assert site.path == f"/soknader/{pk}/motivasjon/"
    site.logout()


def municipality_third_visit(site, scenario, tmp_path):
    """Motivation, an attachment, the complete summary."""
    page = site.page
    site.log_in_as("municipality")
    site.click_link("Fortsett på søknaden")
    pk = application(scenario).pk
    assert site.path == f"/soknader/{pk}/"
    site.check("soknad-delvis")
    site.click_link("Motivasjon")
    assert site.path == f"/soknader/{pk}/motivasjon/"
    site.check("6-motivasjon")
    page.get_by_label("Hvorfor kommunen søker").fill(TYPED["why"])
    page.get_by_label("Hva kommunen vil arbeide med").fill(TYPED["goals"])
    page.get_by_label("Hvordan kommunen vil prioritere arbeidet").fill(TYPED["priority"])
    for unit in ["Berg ungdomsskule", "Fjordvik skule", "Maurtua barnehage", "Solsikken barnehage"]:
        group(site, unit).get_by_label("Kort motivasjon").fill(TYPED["unit_motivation"])
    site.click_button("Lagre og gå videre")

    assert site.path == f"/soknader/{pk}/vedlegg/"
    site.check("7-vedlegg")
    pdf = tmp_path / "handlingsplan.pdf"
    pdf.write_bytes(pdf_bytes(pages=2))
    page.get_by_label("PDF-fil").set_input_files(pdf)
    page.get_by_label("Beskrivelse").fill(TYPED["attachment"])
    site.click_button("Last opp")
    assert "Vedlegget er lastet opp." in site.alerts()
    assert page.get_by_role("link", name="handlingsplan.pdf").is_visible()
    site.check("7-vedlegg-lastet-opp")

    site.click_link("Gå til oppsummering")
    assert site.path == f"/soknader/{pk}/"
    assert page.get_by_text("Søknaden er komplett.").is_visible()
    site.check("oppsummering-komplett")


def municipality_in_nynorsk_sends(site, scenario):
    """Switch to nynorsk on the summary, pass through every section, send, see the receipt;
    switch back to bokmål on the receipt."""
    pk = application(scenario).pk
    site.switch_language("nn")
    site.check("oppsummering-komplett")
    for number, slug in enumerate(SECTION_SLUGS, start=1):
        site.visit(f"/soknader/{pk}/{slug}/")
        site.check(f"{number}-{slug}")
    site.visit("/kommune/")
    site.check("kommunens-side")
    site.visit(f"/soknader/{pk}/")
    with site.page.expect_navigation():
        site.page.locator("form[action$='/send/'] button").click()

    submitted = application(scenario)
    assert submitted.reference == "LMP6-6001-1"
    assert site.path == f"/soknader/{pk}/kvittering/"
    assert "LMP6-6001-1" in site.main_text()
    site.check("kvittering")
    site.switch_language("nb")
    assert site.h1() == "Kvittering for innsendt søknad"
    assert site.page.locator("main strong", has_text="LMP6-6001-1").is_visible()
    site.check("kvittering")
    site.logout()


def office_reopens(site, scenario):
    """The office finds the application in its list, reads it and reopens it."""
    page = site.page
    site.log_in_as("office")
    assert site.path == "/embete/"
    site.check("embetets-side")
    site.click_link("Søknader")
    assert site.path == "/soknader/"
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "LMP6-6001-1" in rows.first.inner_text()
    site.check("soknader")
    site.click_link("6001 Fjordvik")
    pk = application(scenario).pk
    assert site.path == f"/soknader/{pk}/"
    site.check("soknad-embete")
    new_deadline = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("Ny frist for kommunen").fill(new_deadline.isoformat())
    site.click_button("Gjenåpne")
    assert site.path == f"/soknader/{pk}/"
    assert any(alert.startswith("Søknaden er gjenåpnet.") for alert in site.alerts())
    site.check("soknad-gjenapnet")
    reopened = application(scenario)
    assert (reopened.status, reopened.deadline_override) == ("utkast", new_deadline)
    # The office's pages once more in nynorsk; the browser keeps the choice for Udir.
    site.switch_language("nn")
    site.check("soknad-gjenapnet")
    site.click_link("Sida til embetet")
    site.check("embetets-side")
    site.click_link("Søknader")
    site.check("soknader")
    site.logout()


def udir_looks(site):
    """Udir, in nynorsk, sees the application among all of them."""
    site.log_in_as("udir")
    assert site.path == "/udir/"
    assert site.language == "nn"
    site.check("udirs-side")
    site.click_link("Søknader")
    assert "6001 Fjordvik" in site.main_text()
    site.check("soknader-udir")
    site.logout()


def test_cohort_walk_from_empty_draft_to_reopened_application(
    site, scenario, task_worker, tmp_path
):
    municipality_first_visit(site, scenario)
    municipality_second_visit(site, scenario)
    municipality_third_visit(site, scenario, tmp_path)
    municipality_in_nynorsk_sends(site, scenario)
    # The receipt goes out from a task: the worker's where CI has one, in-process otherwise.
    wait_for(
        lambda: application(scenario).receipt_sent_for == "LMP6-6001-1",
        message="kvitteringen ble ikke sendt",
    )
    if task_worker is None:
        assert [message.to for message in mail.outbox] == [
            ["kari.fjordvik@fjordvik.kommune.example", "postmottak@fjordvik.kommune.example"]
        ]
    office_reopens(site, scenario)
    udir_looks(site)
    assert {(name, language) for name, language, _ in site.checked} >= {
        ("innlogging", "nb"),
        ("kommunens-side", "nb"),
        ("kommunens-side", "nn"),
        ("oppsummering-komplett", "nn"),
        ("kvittering", "nb"),
        ("kvittering", "nn"),
        ("soknader", "nb"),
        ("soknader", "nn"),
        ("udirs-side", "nn"),
    }
