import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from laeringsmiljo.access import roles_of
from laeringsmiljo.models import AuditEvent
from selection.evidence.imports import (
    confirm_import,
    municipalities_in_scope,
    plan_file,
    preview_import,
)
from selection.evidence.tables import MAX_ROWS, ImportFileError
from selection.models import ImportKind, ImportRecord, NationalMean, PendingImport, SurveyFigure
from tests.factories import (
    GovernorOfficeFactory,
    MunicipalityFactory,
    SchoolFactory,
    next_orgnr,
    office_user,
    udir_user,
)
from tests.selection.factories import csv_bytes, xlsx_bytes
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

HEADER = [
    "Organisasjonsnummer",
    "Skolenavn",
    "Kommunenummer",
    "Skoleår",
    "Trinn",
    "Andel mobbet (%)",
    "Antall svar",
]


@pytest.fixture
def schools():
    municipality = MunicipalityFactory()
    return [SchoolFactory(municipality=municipality) for _ in range(3)]


def _plan(content, file_name="elevundersokelsen.xlsx", kind=ImportKind.SURVEY, scope=None):
    return plan_file(kind=kind, file_name=file_name, content=content, scope=scope)


def _import(content, file_name="elevundersokelsen.xlsx", user=None, kind=ImportKind.SURVEY):
    user = user or udir_user()
    scope = municipalities_in_scope(roles_of(user))
    pending = preview_import(
        kind=kind, file_name=file_name, content=content, actor=user, scope=scope
    )
    return confirm_import(pending=pending, actor=user, scope=scope)


def _figures():
    return sorted(
        (
            f.school.organisation_number,
            f.school_year,
            f.grade,
            f.share,
            f.share_symbol,
            f.respondents,
            f.respondents_symbol,
            f.suppressed,
        )
        for f in SurveyFigure.objects.select_related("school")
    )


def test_xlsx_import_stores_the_rows_and_records_the_import(schools):
    a, b, _c = schools
    content = xlsx_bytes(
        [
            HEADER,
            [a.organisation_number, a.name, "6000", "2019-20", "7. trinn", 8.2, 120],
            [a.organisation_number, a.name, "6000", "2019–2020", "10. trinn", 5.5, 80],
            [int(b.organisation_number), b.name, "6000", 2018, "", 4, 200],
        ]
    )
    user = udir_user()
    imported = _import(content, user=user)
    assert _figures() == sorted(
        [
            (a.organisation_number, 2019, "7", Decimal("8.2"), "", 120, "", False),
            (a.organisation_number, 2019, "10", Decimal("5.5"), "", 80, "", False),
            (b.organisation_number, 2018, "", Decimal("4.0"), "", 200, "", False),
        ]
    )
    assert (imported.added, imported.changed, imported.unchanged, imported.rejected) == (3, 0, 0, 0)
    assert imported.imported_by == user
    assert imported.file_name == "elevundersokelsen.xlsx"
    assert len(imported.sha256) == 64
    assert PendingImport.objects.get().result == imported
    event = AuditEvent.objects.get(action="evidence.survey_import")
    assert event.actor == user
    assert event.after["added"] == 3


def test_csv_with_semicolons_utf8_and_decimal_comma_is_read(schools):
    a = schools[0]
    content = csv_bytes(
        [HEADER, [a.organisation_number, "Åsheim skole", "6000", "2019-20", "", "6,5", "1 234"]],
        encoding="utf-8-sig",
    )
    plan = _plan(content, "fil.csv")
    assert plan.table.encoding == "UTF-8"
    assert plan.rejected == []
    created = plan.create[0]
    assert (created.share, created.respondents) == (Decimal("6.5"), 1234)


def test_csv_with_commas_windows_1252_mixed_case_and_order_is_read(schools):
    a = schools[0]
    content = csv_bytes(
        [
            ["ANTALL SVAR", "skoleår", "andel mobbet (%)", "ORGANISASJONSNUMMER", "Skolenavn"],
            ["57", "2017-2018", "3.9", a.organisation_number, "Bjørkly skole"],
            ["12", "2017", "10,0", schools[1].organisation_number, "Ærlig skole"],
        ],
        delimiter=",",
        encoding="cp1252",
    )
    plan = _plan(content, "fil.csv")
    assert (plan.table.encoding, plan.table.format) == ("Windows-1252", "csv")
    assert plan.rejected == []
    assert sorted((f.school_year, f.share, f.respondents) for f in plan.create) == [
        (2017, Decimal("3.9"), 57),
        (2017, Decimal("10.0"), 12),
    ]


