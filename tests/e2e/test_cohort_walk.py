"""The whole cohort as its people meet it, in Chromium.

The office imports a survey file made from its own template, sees the preview and confirms, and
invites from the proposal; it makes the invitation letters, which wait in the outbox until it
presses «Send alle». The municipality fills in its
application over three visits (the draft survives a reload and a new login), meets an error and
corrects it, sends it and sees its receipt; its neighbour applies too. The office finds the
application in its list and reopens it, Udir sees it, and the municipality sends it again. The
office scores, grades, ranks and sends its recommendation; Udir decides, meets the need to
explain a departure from the proposal, and publishes. The decision letters are made in the
background (by a real Celery worker where CI has one), wait in the outbox until Udir presses
«Send alle», and the municipality downloads its own.

Every page passed is checked (one h1, a title, its language, axe) and photographed, in bokmål,
and the main ones once more in nynorsk."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.commitments import token_hash
from applications.models import Application, Commitment
from selection.models import (
    Decision,
    ImportRecord,
    Invitation,
    Letter,
    LetterBatch,
    MotivationGrade,
    OfficeReview,
    PendingImport,
    Publication,
    SurveyFigure,
    format_school_year,
)
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


# What the office and Udir write.
ASSESSMENT = {
    "grade_fjordvik": "Leiinga har forankra arbeidet, og alle einingane har ein plan.",
    "grade_nabovik": "God vilje, men planen for barnehagen er tynn.",
    "move": "Fjordvik tek med heile kjeda frå barnehage til ungdomsskule.",
    "verdict_fjordvik": "Sterk motivasjon og alle einingane med.",
    "verdict_nabovik": "Høge mobbetal, men svakare plan.",
    "justification": "Vi innstiller Fjordvik og set Nabovik som reserve.",
    "decision_fjordvik": "Fjordvik er innstilt som nummer 1 og får plassen i fylket.",
    "decision_nabovik": "Kapasiteten i fylket er fylt, og Nabovik står som reserve.",
}

SURVEY_FILE = "elevundersokelsen-fjordfylke.xlsx"

# Per school: (share bullied, respondents) in the earlier and the later school year; "*" is a
# suppressed cell. Nabovik's figures are the highest; Strand skule, which does not take part,
# has a suppressed later year.
SURVEY = {
    "Berg ungdomsskule": [("9,0", 100), ("10,5", 110)],
    "Fjordvik skule": [("8,0", 80), ("7,5", 85)],
    "Strand skule": [("2,1", 400), ("*", "*")],
    "Nabovik skule": [("14,0", 120), ("13,2", 125)],
}


PROVISIONAL = "Foreløpig landsgjennomsnitt i kriterium 1"


def messages(site):
    """The page's alerts but the note on a provisional national reference."""
    return [alert for alert in site.alerts() if not alert.startswith(PROVISIONAL)]


def provisional_note(site):
    (note,) = [alert for alert in site.alerts() if alert.startswith(PROVISIONAL)]
    return note


def survey_years(scenario):
    """Two school years whose figures are out when the office invites: the cohort counts its
    bullying rates back from the last school year with figures before it starts."""
    start = scenario.cohort.start_date.year
    return [start - 3, start - 2]


def row(site, text):
    """The table row that mentions the text."""
    return site.page.locator("main tbody tr").filter(has_text=text)


