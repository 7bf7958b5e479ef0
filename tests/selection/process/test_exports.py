"""Every export, downloaded in both languages and opened the way a user opens it (openpyxl for
.xlsx, the csv module for .csv), holds what its page shows."""

import csv
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from laeringsmiljo.models import Municipality
from selection.evidence.exports import FORMULA_PREFIXES
from selection.process import decisions
from tests.factories import office_user, udir_user
from tests.html import tables
from tests.selection.process.helpers import add_office, submitted_applications
from tests.signin import sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_LIKE_NAMES = ["+47 Plussby", '=HYPERLINK("http://x","y")']

pytestmark = pytest.mark.parametrize(
    ("language", "fmt"), [("nb", "xlsx"), ("nb", "csv"), ("nn", "xlsx"), ("nn", "csv")]
)


@pytest.fixture
def cohort(db, settings):
    """Two offices: the first (capacity 1) has ranked, moved, recommended and sent its two
    applications, from municipalities whose names look like formulas; the second has one
    application, not sent. Udir has decided on one from each."""
    settings.DEBUG = False
    first, second = submitted_applications(2, capacity=1)
    cohort = first.cohort
    for application, name in zip([first, second], FORMULA_LIKE_NAMES, strict=True):
        Municipality.objects.filter(pk=application.municipality_id).update(name=name)
    (other,) = add_office(cohort, 1)
    for application in [first, second, other]:
        decisions.recommend(
            application=application,
            verdict="anbefalt",
            justification=f"Sterk søknad fra {application.municipality.number}.",
            actor=None,
        )
    bottom = decisions.ranking(cohort=cohort, office_ids=[first.municipality.county.office_id])[1]
    decisions.move(
        application=bottom.application, direction="opp", reason="Større behov.", actor=None
    )
    office = first.municipality.county.office
    decisions.send_to_udir(
        cohort=cohort, office=office, justification="Samlet.", actor=office_user(office)
    )
    decisions.decide(
        application=bottom.application,
        outcome="valgt",
        reason="Valgt etter rangeringen.",
        deviation_reason="",
        actor=None,
    )
    decisions.decide(
        application=other,
        outcome="reserve",
        reason="Står som reserve.",
        deviation_reason="Innstillingen er ikke sendt ennå.",
        actor=None,
    )
    cohort.first_office = office
    return cohort


def _get(client, user, url, language):
    sign_in(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response


def _opened(response, fmt):
    """The export's header and rows as the spreadsheet shows them, each row by header."""
    if fmt == "xlsx":
        assert response["Content-Type"] == XLSX
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        rows = [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]
    else:
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    headers, *body = rows
    return headers, [dict(zip(headers, row, strict=True)) for row in body]


def _shown(value, fmt):
    """The cell's text as a user reads it: CSV's apostrophe guard is not part of the value."""
    value = str(value)
    if fmt == "csv" and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _number(text):
    return Decimal(str(text).replace(",", "."))


def test_the_ranking_export_holds_what_the_ranking_page_shows(client, cohort, language, fmt):
    office = cohort.first_office
    user = office_user(office)
    args = [cohort.pk, office.pk]
    page = _get(client, user, reverse("selection:ranking", args=args), language)
    (table,) = tables(page.content.decode())
    page_headers, *page_rows = table
    export = _get(client, user, reverse("selection:ranking_export", args=[*args, fmt]), language)
    headers, rows = _opened(export, fmt)
    assert export["Content-Disposition"] == (
        f'attachment; filename="rangering-{office.code}-pulje-{cohort.number}.{fmt}"'
    )
    plass, kommune, total, motivasjon, innstilling = (cell[0] for cell in page_headers)
    assert {plass, kommune, innstilling} <= set(headers)
    assert len(rows) == len(page_rows) == 2
    for row, (position, municipality, page_total, grade, verdict) in zip(
        rows, page_rows, strict=True
    ):
        assert position[0] == str(row[plass])
        assert municipality[0] == _shown(row[kommune], fmt)
        assert _number(page_total[0]) == _number(row[headers[4]])
        assert grade == [str(row[headers[6]])]
        assert verdict == [row[innstilling], row[headers[8]]]
        if fmt == "csv":
            assert page_total[0] == row[headers[4]]
    # The moved application: the page says why, and so does the export.
    position, municipality = page_rows[0][:2]
    assert len(position) == len(municipality) == 2
    assert rows[0][headers[9]] == "Større behov."
    assert municipality[1].endswith(" Større behov.")


def test_the_national_export_holds_what_the_national_page_shows(client, cohort, language, fmt):
    user = udir_user()
    national = reverse("selection:national", args=[cohort.pk])
    summary = _get(client, user, national, language)
    # The page shows one office at a time below its summary table: walk the offices in order.
    pages = [
        _get(client, user, f"{national}?kontor={entry['office'].pk}", language).content.decode()
        for entry in summary.context["summary"]
    ]
    html = "".join(pages)
    export = _get(
        client, user, reverse("selection:national_export", args=[cohort.pk, fmt]), language
    )
    headers, rows = _opened(export, fmt)
    assert export["Content-Disposition"] == (
        f'attachment; filename="utvalg-pulje-{cohort.number}.{fmt}"'
    )
    page_rows = []
    for page in pages:
        for table in tables(page)[1:]:
            page_headers, *body = table
            page_rows.extend(body)
    plass, kommune, innstilling, forslag, vedtak = (cell[0] for cell in page_headers)
    assert {plass, kommune, innstilling, forslag, vedtak} <= set(headers)
    embete, kapasitet = headers[0], headers[1]
    grunn_forslag, begrunnelse, avvik = headers[7], headers[9], headers[10]
    assert len(rows) == len(page_rows) == 3
    for row, (position, municipality, verdict, proposed, decided) in zip(
        rows, page_rows, strict=True
    ):
        assert f">{row[embete]}</h2>" in html
        assert str(row[kapasitet]) == "1"
        assert position == [str(row[plass])]
        assert municipality[0] == _shown(row[kommune], fmt)
        assert verdict == [row[innstilling]]
        # The office that has not sent its recommendation has no proposal: empty cells.
        assert proposed == [cell for cell in (row[forslag], row[grunn_forslag]) if cell]
        expected = [row[vedtak], row[begrunnelse]] if row[vedtak] else []
        if row[avvik]:
            expected += [decided[2], row[avvik]]
        assert decided == expected
    # Each office numbers its own places (the offices come in the order of their names): the
    # office with one application has it as its first.
    places = {}
    for row in rows:
        places.setdefault(row[embete], []).append(str(row[plass]))
    assert sorted(places.values()) == [["1"], ["1", "2"]]


def test_a_control_character_in_a_justification_is_left_out_of_the_ranking_export(
    client, db, language, fmt
):
    (application,) = submitted_applications(1)
    decisions.recommend(
        application=application,
        verdict="anbefalt",
        justification="Sterk\x0bmotivasjon\x07.",
        actor=None,
    )
    office = application.municipality.county.office
    export = _get(
        client,
        office_user(office),
        reverse("selection:ranking_export", args=[application.cohort_id, office.pk, fmt]),
        language,
    )
    headers, (row,) = _opened(export, fmt)
    assert row[headers[8]] == "Sterk\nmotivasjon."