@pytest.mark.parametrize("symbol", ["*", ":", "-", ".", ""])
def test_suppressed_cells_keep_their_symbol_and_are_never_zero(schools, symbol):
    a = schools[0]
    _import(
        csv_bytes([HEADER, [a.organisation_number, "", "", "2019-20", "", symbol, symbol]]), "f.csv"
    )
    assert _figures() == [(a.organisation_number, 2019, "", None, symbol, None, symbol, True)]


def test_a_suppressed_share_with_a_count_is_still_suppressed(schools):
    a = schools[0]
    _import(xlsx_bytes([HEADER, [a.organisation_number, "", "", "2019-20", "", "*", 4]]))
    assert _figures() == [(a.organisation_number, 2019, "", None, "*", 4, "", True)]


def test_every_rejected_row_gets_its_number_and_reason(schools):
    a, b, c = schools
    unknown = next_orgnr()
    content = xlsx_bytes(
        [
            ["Elevundersøkelsen 2019–20, mobbing på skolen"],
            HEADER,
            [unknown, "Ukjent skole", "", "2019-20", "", 5, 50],
            [a.organisation_number, "", "", "2019-20", "", 120, 50],
            [a.organisation_number, "", "", "2019-20", "7", 5, 12.5],
            [b.organisation_number, "", "", "19/20", "", 5, 50],
            [c.organisation_number, "", "", "2019-20", "", 5, 50],
            [c.organisation_number, "", "", "2019-20", "", 6, 60],
            [b.organisation_number, "", "", "2019-20", "", 5, -3],
            [b.organisation_number, "", "", "2018-20", "", "mye", 50],
        ]
    )
    plan = _plan(content)
    assert plan.table.header_row == 2
    assert [(e.row, e.message) for e in plan.rejected] == [
        (3, f"Ukjent organisasjonsnummer {unknown}: ingen skole i registeret har det."),
        (4, "Andel mobbet må være mellom 0 og 100, ikke «120»."),
        (5, "«Antall svar» må være et helt tall, ikke «12.5»."),
        (
            6,
            "Skoleåret «19/20» kan ikke leses. Skriv det som 2019-20, 2019–2020 eller 2019.",
        ),
        (8, "Raden gjentar rad 7 (samme nøkkel); bare den første tas med."),
        (9, "«Antall svar» kan ikke være negativt: «-3»."),
        (
            10,
            "Skoleåret «2018-20» kan ikke leses. Skriv det som 2019-20, 2019–2020 eller 2019. "
            "«Andel mobbet (%)» er ikke et tall: «mye».",
        ),
    ]
    assert len(plan.create) == 1


def test_the_preview_counts_rows_and_changes_nothing(schools):
    a, b, _c = schools
    content = xlsx_bytes(
        [
            HEADER,
            [a.organisation_number, "", "", "2019-20", "", 5, 50],
            [next_orgnr(), "", "", "2019-20", "", 5, 50],
        ]
    )
    pending = preview_import(
        kind=ImportKind.SURVEY,
        file_name="fil.xlsx",
        content=content,
        actor=udir_user(),
        scope=None,
    )
    assert SurveyFigure.objects.count() == 0
    assert ImportRecord.objects.count() == 0
    assert (
        pending.preview["added"],
        pending.preview["changed"],
        pending.preview["unchanged"],
        pending.preview["rejected_count"],
        pending.preview["years"],
    ) == (1, 0, 0, 1, ["2019-20"])


def test_importing_the_same_file_again_changes_nothing(schools):
    a, b, _c = schools
    content = xlsx_bytes(
        [
            HEADER,
            [a.organisation_number, "", "", "2019-20", "", 5.1, 50],
            [b.organisation_number, "", "", "2019-20", "", "*", ":"],
        ]
    )
    _import(content)
    before = list(SurveyFigure.objects.values_list("pk", "updated_at", "last_import"))
    again = _import(content)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)
    assert list(SurveyFigure.objects.values_list("pk", "updated_at", "last_import")) == before