def fill_survey_template(template, target, scenario):
    """Fill in the downloaded template: the office's figures for two school years, and a row
    with a share that cannot be right."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    column = {name: headers.index(name) for name in headers}
    school_rows = [list(cells) for cells in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(r[column["Skolenavn"]] for r in school_rows) == sorted(SURVEY)
    sheet.delete_rows(2, sheet.max_row)
    for year_index, year in enumerate(survey_years(scenario)):
        for school_row in school_rows:
            share, respondents = SURVEY[school_row[column["Skolenavn"]]][year_index]
            values = list(school_row)
            values[column["Skoleår"]] = format_school_year(year)
            values[column["Andel mobbet (%)"]] = share
            values[column["Antall svar"]] = respondents
            sheet.append(values)
    wrong = list(school_rows[-1])
    wrong[column["Skoleår"]] = format_school_year(survey_years(scenario)[0] - 1)
    wrong[column["Andel mobbet (%)"]] = "112,5"
    wrong[column["Antall svar"]] = 120
    sheet.append(wrong)
    workbook.save(target)


def wait_for_batch(site, path, *, timeout=90):
    """Open the batch page until it says the batch is finished: the letters are made by a task.
    Opening it again within the page's own five-second poll keeps its script from reloading the
    page under the checks."""
    page = site.page

    def finished():
        site.visit(path)
        return page.locator("#framdrift").get_attribute("data-finished") == "1"

    wait_for(finished, timeout=timeout, message=f"brevene i {path} ble ikke ferdige")


def send_all(site, batch):
    """Press «Send alle» on the batch page, then wait until every letter is sent."""
    site.click_button("Send alle (2 brev)")
    assert site.alerts()[0] == "2 brev sendes nå."
    wait_for_batch(site, site.path)
    assert "Sendt. 2 av 2 brev er ferdige." in site.main_text()
    assert Letter.objects.filter(batch=batch, send_status="sendt").count() == 2


def office_imports_and_invites(site, scenario, tmp_path):
    """The office downloads the survey template, fills it in, uploads it, reads the preview
    (one row rejected) and imports; looks at a municipality's figures; invites from the
    proposal, adding a municipality the proposal left out; makes the invitation letters."""
    page = site.page
    site.visit("/")
    site.check("innlogging")
    site.log_in_as("office")
    assert site.path == "/embete/"
    site.check("embetets-side")
    site.click_link("Kunnskapsgrunnlag, import og poeng")
    assert site.path == reverse("selection:evidence")
    site.check("grunnlag")
    site.click_link("Elevundersøkelsen (mobbing)")
    assert site.path == reverse("selection:import_upload", args=["elevundersokelsen"])
    site.check("import-elevundersokelsen")

    template = site.download(
        "Last ned en mal med overskriftene og en rad for hver skole du kan importere for (.xlsx)"
    )
    assert template.suggested_filename == "mal-elevundersokelsen.xlsx"
    template.save_as(tmp_path / template.suggested_filename)
    filled = tmp_path / SURVEY_FILE
    fill_survey_template(tmp_path / template.suggested_filename, filled, scenario)
    page.get_by_label("Fil*", exact=True).set_input_files(filled)
    site.click_button("Vis hva filen vil gjøre")

    assert site.path == reverse("selection:import_preview", args=[PendingImport.objects.get().pk])
    assert site.h1() == "Forhåndsvisning av import"
    outcomes = dict(
        zip(
            page.locator("main table").first.locator("tbody th").all_inner_texts(),
            page.locator("main table").first.locator("tbody td").all_inner_texts(),
            strict=True,
        )
    )
    assert outcomes == {"Legges til": "8", "Endres": "0", "Uendret": "0", "Avvises": "1"}
    assert "Andel mobbet må være mellom 0 og 100, ikke «112,5»." in site.main_text()
    assert SurveyFigure.objects.count() == 0
    site.check("import-forhandsvisning")
    site.click_button("Importer 8 godkjente rader")

    imported = ImportRecord.objects.get()
    assert site.path == reverse("selection:import_result", args=[imported.pk])
    assert site.alerts() == [
        f"{SURVEY_FILE} er importert: 8 nye, 0 endrede og 0 uendrede rader; 1 rader ble avvist."
    ]
    assert "Andel mobbet må være mellom 0 og 100, ikke «112,5»." in site.main_text()
    site.check("import-resultat")
    site.click_link("Tilbake til kunnskapsgrunnlaget")
    assert site.path == reverse("selection:evidence")
    assert SurveyFigure.objects.filter(suppressed=True).count() == 1
    assert row(site, SURVEY_FILE).count() == 1
    site.check("grunnlag-importert")
    site.click_link("6001 Fjordvik")
    assert "Strand skule" in site.main_text()
    # The schools against the national figure, drawn and in a table beside the drawing.
    chart = page.get_by_role("img", name=re.compile("^Andel mobbet per skoleår: kommunens skoler"))
    assert chart.is_visible()
    assert page.get_by_role(
        "table", name="Tallene i diagrammet: andel mobbet (%) per skoleår"
    ).is_visible()
    site.check("grunnlag-fjordvik")

    site.click_link("Embetets side")
    site.click_link("Invitasjoner")
    assert site.h1() == "Invitasjoner"
    # The proposal from the evidence: Nabovik's schools are above the national mean; Fjordvik's
    # are not, taken together.
    assert row(site, "6002 Nabovik").get_by_text("foreslått").is_visible()
    assert row(site, "6001 Fjordvik").get_by_text("foreslått").count() == 0
    site.check("invitasjoner")
    page.get_by_label("Inviter Nabovik").check()
    page.get_by_label("Inviter Fjordvik").check()
    site.click_button("Lagre invitasjonslisten")
    assert site.alerts() == ["Invitasjonslisten er lagret: 2 lagt til, 0 fjernet."]
    assert page.get_by_label("Inviter Fjordvik").is_checked()
    assert set(Invitation.objects.values_list("municipality__name", "was_proposed")) == {
        ("Fjordvik", False),
        ("Nabovik", True),
    }
    site.check("invitasjoner-lagret")

    site.click_link("Lag invitasjonsbrev")
    assert site.h1() == "Brev"
    site.check("brev-embete")
    site.click_button("Lag invitasjonsbrev for Statsforvalteren i Fjordfylke")
    batch = LetterBatch.objects.get(purpose=LetterBatch.Purpose.INVITATIONS)
    assert site.path == reverse("selection:batch", args=[batch.pk])
    wait_for_batch(site, site.path)
    assert "Klar til utsending. 2 av 2 brev er ferdige." in site.main_text()
    # Made, the letters wait in the outbox until the office sends them.
    assert not Letter.objects.filter(batch=batch, send_status="sendt").exists()
    send_all(site, batch)
    site.check("brevbunke-invitasjoner")

    # The office's evidence and invitation pages in nynorsk, then back to bokmål.
    site.switch_language("nn")
    site.check("brevbunke-invitasjoner")
    site.visit(reverse("selection:invitations", args=[scenario.cohort.pk, scenario.office.pk]))
    site.check("invitasjoner-lagret")
    site.visit(reverse("selection:evidence"))
    site.check("grunnlag-importert")
    site.click_link("6001 Fjordvik")
    site.check("grunnlag-fjordvik")
    site.visit(reverse("selection:import_upload", args=["elevundersokelsen"]))
    site.check("import-elevundersokelsen")
    site.switch_language("nb")
    site.logout()


def application(scenario):
    return Application.objects.get(cohort=scenario.cohort, municipality=scenario.municipality)


def group(site, name):
    """A fieldset, found by its legend."""
    return site.page.get_by_role("group", name=name, exact=True)


def municipality_first_visit(site, scenario):
    """Log in, start the application, fill in the contact person (meeting an error on the way),
    choose schools and kindergartens, link them, reload, log out."""
    page = site.page
    site.log_in_as("municipality")
    assert site.path == "/kommune/"
    # The invitation letter, in nynorsk, is there to read.
    assert page.get_by_role(
        "link", name="Invitasjon til å søkje om deltaking i Læringsmiljøprosjektet"
    ).is_visible()
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
    for legend, name, role, email in [
        ("Skoleeier (kommunen)", "Ola Kommunedirektør", "Kommunedirektør", "ola@fjordvik.example"),
        (
            "Barnehageeier for de kommunale barnehagene",
            "Åse Barnehagesjef",
            "Barnehagesjef",
            "ase@fjordvik.example",
        ),
        ("PP-tjenesten", "Per Leiar", "Leiar for PPT", "per@ppt.example"),
    ]:
        fieldset = group(site, legend)
        fieldset.get_by_label("Navn", exact=True).fill(name)
        fieldset.get_by_label("Stilling", exact=True).fill(role)
        fieldset.get_by_label("E-post (her kommer lenken for å bekrefte)").fill(email)
    for school, leader, email in [
        ("Berg ungdomsskule", "Bente Rektor", "bente@berg.example"),
        ("Fjordvik skule", "Rune Rektor", "rune@fjordvik-skule.example"),
    ]:
        fieldset = group(site, school)
        fieldset.get_by_label("Rektors navn").fill(leader)
        fieldset.get_by_label("Rektors e-post").fill(email)
    for kindergarten, leader, email in [
        ("Maurtua barnehage", "Mari Styrar", "mari@maurtua.example"),
        ("Solsikken barnehage", "Siri Styrar", "siri@solsikken.example"),
    ]:
        fieldset = group(site, kindergarten)
        fieldset.get_by_label("Styrers navn").fill(leader)
        fieldset.get_by_label("Styrers e-post").fill(email)
    maurtua = group(site, "Maurtua barnehage")
    maurtua.get_by_label("Navn på eiers representant").fill("Eli Eigar")
    maurtua.get_by_label("Eiers representant, stilling").fill("Dagleg leiar")
    maurtua.get_by_label("Eiers representant, e-post").fill("eli@eigar.example")
    site.click_button("Lagre utkast")
    assert "Lagret." in site.alerts()
    # Requests to the eight who commit; all but PPT confirm, PPT declines and is replaced.
    signatories_answer(site, pk, decline="per@ppt.example")
    site.visit(f"/soknader/{pk}/forpliktelser/")
    status = site.page.locator("#status").inner_text()
    assert "avslått" in status and "Ikkje nok tid i haust." in status
    site.check("5-forpliktelser-avslag")
    fieldset = group(site, "PP-tjenesten")
    fieldset.get_by_label("Navn", exact=True).fill("Pål Leiar")
    fieldset.get_by_label("E-post (her kommer lenken for å bekrefte)").fill("pal@ppt.example")
    site.click_button("Lagre utkast")
    signatories_answer(site, pk)
    site.visit(f"/soknader/{pk}/forpliktelser/")
    assert site.page.locator("#status .badge", has_text="bekreftet").count() == 8
    site.click_button("Lagre og gå videre")
    assert site.path == f"/soknader/{pk}/motivasjon/"
    site.logout()


def signatories_answer(site, pk, *, decline=None):
    """The contact person sends the requests; each signatory opens their own link in the
    browser and answers (the one at `decline` declines, with a comment). The e-mails go out
    from a task, the worker's in CI, so the test gives each link a token it knows, as the
    e-mail carries one."""
    site.visit(f"/soknader/{pk}/forpliktelser/")
    with site.page.expect_navigation():
        site.page.locator("form[action$='/forpliktelser/send/'] button").click()
    waiting = Commitment.objects.filter(application_id=pk, voided_at=None, answer="")
    wait_for(
        lambda: not waiting.filter(sent_at=None).exists(),
        message="forespørslene om å bekrefte ble ikke sendt",
    )
    for number, commitment in enumerate(waiting.order_by("pk")):
        token = f"kjent-lenke-{commitment.pk}"
        Commitment.objects.filter(pk=commitment.pk).update(token_hash=token_hash(token))
        site.visit(f"/soknader/forpliktelse/{commitment.pk}/{token}/")
        assert site.path == "/soknader/forpliktelse/"
        if number == 0:
            site.check("forpliktelse-bekreft")
        choice = "bekreftet"
        if commitment.email == decline:
            site.page.locator("#kommentar").fill("Ikkje nok tid i haust.")
            choice = "avslatt"
        with site.page.expect_navigation():
            site.page.locator(f"button[value={choice}]").click()
        assert Commitment.objects.get(pk=commitment.pk).answer == choice
        if number == 0:
            site.check("forpliktelse-svart")


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
    # The declaration, with exactly what is sent, before sending.
    with site.page.expect_navigation():
        site.page.locator(f"main a[href='/soknader/{pk}/send/']").click()
    site.check("send-inn")
    site.page.locator("#id_bekreftet").check()
    with site.page.expect_navigation():
        site.page.locator("main form.prevent-double-submit button[type=submit]").click()

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


def neighbour_applies(site, scenario):
    """Nabovik's contact person fills in the application in one visit and sends it."""
    page = site.page
    site.log_in_as("neighbour")
    site.click_button("Start søknaden")
    pk = Application.objects.get(municipality=scenario.neighbour).pk
    site.click_link("Kontaktperson")
    page.get_by_label("Stilling", exact=True).fill("Oppvekstsjef")
    page.get_by_label("Telefon", exact=True).fill("75 00 00 02")
    site.click_button("Lagre og gå videre")
    page.get_by_label("Nabovik skule").check()
    site.click_button("Lagre og gå videre")
    page.get_by_label("Nabovik barnehage").check()
    site.click_button("Lagre utkast")
    group(site, "Nabovik barnehage").get_by_label("Nabovik skule").check()
    site.click_button("Lagre og gå videre")
    assert site.path == f"/soknader/{pk}/ppt/"
    page.get_by_label("PP-tjenesten som tjener kommunen").select_option(label=scenario.ppt.name)
    page.get_by_label("Kontaktperson i PPT").fill("Pia Pedagog")
    page.get_by_label("E-post til kontaktpersonen i PPT").fill("pia.pedagog@ppt.example")
    site.click_button("Lagre og gå videre")
    for legend, name, email in [
        ("Skoleeier (kommunen)", "Nora Kommunedirektør", "nora@nabovik.example"),
        ("Barnehageeier for de kommunale barnehagene", "Nora Kommunedirektør", "nora@nabovik.example"),
        ("PP-tjenesten", "Per Leiar", "per@ppt.example"),
    ]:  # fmt: skip
        fieldset = group(site, legend)
        fieldset.get_by_label("Navn", exact=True).fill(name)
        fieldset.get_by_label("Stilling", exact=True).fill("Leiar")
        fieldset.get_by_label("E-post (her kommer lenken for å bekrefte)").fill(email)
    school = group(site, "Nabovik skule")
    school.get_by_label("Rektors navn").fill("Nils Rektor")
    school.get_by_label("Rektors e-post").fill("nils.rektor@nabovik.example")
    kindergarten = group(site, "Nabovik barnehage")
    kindergarten.get_by_label("Styrers navn").fill("Nina Styrar")
    kindergarten.get_by_label("Styrers e-post").fill("nina@nabovik.example")
    site.click_button("Lagre utkast")
    signatories_answer(site, pk)
    site.visit(f"/soknader/{pk}/forpliktelser/")
    site.click_button("Lagre og gå videre")
    assert site.path == f"/soknader/{pk}/motivasjon/"
    page.get_by_label("Hvorfor kommunen søker").fill("Mobbetala er for høge.")
    page.get_by_label("Hva kommunen vil arbeide med").fill("Trygge overgangar.")
    page.get_by_label("Hvordan kommunen vil prioritere arbeidet").fill("Ei eiga stilling.")
    for unit in ["Nabovik skule", "Nabovik barnehage"]:
        group(site, unit).get_by_label("Kort motivasjon").fill("Vi er klare.")
    site.click_button("Lagre og gå videre")
    site.click_link("Gå til oppsummering")
    site.click_link("Send inn")
    site.page.locator("#id_bekreftet").check()
    site.click_button("Send inn")
    assert site.path == f"/soknader/{pk}/kvittering/"
    assert Application.objects.get(pk=pk).reference == "LMP6-6002-1"
    site.logout()


