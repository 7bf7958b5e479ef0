"""The import pages name the columns as they stand in the files, marked as bokmål on a
nynorsk page, and the template the page offers holds exactly those headers, in both
languages."""

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from selection.evidence.imports import SPECS, SURVEY_COLUMNS, preview_import
from tests.factories import MunicipalityFactory, SchoolFactory, office_user
from tests.html import text_in_language
from tests.selection.factories import xlsx_bytes
from tests.signin import sign_in

KINDS = ["elevundersokelsen", "klagesaker", "tilsyn"]
MARKED = re.compile(r'<span lang="nb">([^<]+)</span>')


@pytest.fixture
def office_client(client, db):
    municipality = MunicipalityFactory()
    SchoolFactory(municipality=municipality, name="Åsen skole")
    sign_in(client, office_user(municipality.county.office))
    return client


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("kind", KINDS)
def test_the_template_holds_the_columns_the_upload_page_names(office_client, kind, language):
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = office_client.get(reverse("selection:import_upload", args=[kind])).content.decode()
    named = MARKED.findall(page)
    assert named == [column.label for column in SPECS[kind].columns]
    response = office_client.get(reverse("selection:import_template", args=[kind]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == named
    assert all(cell.data_type == "s" for cell in sheet[1])


@pytest.mark.parametrize("kind", KINDS)
def test_on_a_nynorsk_page_the_column_names_are_marked_as_bokmal(office_client, kind):
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = office_client.get(reverse("selection:import_upload", args=[kind])).content.decode()
    nynorsk = text_in_language(page, "nn")
    bokmal_headers = {"Skoleår", "Skolenavn", "Andel mobbet", "Antall svar", "Antall saker"}
    bokmal_headers |= {"Herav langvarige", "Lukket"}
    assert [header for header in sorted(bokmal_headers) if header in nynorsk] == []


def test_the_preview_marks_the_columns_it_found_as_bokmal(office_client):
    pending = preview_import(
        kind="elevundersokelsen",
        file_name="fil.xlsx",
        content=xlsx_bytes([[column.label for column in SURVEY_COLUMNS]]),
        actor=get_user_model().objects.get(pk=office_client.session["_auth_user_id"]),
        scope=None,
    )
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = office_client.get(reverse("selection:import_preview", args=[pending.pk]))
    assert MARKED.findall(page.content.decode()) == [c.label for c in SURVEY_COLUMNS]