def test_a_corrected_file_updates_the_rows_it_covers(schools):
    a, b, c = schools
    _import(
        xlsx_bytes(
            [
                HEADER,
                [a.organisation_number, "", "", "2019-20", "", 5.1, 50],
                [b.organisation_number, "", "", "2019-20", "", 7, 40],
                [c.organisation_number, "", "", "2019-20", "", 3, 30],
            ]
        )
    )
    corrected = _import(
        xlsx_bytes(
            [
                HEADER,
                [a.organisation_number, "", "", "2019-20", "", 5.1, 50],
                [b.organisation_number, "", "", "2019-20", "", "*", 40],
                [c.organisation_number, "", "", "2018-19", "", 2, 20],
            ]
        ),
        "rettet.xlsx",
    )
    assert (corrected.added, corrected.changed, corrected.unchanged) == (1, 1, 1)
    assert _figures() == sorted(
        [
            (a.organisation_number, 2019, "", Decimal("5.1"), "", 50, "", False),
            (b.organisation_number, 2019, "", None, "*", 40, "", True),
            (c.organisation_number, 2019, "", Decimal("3.0"), "", 30, "", False),
            (c.organisation_number, 2018, "", Decimal("2.0"), "", 20, "", False),
        ]
    )
    changed = SurveyFigure.objects.get(school=b)
    assert changed.last_import == corrected


def test_a_percent_formatted_cell_is_read_as_a_percentage(schools):
    a = schools[0]
    plan = _plan(
        xlsx_bytes(
            [HEADER, [a.organisation_number, "", "", "2019-20", "", 0.065, 50]],
            formats={"F2": "0.0%"},
        )
    )
    assert plan.create[0].share == Decimal("6.5")


def test_a_formula_cell_is_rejected(schools):
    a = schools[0]
    plan = _plan(xlsx_bytes([HEADER, [a.organisation_number, "", "", "2019-20", "", "=2+3", 50]]))
    assert [(e.row, e.message) for e in plan.rejected] == [
        (2, "«Andel mobbet (%)» inneholder en formel (=2+3). Lagre verdiene, ikke formlene.")
    ]


def test_an_office_cannot_import_figures_for_another_offices_schools(schools):
    mine = MunicipalityFactory()
    own_school = SchoolFactory(municipality=mine)
    user = office_user(mine.county.office)
    content = xlsx_bytes(
        [
            HEADER,
            [own_school.organisation_number, "", "", "2019-20", "", 5, 50],
            [schools[0].organisation_number, "", "", "2019-20", "", 5, 50],
        ]
    )
    imported = _import(content, user=user)
    assert (imported.added, imported.rejected) == (1, 1)
    assert list(SurveyFigure.objects.values_list("school", flat=True)) == [own_school.pk]


def test_a_file_named_xlsx_that_is_something_else_is_refused():
    with pytest.raises(ImportFileError) as error:
        _plan(b"Organisasjonsnummer;Skoleaar\n123;2019\n", "tall.xlsx")
    assert error.value.message == (
        "Filen er ikke en gyldig Excel-fil (.xlsx). Lagre den på nytt som .xlsx eller .csv."
    )


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hei.txt", "hei")
    with pytest.raises(ImportFileError) as error:
        _plan(buffer.getvalue(), "tall.xlsx")
    assert "ikke en gyldig Excel-fil" in error.value.message


def test_a_file_without_a_recognisable_header_is_refused():
    with pytest.raises(ImportFileError) as error:
        _plan(csv_bytes([["a", "b"], ["1", "2"]]), "tall.csv")
    assert error.value.message == (
        "Fant ingen overskriftsrad i filen. Den må ha kolonnene «Organisasjonsnummer», "
        "«Skoleår», «Andel mobbet (%)», «Antall svar»; «Skolenavn», «Kommunenummer», «Trinn», "
        "«Kjønn» kan også være med. Store og små bokstaver og rekkefølgen spiller ingen rolle."
    )


def test_a_header_missing_a_column_says_which():
    with pytest.raises(ImportFileError) as error:
        _plan(xlsx_bytes([["Organisasjonsnummer", "Skoleår", "Andel mobbet"], ["1", "2", "3"]]))
    assert error.value.message.startswith("Overskriftsraden (rad 1) mangler «Antall svar».")


def test_an_old_excel_file_is_refused():
    with pytest.raises(ImportFileError) as error:
        _plan(b"\xd0\xcf\x11\xe0", "tall.xls")
    assert "(.xls)" in error.value.message