def office_reopens(site, scenario):
    """The office finds the application in its list, reads it and reopens it."""
    page = site.page
    site.log_in_as("office")
    assert site.path == "/embete/"
    site.check("embetets-side")
    site.click_link("Søknader")
    assert site.path == "/soknader/"
    assert page.locator("tbody tr").count() == 2
    assert "LMP6-6001-1" in row(site, "6001 Fjordvik").inner_text()
    assert "LMP6-6002-1" in row(site, "6002 Nabovik").inner_text()
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
    assert site.path == "/konto/logg-inn/"
    site.check("innlogging")


def municipality_sends_again(site, scenario):
    """The municipality, in nynorsk as the browser was left, finds its reopened application,
    corrects the phone number and sends it again: a new reference number."""
    page = site.page
    pk = application(scenario).pk
    site.log_in_as("municipality")
    assert site.language == "nn"
    with page.expect_navigation():
        page.locator(f"main a[href='/soknader/{pk}/']").click()
    with page.expect_navigation():
        page.locator(f"main a[href='/soknader/{pk}/kontakt/']").first.click()
    page.locator("#id_contact_phone").fill("22 33 44 56")
    with page.expect_navigation():
        page.locator("main button[name=neste]").click()
    site.visit(f"/soknader/{pk}/")
    with page.expect_navigation():
        page.locator(f"main a[href='/soknader/{pk}/send/']").click()
    page.locator("#id_bekreftet").check()
    with page.expect_navigation():
        page.locator("main form.prevent-double-submit button[type=submit]").click()
    assert site.path == f"/soknader/{pk}/kvittering/"
    assert "LMP6-6001-2" in site.main_text()
    site.check("kvittering-igjen")
    site.switch_language("nb")
    site.check("kvittering-igjen")
    site.logout()


