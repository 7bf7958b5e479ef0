"""Two officers correcting or deleting the same complaint cases or supervision finding, each in
a real session: a save or deletion from a page opened before a colleague's change is refused,
names the colleague (or the user's other tab), shows what is saved now and keeps what was
typed; a record a colleague deleted is answered in the layout, saying who deleted it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from laeringsmiljo.models import AuditEvent
from selection.evidence.imports import confirm_import, preview_import
from selection.evidence.models import ComplaintCaseCount, ImportKind, SupervisionFinding
from selection.evidence.services import save_complaint_cases, save_finding
from tests.factories import MunicipalityFactory, SchoolFactory, office_user
from tests.pageforms import form_data
from tests.selection.factories import csv_bytes
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    municipality = MunicipalityFactory()
    school = SchoolFactory(municipality=municipality, name="Åsen skole")
    office = municipality.county.office
    kari = office_user(office, first_name="Kari", last_name="Saksbehandler")
    ola = office_user(office, first_name="Ola", last_name="Nordmann")
    count = save_complaint_cases(
        municipality=municipality,
        school=school,
        school_year=2019,
        cases=2,
        long_running=0,
        actor=kari,
    )
    finding = save_finding(
        municipality=municipality,
        actor=kari,
        school=None,
        date=datetime.date(2019, 4, 1),
        topic="Skolemiljø",
        in_practice=True,
        in_routines=False,
        in_system=False,
        closed=False,
    )
    return {
        "municipality": municipality,
        "school": school,
        "count": count,
        "finding": finding,
        "kari": kari,
        "ola": ola,
    }


def _session(user):
    client = Client()
    sign_in(client, user)
    return client


def _urls(office, kind):
    m = office["municipality"].pk
    pk = office["count" if kind == "case" else "finding"].pk
    return {
        "update": reverse(f"selection:{kind}_update", args=[m, pk]),
        "delete": reverse(f"selection:{kind}_delete", args=[m, pk]),
        "create": reverse(f"selection:{kind}_create", args=[m]),
        "list": reverse("selection:municipality_evidence", args=[m]),
    }


def _open(client, url):
    """The record's form as the page has it now (the form without an action)."""
    return form_data(client.get(url).content.decode(), None)


def test_correcting_complaint_cases_from_a_stale_page_is_refused_with_what_is_saved_now(office):
    urls = _urls(office, "case")
    kari, ola = _session(office["kari"]), _session(office["ola"])
    kari_form, ola_form = _open(kari, urls["update"]), _open(ola, urls["update"])

    assert kari.post(urls["update"], {**kari_form, "cases": "5"})["Location"] == urls["list"]
    refused = ola.post(urls["update"], {**ola_form, "cases": "7", "long_running": "2"})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Klagesakene ble endret av Kari Saksbehandler " in page
    assert "mens du hadde siden åpen. Se det som er lagret nå, og lagre på nytt" in page
    assert "Lagret nå" in page
    assert '<dt class="col-sm-4">Antall saker</dt><dd class="col-sm-8">5</dd>' in page
    kept = form_data(page, None)
    assert (kept["cases"], kept["long_running"], kept["revision"]) == ("7", "2", "2")
    count = ComplaintCaseCount.objects.get()
    assert (count.cases, count.revision, count.updated_by) == (5, 2, office["kari"])
    # Saved again from the page as it is now, Ola's numbers replace Kari's on purpose.
    assert ola.post(urls["update"], kept)["Location"] == urls["list"]
    count.refresh_from_db()
    assert (count.cases, count.long_running, count.revision) == (7, 2, 3)
    assert AuditEvent.objects.filter(action="evidence.complaint_cases_change").count() == 2


def test_correcting_a_finding_from_a_stale_page_is_refused_with_what_is_saved_now(office):
    urls = _urls(office, "finding")
    kari, ola = _session(office["kari"]), _session(office["ola"])
    kari_form, ola_form = _open(kari, urls["update"]), _open(ola, urls["update"])

    kari.post(urls["update"], {**kari_form, "closed": "on"})
    refused = ola.post(urls["update"], {**ola_form, "topic": "Rutiner for skolemiljø"})

    page = refused.content.decode()
    assert "Tilsynsfunnet ble endret av Kari Saksbehandler " in page
    assert '<dt class="col-sm-4">Status</dt><dd class="col-sm-8">lukket</dd>' in page
    kept = form_data(page, None)
    assert (kept["topic"], kept["revision"], "closed" in kept) == (
        "Rutiner for skolemiljø",
        "2",
        False,
    )
    finding = SupervisionFinding.objects.get()
    assert (finding.topic, finding.closed) == ("Skolemiljø", True)


def test_a_correction_from_another_tab_is_told_as_the_users_own(office):
    urls = _urls(office, "case")
    client = _session(office["kari"])
    tab_one, tab_two = _open(client, urls["update"]), _open(client, urls["update"])
    client.post(urls["update"], {**tab_one, "cases": "3"})
    page = client.post(urls["update"], {**tab_two, "cases": "4"}).content.decode()
    assert "Du har selv endret klagesakene " in page
    assert "i en annen fane eller et annet vindu" in page
    assert ComplaintCaseCount.objects.get().cases == 3