def _huge_xlsx(rows, *, dimension):
    """A minimal workbook written row by row, as a large export would be."""
    buffer = io.BytesIO()
    ns = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{ns}/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{ns}/spreadsheetml/2006/main">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="A1:A{rows}"/>'.encode())
            sheet.write(b'<sheetData><row r="1">')
            for column, header in zip(
                "ABCD",
                ["Organisasjonsnummer", "Skoleår", "Andel mobbet", "Antall svar"],
                strict=True,
            ):
                sheet.write(f'<c r="{column}1" t="inlineStr"><is><t>{header}</t></is></c>'.encode())
            sheet.write(b"</row>")
            for start in range(2, rows + 1, 10_000):
                sheet.write(
                    "".join(
                        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'
                        for n in range(start, min(start + 10_000, rows + 1))
                    ).encode()
                )
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@pytest.mark.parametrize("dimension", [True, False], ids=["declared", "undeclared"])
def test_a_sheet_with_a_million_rows_is_refused_with_a_message(dimension):
    with pytest.raises(ImportFileError) as error:
        _plan(_huge_xlsx(1_000_000, dimension=dimension))
    assert error.value.message == (
        "Filen har mer enn 100\u00a0000 rader. Del den opp i mindre filer, for eksempel én per "
        "skoleår."
    )


def test_a_csv_with_too_many_rows_is_refused(schools):
    a = schools[0]
    row = [a.organisation_number, "", "", "2019-20", "", "5", "50"]
    content = csv_bytes([HEADER] + [row] * (MAX_ROWS + 1))
    with pytest.raises(ImportFileError) as error:
        _plan(content, "stor.csv")
    assert error.value.message.startswith("Filen har mer enn 100\u00a0000 rader.")


def test_a_refused_file_is_not_kept_for_confirmation():
    with pytest.raises(ImportFileError):
        preview_import(
            kind=ImportKind.SURVEY,
            file_name="tall.xlsx",
            content=b"ikke excel",
            actor=udir_user(),
            scope=None,
        )
    assert PendingImport.objects.count() == 0


def test_confirming_recomputes_the_national_mean(schools):
    a, b, _c = schools
    _import(
        xlsx_bytes(
            [
                HEADER,
                [a.organisation_number, "", "", "2019-20", "", 10, 100],
                [b.organisation_number, "", "", "2019-20", "", 4, 300],
            ]
        )
    )
    mean = NationalMean.objects.get(school_year=2019)
    assert (mean.computed_share, mean.computed_respondents, mean.computed_schools) == (
        Decimal("5.50"),
        400,
        2,
    )


def test_an_office_of_another_county_is_not_the_scope(schools):
    user = office_user(GovernorOfficeFactory())
    assert municipalities_in_scope(roles_of(user)) == set()


COMMA_HEADER = "Organisasjonsnummer,Skoleår,Andel mobbet (%),Antall svar\r\n"
OVERFLOW = (
    "Raden har verdier i 5 kolonner, men overskriften har bare 4. Raden er avvist, så ingen "
    "verdi havner under feil overskrift. Filen er skilt med komma: står det desimaltall med "
    "komma, for eksempel 7,3? Sett anførselstegn rundt slike tall, eller lagre filen med "
    "semikolon som skilletegn."
)


def test_a_comma_separated_row_with_a_decimal_comma_is_rejected_not_shifted(schools):
    a, b, _c = schools
    content = (
        COMMA_HEADER
        + f"{a.organisation_number},2022-23,7,3,45\r\n"
        + f'{b.organisation_number},2022-23,"7,3",45\r\n'
    ).encode()
    plan = _plan(content, "fil.csv")
    assert [(e.row, e.message) for e in plan.rejected] == [(2, OVERFLOW)]
    assert [(f.school_id, f.share, f.respondents) for f in plan.create] == [
        (b.pk, Decimal("7.3"), 45)
    ]


def test_a_row_beyond_the_header_is_rejected_in_a_workbook_too(schools):
    a, b, _c = schools
    plan = _plan(
        xlsx_bytes(
            [
                ["Organisasjonsnummer", "Skoleår", "Andel mobbet (%)", "Antall svar", None],
                [a.organisation_number, "2019-20", 7, 3, 45],
                [b.organisation_number, "2019-20", 7.3, 45, None],
            ]
        )
    )
    assert [(e.row, e.message) for e in plan.rejected] == [
        (
            2,
            "Raden har verdier i 5 kolonner, men overskriften har bare 4. Raden er avvist, så "
            "ingen verdi havner under feil overskrift.",
        )
    ]
    assert [f.school_id for f in plan.create] == [b.pk]


def test_empty_cells_after_the_last_column_are_no_reason_to_reject(schools):
    a = schools[0]
    content = (COMMA_HEADER + f"{a.organisation_number},2022-23,7.3,45,,\r\n").encode()
    plan = _plan(content, "fil.csv")
    assert plan.rejected == []
    assert plan.create[0].share == Decimal("7.3")