def office_assesses(site, scenario):
    """The office scores the cohort's applications, grades each motivation (forgetting the grade
    once), scores again, moves Fjordvik up (forgetting the reason once), gives its verdicts and
    sends its recommendation to Udir; then looks at the cohort's status."""
    page = site.page
    cohort = scenario.cohort
    site.log_in_as("office")
    site.click_link("Kunnskapsgrunnlag, import og poeng")
    site.click_link(cohort.name)
    assert site.path == reverse("selection:cohort_scores", args=[cohort.pk])
    site.check("poeng-pulje")
    site.click_button("Beregn alle 2 innsendte søknader")
    assert site.alerts() == ["2 innsendte søknader er beregnet."]
    site.check("poeng-pulje-beregnet")

    for name, grade, comment in [
        ("Fjordvik", "5", ASSESSMENT["grade_fjordvik"]),
        ("Nabovik", "3", ASSESSMENT["grade_nabovik"]),
    ]:
        number = "6001" if name == "Fjordvik" else "6002"
        site.click_link(f"{number} {name}")
        assert site.h1() == f"Poeng for {number} {name} – {cohort.name}"
        site.check(f"poeng-{name.lower()}")
        page.get_by_label("Begrunnelse", exact=True).fill(comment)
        if name == "Fjordvik":
            # Saved without a grade: the error summary says so, and the comment is kept.
            site.click_button("Lagre karakteren")
            summary = page.locator("#feilsammendrag")
            assert summary.is_visible()
            assert site.focused()["id"] == "feilsammendrag"
            assert page.get_by_label("Begrunnelse", exact=True).input_value() == comment
            site.check("poeng-karakter-feil")
        page.get_by_label("Karakter*", exact=True).select_option(grade)
        site.click_button("Lagre karakteren")
        # Udir has not published the national figures of the walk's school years: criterion 1
        # compares with the imported figures, and the page says so.
        assert provisional_note(site).startswith(f"{PROVISIONAL}\n")
        assert messages(site) == [
            "Karakteren er lagret. Beregn søknaden på nytt for å ta den med i poengene.",
            "Karakteren er endret etter siste beregning. Beregn på nytt for å ta den med.",
        ]
        site.check(f"poeng-{name.lower()}-karakter")
        site.click_button("Beregn på nytt")
        assert messages(site) == ["Søknaden er beregnet på nytt med kriteriene slik de er nå."]
        site.check(f"poeng-{name.lower()}-beregnet")
        site.click_link(f"Poeng – {cohort.name}")
    assert MotivationGrade.objects.count() == 2

    site.click_link("Embetets side")
    site.click_link("Rangering og innstilling")
    assert site.h1() == "Rangering og innstilling"
    positions = page.locator("main tbody tr td:nth-child(2) > a").all_inner_texts()
    assert positions == ["Nabovik", "Fjordvik"]
    site.check("rangering")
    fjordvik = row(site, "Fjordvik")
    fjordvik.locator("summary", has_text="Flytt").click()
    site.click_button("Flytt opp")
    assert messages(site) == ["Skriv hvorfor søknaden flyttes."]
    site.check("rangering-flytt-feil")
    # The form that was refused is open again where it was.
    fjordvik = row(site, "Fjordvik")
    assert fjordvik.get_by_label("Hvorfor flyttes søknaden?").is_visible()
    fjordvik.get_by_label("Hvorfor flyttes søknaden?").fill(ASSESSMENT["move"])
    with page.expect_navigation():
        fjordvik.get_by_role("button", name="Flytt opp").click()
    assert messages(site) == ["Fjordvik er flyttet."]
    positions = page.locator("main tbody tr td:nth-child(2) > a").all_inner_texts()
    assert positions == ["Fjordvik", "Nabovik"]
    assert "(nr. 2 etter sum)" in row(site, "Fjordvik").inner_text()
    for name, verdict in [("Fjordvik", "Innstilt"), ("Nabovik", "Reserve")]:
        entry = row(site, name)
        entry.get_by_label("Innstilling", exact=True).select_option(label=verdict)
        entry.get_by_label("Begrunnelse", exact=True).fill(ASSESSMENT[f"verdict_{name.lower()}"])
        with page.expect_navigation():
            entry.get_by_role("button", name="Lagre innstilling").click()
        assert messages(site) == [f"Innstillingen for {name} er lagret."]
    site.check("rangering-innstilt")
    # Before sending, the office sees which scores rest on a provisional national reference.
    note = provisional_note(site)
    assert "Fjordvik: " in note and "Nabovik: " in note
    page.get_by_label("Samlet begrunnelse for innstillingen").fill(ASSESSMENT["justification"])
    site.click_button("Send til Udir")
    sent, locked = site.alerts()
    assert sent == "Innstillingen er sendt til Udir og er nå låst."
    assert re.fullmatch(r"Sendt til Udir .+ av Tor Fjordfylke\. Innstillingen er låst\.", locked)
    assert page.get_by_role("button", name="Send til Udir").count() == 0
    assert OfficeReview.objects.get().is_sent
    site.check("rangering-sendt")

    site.click_link("Embetets side")
    site.click_link("Status")
    assert site.h1() == "Status for puljen"
    counts = row(site, scenario.office.name).locator("td.text-end").all_inner_texts()
    # Capacity, invited, drafts, submitted, assessed, recommended, decided.
    assert counts == ["1", "2", "0", "2", "2", "1", "0"]
    # Per county, drawn: invited, submitted and recommended (not yet selected).
    assert page.get_by_role(
        "img", name=re.compile("^Kommuner per fylke: invitert, sendt inn og innstilt")
    ).is_visible()
    site.check("status-embete")

    site.switch_language("nn")
    site.check("status-embete")
    site.visit(reverse("selection:ranking", args=[cohort.pk, scenario.office.pk]))
    site.check("rangering-sendt")
    site.visit(reverse("selection:cohort_scores", args=[cohort.pk]))
    site.check("poeng-pulje-beregnet")
    site.click_link(f"6001 {scenario.municipality.name}")
    site.check("poeng-fjordvik-beregnet")
    site.switch_language("nb")
    site.logout()