def test_an_import_after_the_page_was_opened_refuses_the_stale_form(office):
    urls = _urls(office, "case")
    ola = _session(office["ola"])
    ola_form = _open(ola, urls["update"])
    content = csv_bytes(
        [
            ["Organisasjonsnummer", "Skoleår", "Antall saker"],
            [office["school"].organisation_number, "2019-20", "9"],
        ]
    )
    pending = preview_import(
        kind=ImportKind.COMPLAINTS,
        file_name="saker.csv",
        content=content,
        actor=office["kari"],
        scope=None,
    )
    confirm_import(pending=pending, actor=office["kari"], scope=None)
    page = ola.post(urls["update"], {**ola_form, "cases": "1"}).content.decode()
    assert "Klagesakene ble endret av Kari Saksbehandler " in page
    assert ComplaintCaseCount.objects.get().cases == 9


def test_saving_counts_a_colleague_deleted_says_who_and_keeps_what_was_typed(office):
    urls = _urls(office, "case")
    kari, ola = _session(office["kari"]), _session(office["ola"])
    kari_form = _open(kari, urls["update"])
    ola_delete = form_data(ola.get(urls["update"]).content.decode(), urls["delete"])
    assert ola.post(urls["delete"], ola_delete)["Location"] == urls["list"]

    response = kari.post(urls["update"], {**kari_form, "cases": "6"})

    assert response.status_code == 410
    page = response.content.decode()
    assert "Klagesakene ble slettet av Ola Nordmann " in page
    assert "Det du skrev, er ikke lagret; det står i skjemaet under." in page
    assert "<h1>Registrer klagesaker</h1>" in page
    kept = form_data(page, urls["create"])
    assert (kept["school"], kept["school_year"], kept["cases"]) == (
        str(office["school"].pk),
        "2019",
        "6",
    )
    assert not ComplaintCaseCount.objects.exists()
    # Registering them again is one more click.
    assert kari.post(urls["create"], kept)["Location"] == urls["list"]
    assert ComplaintCaseCount.objects.get().cases == 6


def test_opening_a_deleted_finding_says_who_deleted_it(office):
    urls = _urls(office, "finding")
    kari, ola = _session(office["kari"]), _session(office["ola"])
    ola.post(urls["delete"], form_data(ola.get(urls["update"]).content.decode(), urls["delete"]))
    response = kari.get(urls["update"])
    assert response.status_code == 410
    page = response.content.decode()
    assert "Tilsynsfunnet ble slettet av Ola Nordmann " in page
    assert "Du kan registrere nye opplysninger under, eller gå tilbake." in page
    assert '<html lang="nb">' in page and "<h1>Registrer tilsynsfunn</h1>" in page


def test_what_never_was_the_municipalitys_is_still_not_found(office):
    client = _session(office["kari"])
    elsewhere = MunicipalityFactory(county=office["municipality"].county)
    other = save_complaint_cases(
        municipality=elsewhere,
        school=SchoolFactory(municipality=elsewhere),
        school_year=2019,
        cases=1,
        long_running=0,
        actor=None,
    )
    m = office["municipality"].pk
    assert client.get(reverse("selection:case_update", args=[m, other.pk])).status_code == 404
    assert client.get(reverse("selection:case_update", args=[m, 987654])).status_code == 404
    # Deleted from the other municipality, it is still not this one's.
    other_urls = {"update": reverse("selection:case_update", args=[elsewhere.pk, other.pk])}
    client.post(
        reverse("selection:case_delete", args=[elsewhere.pk, other.pk]),
        {"revision": 1},
    )
    assert client.get(other_urls["update"]).status_code == 410
    assert client.get(reverse("selection:case_update", args=[m, other.pk])).status_code == 404


def test_deleting_counts_changed_since_the_page_was_opened_is_refused(office):
    urls = _urls(office, "case")
    kari, ola = _session(office["kari"]), _session(office["ola"])
    ola_delete = form_data(ola.get(urls["update"]).content.decode(), urls["delete"])
    kari.post(urls["update"], {**_open(kari, urls["update"]), "cases": "8"})

    refused = ola.post(urls["delete"], ola_delete, follow=True)

    assert refused.redirect_chain == [(urls["update"], 302)]
    page = refused.content.decode()
    assert "Klagesakene ble endret av Kari Saksbehandler " in page
    assert "Se det som er lagret nå, og slett på nytt om det fortsatt skal bort." in page
    assert ComplaintCaseCount.objects.get().cases == 8


def test_deleting_a_finding_already_deleted_says_who_did_it(office):
    urls = _urls(office, "finding")
    kari, ola = _session(office["kari"]), _session(office["ola"])
    kari_delete = form_data(kari.get(urls["update"]).content.decode(), urls["delete"])
    ola_delete = form_data(ola.get(urls["update"]).content.decode(), urls["delete"])
    kari.post(urls["delete"], kari_delete)
    told = ola.post(urls["delete"], ola_delete, follow=True)
    assert told.redirect_chain == [(urls["list"], 302)]
    assert "Tilsynsfunnet ble slettet av Kari Saksbehandler " in told.content.decode()
    assert AuditEvent.objects.filter(action="evidence.finding_delete").count() == 1


def test_a_correction_or_deletion_without_the_pages_revision_changes_nothing(office):
    urls = _urls(office, "case")
    client = _session(office["kari"])
    form = _open(client, urls["update"])
    del form["revision"]
    page = client.post(urls["update"], {**form, "cases": "4"}).content.decode()
    assert (
        "Skjemaet mangler noe som siden selv fyller inn. Last inn siden på nytt og prøv igjen."
        in page
    )
    refused = client.post(urls["delete"], {"revision": "x"}, follow=True)
    assert (
        "Skjemaet mangler noe som siden selv fyller inn. Last inn siden på nytt og prøv igjen."
        in (refused.content.decode())
    )
    assert ComplaintCaseCount.objects.get().cases == 2