def test_the_preview_shows_a_row_rejected_for_too_many_cells(client, schools):
    a = schools[0]
    user = udir_user()
    sign_in(client, user)
    content = (COMMA_HEADER + f"{a.organisation_number},2022-23,7,3,45\r\n").encode()
    pending = preview_import(
        kind=ImportKind.SURVEY, file_name="fil.csv", content=content, actor=user, scope=None
    )
    response = client.get(reverse("selection:import_preview", args=[pending.pk]))
    assert pending.preview["rejected"] == [{"row": 2, "message": OVERFLOW}]
    assert f"<tr><td>2</td><td>{OVERFLOW}</td></tr>" in response.content.decode()


@pytest.mark.parametrize(
    ("number_format", "value", "share"),
    [
        ("0.0%", 0.065, "6.5"),
        ("0%", 0.07, "7.0"),
        ("[Red]0.0%;-0.0%", 0.065, "6.5"),
        ('0.0"%"', 0.5, "0.5"),
        ('0.0" %"', 6.5, "6.5"),
        ("0.0\\%", 6.5, "6.5"),
        ("0.0", 6.5, "6.5"),
    ],
)
def test_a_cell_is_read_as_excel_shows_it(schools, number_format, value, share):
    a = schools[0]
    plan = _plan(
        xlsx_bytes(
            [HEADER, [a.organisation_number, "", "", "2019-20", "", value, 50]],
            formats={"F2": number_format},
        )
    )
    assert plan.rejected == []
    assert plan.create[0].share == Decimal(share)


GENDER_HEADER = ["Organisasjonsnummer", "Skoleår", "Kjønn", "Andel mobbet (%)", "Antall svar"]


def test_a_file_split_by_gender_imports_the_row_for_all_pupils(schools):
    a, b, c = schools
    content = xlsx_bytes(
        [
            GENDER_HEADER,
            [a.organisation_number, "2019-20", "Gutter", 8.0, 50],
            [a.organisation_number, "2019-20", "Jenter", 6.0, 50],
            [a.organisation_number, "2019-20", "Begge kjønn", 7.0, 100],
            [b.organisation_number, "2019-20", "Alle", 4.5, 80],
            [b.organisation_number, "2019-20", "Jenter", 3.0, 40],
            [c.organisation_number, "2019-20", "Totalt", 5.0, 60],
            [c.organisation_number, "2019-20", "Ukjent", 5.0, 60],
        ]
    )
    plan = _plan(content)
    assert sorted((f.school_id, f.share, f.respondents) for f in plan.create) == sorted(
        [(a.pk, Decimal("7.0"), 100), (b.pk, Decimal("4.5"), 80), (c.pk, Decimal("5.0"), 60)]
    )
    assert [(e.row, e.message) for e in plan.rejected] == [
        (8, "Kjønn «Ukjent» kan ikke leses. Skriv Begge kjønn (eller Alle), Gutter eller Jenter.")
    ]
    summary = plan.summary()
    assert (summary["gender_rows"], summary["gender_values"], summary["only_by_gender"]) == (
        3,
        ["Gutter", "Jenter"],
        0,
    )


def test_a_school_with_figures_by_gender_only_is_counted_in_the_preview(client, schools):
    a, b, _c = schools
    user = udir_user()
    content = xlsx_bytes(
        [
            GENDER_HEADER,
            [a.organisation_number, "2019-20", "Begge kjønn", 7.0, 100],
            [a.organisation_number, "2019-20", "Gutter", 8.0, 50],
            [b.organisation_number, "2019-20", "Gutter", 8.0, 50],
            [b.organisation_number, "2019-20", "Jenter", 6.0, 50],
        ]
    )
    pending = preview_import(
        kind=ImportKind.SURVEY, file_name="f.xlsx", content=content, actor=user, scope=None
    )
    assert (pending.preview["added"], pending.preview["rejected_count"]) == (1, 0)
    assert (pending.preview["gender_rows"], pending.preview["only_by_gender"]) == (3, 1)
    sign_in(client, user)
    text = client.get(reverse("selection:import_preview", args=[pending.pk])).content.decode()
    assert '<th scope="row">Holdes utenfor (bare ett kjønn)</th><td>3</td>' in text
    assert (
        "3 rader med tall for bare ett kjønn (Gutter, Jenter) holdes utenfor. Bare radene for "
        "alle elever (begge kjønn) importeres, så ingen elev telles to ganger."
    ) in text
    assert (
        "For 1 skole, skoleår og trinn har filen bare tall per kjønn og ingen rad for alle "
        "elever; der gir filen ingen tall."
    ) in text
    confirm_import(pending=pending, actor=user, scope=None)
    assert _figures() == [(a.organisation_number, 2019, "", Decimal("7.0"), "", 100, "", False)]