def udir_decides_and_publishes(site, scenario):
    """Udir reads every office's recommendation against its capacity, decides as proposed for
    Fjordvik, is asked to explain when it would select Nabovik too, makes Nabovik a reserve and
    publishes; the decision letters are made in the background."""
    page = site.page
    cohort = scenario.cohort
    site.log_in_as("udir")
    assert site.path == "/udir/"
    site.check("udirs-side")
    site.click_link("Nasjonalt utvalg")
    assert site.path == reverse("selection:national", args=[cohort.pk])
    assert "0 av 2 søknader har vedtak" in site.main_text()
    # The summary first, one row per office; the office's section opens from its name.
    site.check("utvalg-oversikt")
    site.click_link(scenario.office.name)
    assert ASSESSMENT["justification"] in site.main_text()
    site.check("utvalg")

    fjordvik = row(site, "Fjordvik")
    # The proposal within the capacity is preselected.
    assert fjordvik.get_by_label("Vedtak", exact=True).input_value() == "valgt"
    fjordvik.get_by_label("Begrunnelse (kommer med i vedtaksbrevet)").fill(
        ASSESSMENT["decision_fjordvik"]
    )
    with page.expect_navigation():
        fjordvik.get_by_role("button", name="Lagre vedtak").click()
    assert site.alerts() == ["Vedtaket for Fjordvik er lagret som utkast."]

    nabovik = row(site, "Nabovik")
    assert nabovik.get_by_label("Vedtak", exact=True).input_value() == "reserve"
    nabovik.get_by_label("Vedtak", exact=True).select_option(label="Valgt")
    nabovik.get_by_label("Begrunnelse (kommer med i vedtaksbrevet)").fill("Begge får plass.")
    with page.expect_navigation():
        nabovik.get_by_role("button", name="Lagre vedtak").click()
    assert site.alerts() == [
        "Skriv hvorfor: vedtaket avviker fra forslaget, embetets kapasitet blir overskredet."
    ]
    site.check("utvalg-avvik-feil")
    # What Udir chose and wrote is still there.
    nabovik = row(site, "Nabovik")
    assert nabovik.get_by_label("Vedtak", exact=True).input_value() == "valgt"
    reason = nabovik.get_by_label("Begrunnelse (kommer med i vedtaksbrevet)")
    assert reason.input_value() == "Begge får plass."
    nabovik.get_by_label("Vedtak", exact=True).select_option(label="Reserve")
    nabovik.get_by_label("Begrunnelse (kommer med i vedtaksbrevet)").fill(
        ASSESSMENT["decision_nabovik"]
    )
    with page.expect_navigation():
        nabovik.get_by_role("button", name="Lagre vedtak").click()
    assert site.alerts() == ["Vedtaket for Nabovik er lagret som utkast."]
    assert "2 av 2 søknader har vedtak" in site.main_text()
    site.check("utvalg-vedtak")

    site.click_button("Publiser vedtakene")
    assert site.alerts()[0] == "Utvalget er publisert. Vedtaksbrevene lages nå."
    assert Publication.objects.filter(cohort=cohort).exists()
    assert page.get_by_role("button", name="Lagre vedtak").count() == 0
    site.check("utvalg-publisert")

    site.click_link("Se vedtaksbrevene")
    assert site.path == reverse("selection:letters", args=[cohort.pk])
    site.check("brev-udir")
    site.click_link("Vedtak")
    batch = LetterBatch.objects.get(purpose=LetterBatch.Purpose.DECISIONS)
    assert site.path == reverse("selection:batch", args=[batch.pk])
    wait_for_batch(site, site.path)
    assert "Klar til utsending. 2 av 2 brev er ferdige." in site.main_text()
    send_all(site, batch)
    assert (
        row(site, "6001 Fjordvik")
        .get_by_role("link")
        .inner_text()
        .startswith("Vedtak: valgt (LMP6-6001-2")
    )
    site.check("brevbunke-vedtak")

    site.click_link("Udirs side")
    site.click_link("Status for puljen")
    counts = row(site, scenario.office.name).first.locator("td.text-end").all_inner_texts()
    assert counts == ["1", "2", "0", "2", "2", "1", "2"]
    # After publication: capacity, confirmed, waiting, gone, free, reserves left.
    places = row(site, scenario.office.name).nth(1).locator("td.text-end").all_inner_texts()
    assert places == ["1", "0", "1", "0", "0", "1"]
    assert page.get_by_role(
        "img", name=re.compile("^Kommuner per fylke: invitert, sendt inn, innstilt og valgt")
    ).is_visible()
    site.check("status-udir")

    site.switch_language("nn")
    site.check("status-udir")
    site.visit(reverse("selection:national", args=[cohort.pk]))
    site.check("utvalg-publisert")
    site.visit(reverse("selection:batch", args=[batch.pk]))
    site.check("brevbunke-vedtak")
    site.visit(reverse("selection:letters", args=[cohort.pk]))
    site.check("brev-udir")
    site.logout()


def municipality_reads_its_decision(site, scenario, tmp_path):
    """The municipality, in nynorsk, sees the result on its page and downloads the decision
    letter: a PDF in nynorsk with its name and the reference number."""
    page = site.page
    site.log_in_as("municipality")
    assert site.language == "nn"
    assert ASSESSMENT["decision_fjordvik"] in site.main_text()
    site.check("kommunens-side-vedtak")
    letter = Letter.objects.get(municipality=scenario.municipality, kind="decision_selected")
    download = site.download(
        "Vedtak: Fjordvik kommune er teken opp i Læringsmiljøprosjektet", exact=False
    )
    assert download.suggested_filename == "LMP6-6001-2.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = "\n".join(
        page_.extract_text() for page_ in PdfReader(io.BytesIO(saved.read_bytes())).pages
    )
    assert "Fjordvik kommune" in text
    assert "LMP6-6001-2" in text
    assert "Med helsing" in text
    assert ASSESSMENT["decision_fjordvik"] in " ".join(text.split())
    assert letter.language == "nn"
    site.switch_language("nb")
    assert page.locator("main").get_by_text("Valgt", exact=True).is_visible()
    site.check("kommunens-side-vedtak")
    site.logout()


def fjordvik_declines_and_nabovik_is_promoted(site, scenario, tmp_path):
    """Fjordvik declines its place with a reason; Udir sees the free place with Nabovik proposed
    and why, and takes Nabovik from the reserve list in one step; Nabovik downloads its decision
    letter, in bokmål, which says it is taken from the reserve list."""
    page = site.page
    cohort = scenario.cohort
    site.log_in_as("municipality")
    assert "Venter på svar" in site.main_text()
    page.get_by_label("Hvorfor takker kommunen nei?").fill("Vi har ikkje kapasitet i haust.")
    site.click_button("Takk nei til plassen")
    assert site.alerts() == [
        "Kommunen har takket nei til plassen. Dere får en bekreftelse i et brev."
    ]
    assert "Takket nei" in site.main_text()
    site.check("kommunens-side-takket-nei")
    site.logout()

    site.log_in_as("udir")
    site.visit(reverse("selection:national", args=[cohort.pk]))
    text = site.main_text()
    assert "En plass er ledig" in text
    assert "Nabovik er neste reserve i rangeringen til" in text
    site.check("utvalg-ledig-plass")
    site.click_button("Ta opp fra reservelisten")
    assert site.alerts()[0] == "Nabovik er tatt opp fra reservelisten. Vedtaksbrevet lages nå."
    site.check("utvalg-tatt-opp")
    site.switch_language("nn")
    site.check("utvalg-tatt-opp")
    site.switch_language("nb")
    site.logout()

    wait_for(
        lambda: Letter.objects.filter(
            municipality=scenario.neighbour, kind="decision_promoted", status="laget"
        ).exists(),
        message="vedtaksbrevet for opptaket ble ikke laget",
    )
    site.log_in_as("neighbour")
    download = site.download("Vedtak: Nabovik kommune er tatt opp fra reservelisten", exact=False)
    saved = tmp_path / f"opptak-{download.suggested_filename}"
    download.save_as(saved)
    text = " ".join(
        " ".join(
            page_.extract_text() for page_ in PdfReader(io.BytesIO(saved.read_bytes())).pages
        ).split()
    )
    assert "tatt opp fra reservelisten" in text
    assert "Nabovik kommune" in text
    site.check("kommunens-side-tatt-opp")
    site.logout()