def _excel_xlsx(sheet_xml, *, strings, dimension=None):
    """A workbook as Excel writes it: text in a shared-string table (one of them rich text,
    with a phonetic hint), a percent style (1) and a date style (2), and the sheet as given."""
    ns = "http://schemas.openxmlformats.org"
    main = f"{ns}/spreadsheetml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Mobbing" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{ns}/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/styles.xml",
            f'<styleSheet xmlns="{main}"><numFmts count="1">'
            '<numFmt numFmtId="164" formatCode="0.0%"/></numFmts>'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            '</cellStyleXfs><cellXfs count="3">'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            "</cellXfs></styleSheet>",
        )
        items = "".join(
            f"<si>{text}</si>" if text.startswith("<") else f"<si><t>{text}</t></si>"
            for text in strings
        )
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>',
        )
        size = f'<dimension ref="{dimension}"/>' if dimension else ""
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{main}">{size}<sheetData>{sheet_xml}</sheetData></worksheet>',
        )
    return buffer.getvalue()


def test_a_workbook_as_excel_writes_it_is_read_cell_by_cell(schools):
    a, b, c = schools
    strings = [
        "Organisasjonsnummer",
        "Skoleår",
        # Rich text: the runs make the text, the phonetic hint is left out.
        "<r><t>Andel </t></r><r><rPr><b/></rPr><t>mobbet</t></r><rPh sb='0' eb='1'><t>x</t></rPh>",
        "Antall svar",
        a.organisation_number,
        "2019-20",
        b.organisation_number,
        c.organisation_number,
    ]
    sheet = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
        # A share in a percent format, a count as a number.
        '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c>'
        '<c r="C2" s="1"><v>0.065</v></c><c r="D2"><v>50</v></c></row>'
        # Row 3 is missing; row 4's cells have no positions, and its count is a formula.
        '<row r="4"><c t="s"><v>6</v></c><c t="s"><v>5</v></c><c><v>7.3</v></c>'
        "<c><f>SUM(D2:D3)</f><v>50</v></c></row>"
        # A school year as a date is no school year; a column left empty (B) in between.
        '<row r="5"><c r="A5" t="s"><v>7</v></c><c r="C5"><v>4</v></c>'
        '<c r="D5"><v>12</v></c></row>'
        '<row r="6"><c r="A6" t="s"><v>7</v></c><c r="B6" s="2"><v>43466</v></c>'
        '<c r="C6"><v>4</v></c><c r="D6"><v>12</v></c></row>'
    )
    plan = _plan(_excel_xlsx(sheet, strings=strings, dimension="A1:D6"))
    assert plan.table.columns == [
        "Organisasjonsnummer",
        "Skoleår",
        "Andel mobbet (%)",
        "Antall svar",
    ]
    assert [(f.school_id, f.share, f.respondents) for f in plan.create] == [
        (a.pk, Decimal("6.5"), 50)
    ]
    assert [(e.row, e.message) for e in plan.rejected] == [
        (4, "«Antall svar» inneholder en formel (=SUM(D2:D3)). Lagre verdiene, ikke formlene."),
        (5, "«Skoleår» mangler."),
        (
            6,
            "Skoleåret «2019-01-01 00:00:00» kan ikke leses. Skriv det som 2019-20, 2019–2020 "
            "eller 2019.",
        ),
    ]


def test_a_declared_size_limits_the_cells_read_as_excel_reads_it(schools):
    a = schools[0]
    strings = ["Organisasjonsnummer", "Skoleår", "Andel mobbet", "Antall svar", "2019-20"]
    sheet = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{a.organisation_number}</t></is></c>'
        '<c r="B2" t="s"><v>4</v></c><c r="C2"><v>7</v></c><c r="D2"><v>30</v></c>'
        '<c r="E2"><v>99</v></c></row>'
        '<row r="3"><c r="A3"><v>1</v></c></row>'
    )
    # Past the declared size (A1:D2) nothing is read: not column E, not row 3.
    plan = _plan(_excel_xlsx(sheet, strings=strings, dimension="A1:D2"))
    assert plan.rejected == []
    assert [(f.school_id, f.share, f.respondents) for f in plan.create] == [
        (a.pk, Decimal("7.0"), 30)
    ]