def test_cohort_walk_from_survey_import_to_decision_letter(site, scenario, task_worker, tmp_path):
    office_imports_and_invites(site, scenario, tmp_path)
    municipality_first_visit(site, scenario)
    municipality_second_visit(site, scenario)
    municipality_third_visit(site, scenario, tmp_path)
    municipality_in_nynorsk_sends(site, scenario)
    neighbour_applies(site, scenario)
    # The receipt goes out from a task: the worker's where CI has one, in-process otherwise.
    wait_for(
        lambda: application(scenario).receipt_sent_for == "LMP6-6001-1",
        message="kvitteringen ble ikke sendt",
    )
    office_reopens(site, scenario)
    udir_looks(site)
    municipality_sends_again(site, scenario)
    office_assesses(site, scenario)
    udir_decides_and_publishes(site, scenario)
    municipality_reads_its_decision(site, scenario, tmp_path)
    fjordvik_declines_and_nabovik_is_promoted(site, scenario, tmp_path)

    assert Decision.objects.count() == 2
    if task_worker is None:
        # What went out by e-mail: the letters with their PDF, the receipts of each submission,
        # the links to take on the contact role.
        cohort = scenario.cohort.name
        fjordvik, nabovik = (
            "postmottak@fjordvik.kommune.example",
            "postmottak@nabovik.kommune.example",
        )
        office = ["post@fjordfylke.example"]
        requests = [
            m
            for m in mail.outbox
            if "Læringsmiljøprosjektet (" in m.subject
            and m.subject.startswith(("Stadfest deltakinga", "Bekreft deltakelsen"))
        ]
        assert len(requests) == 8 + 1 + 5  # Fjordvik's, PPT's new leader, Nabovik's
        assert sorted(
            (m.subject, m.to, m.cc) for m in mail.outbox if m not in requests
        ) == sorted([
            (f"Invitasjon til å søke om deltakelse i Læringsmiljøprosjektet, {cohort}", [nabovik], []),
            (f"Invitasjon til å søkje om deltaking i Læringsmiljøprosjektet, {cohort}", [fjordvik], []),
            ("Kvittering for søknad til Læringsmiljøprosjektet (LMP6-6001-1)",
             ["kari.fjordvik@fjordvik.kommune.example", fjordvik], []),
            ("Kvittering for søknad til Læringsmiljøprosjektet (LMP6-6001-2)",
             ["kari.fjordvik@fjordvik.kommune.example", fjordvik], []),
            ("Kvittering for søknad til Læringsmiljøprosjektet (LMP6-6002-1)",
             ["nils@test.example", nabovik], []),
            (f"Tilgang til søknaden om Læringsmiljøprosjektet ({cohort})", [fjordvik], []),
            (f"Tilgang til søknaden om Læringsmiljøprosjektet ({cohort})", [nabovik], []),
            (f"Vedtak: Fjordvik kommune er teken opp i Læringsmiljøprosjektet, {cohort}",
             [fjordvik], office),
            (f"Vedtak: Nabovik kommune står på reservelisten i Læringsmiljøprosjektet, {cohort}",
             [nabovik], office),
            # After publication: Fjordvik's confirmation, Nabovik's promotion, the office told.
            (f"Stadfesting: Fjordvik kommune deltek ikkje i Læringsmiljøprosjektet, {cohort}",
             [fjordvik], office),
            (f"Vedtak: Nabovik kommune er tatt opp fra reservelisten i Læringsmiljøprosjektet, "
             f"{cohort}", [nabovik], office),
            (f"Fjordvik deltar ikke i {cohort}: en plass er ledig", office, []),
            (f"Nabovik er tatt opp fra reservelisten i {cohort}", office, []),
        ])  # fmt: skip
    checked = {(name, language) for name, language, _ in site.checked}
    for name in [
        "innlogging",
        "embetets-side",
        "grunnlag-importert",
        "invitasjoner-lagret",
        "kommunens-side",
        "oppsummering-komplett",
        "kvittering",
        "soknader",
        "rangering-sendt",
        "poeng-fjordvik-beregnet",
        "utvalg-publisert",
        "brevbunke-vedtak",
        "kommunens-side-vedtak",
        "utvalg-tatt-opp",
    ]:
        assert {(name, "nb"), (name, "nn")} <= checked, name
