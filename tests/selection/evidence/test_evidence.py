import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from laeringsmiljo.models import AuditEvent
from selection.evidence.imports import (
    AlreadyImported,
    confirm_import,
    plan_file,
    preview_import,
)
from selection.evidence.services import (
    delete_finding,
    recompute_national_means,
    save_complaint_cases,
    save_finding,
)
from selection.evidence.tables import ImportFileError
from selection.models import (
    ComplaintCaseCount,
    ImportKind,
    ImportRecord,
    NationalMean,
    SupervisionFinding,
    SurveyFigure,
)
from tests.factories import MunicipalityFactory, SchoolFactory, office_user, udir_user
from tests.selection.factories import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

CASE_HEADER = ["Organisasjonsnummer", "Skoleår", "Antall saker", "Herav langvarige eller komplekse"]
FINDING_HEADER = [
    "Kommunenummer",
    "Organisasjonsnummer",
    "Dato",
    "Tema",
    "Praksis",
    "Rutiner",
    "System",
    "Lukket",
]


@pytest.fixture
def municipality():
    return MunicipalityFactory()


def _import(kind, content, file_name="fil.csv", user=None):
    user = user or udir_user()
    pending = preview_import(
        kind=kind, file_name=file_name, content=content, actor=user, scope=None
    )
    return confirm_import(pending=pending, actor=user, scope=None)


def test_complaint_cases_import_counts_and_rejects_bad_counts(municipality):
    a = SchoolFactory(municipality=municipality)
    b = SchoolFactory(municipality=municipality)
    content = csv_bytes(
        [
            CASE_HEADER,
            [a.organisation_number, "2019-20", "3", "1"],
            [b.organisation_number, "2019-20", "-2", "0"],
            [b.organisation_number, "2018-19", "1", "2"],
            [b.organisation_number, "2017-18", "2,5", ""],
            [b.organisation_number, "2016-17", "4", ""],
        ]
    )
    plan = plan_file(kind=ImportKind.COMPLAINTS, file_name="f.csv", content=content, scope=None)
    assert [(e.row, e.message) for e in plan.rejected] == [
        (3, "«Antall saker» kan ikke være negativt: «-2»."),
        (4, "Antall langvarige eller komplekse saker (2) er større enn antall saker (1)."),
        (5, "«Antall saker» må være et helt tall, ikke «2,5»."),
    ]
    imported = _import(ImportKind.COMPLAINTS, content)
    assert (imported.added, imported.rejected) == (2, 3)
    assert sorted(
        ComplaintCaseCount.objects.values_list("school", "school_year", "cases", "long_running")
    ) == sorted([(a.pk, 2019, 3, 1), (b.pk, 2016, 4, 0)])
    again = _import(ImportKind.COMPLAINTS, content)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)


def test_findings_import_reads_flags_and_dates(municipality):
    school = SchoolFactory(municipality=municipality)
    elsewhere = SchoolFactory()
    content = xlsx_bytes(
        [
            FINDING_HEADER,
            [
                municipality.number,
                "",
                datetime.datetime(2019, 3, 1),
                "Skolemiljø",
                "ja",
                "",
                "x",
                "nei",
            ],
            [
                municipality.number,
                school.organisation_number,
                "01.10.2018",
                "Rutiner",
                "",
                "ja",
                "",
                "ja",
            ],
            [
                municipality.number,
                elsewhere.organisation_number,
                "2019-01-01",
                "Annet",
                "ja",
                "",
                "",
                "",
            ],
            [municipality.number, "", "2019-01-01", "Ingen avvik", "nei", "nei", "nei", ""],
            ["9999", "", "2019-01-01", "Ukjent", "ja", "", "", ""],
            [municipality.number, "", "1.13.2019", "Feil dato", "ja", "", "", ""],
        ]
    )
    plan = plan_file(kind=ImportKind.FINDINGS, file_name="f.xlsx", content=content, scope=None)
    assert [(e.row, e.message) for e in plan.rejected] == [
        (4, "Skolen ligger ikke i kommunen på samme rad."),
        (5, "Kryss av for minst én av praksis, rutiner eller system."),
        (6, "Ukjent kommunenummer 9999."),
        (7, "Datoen «1.13.2019» kan ikke leses. Skriv den som 31.12.2019 eller 2019-12-31."),
    ]
    _import(ImportKind.FINDINGS, content, "f.xlsx")
    assert sorted(
        SupervisionFinding.objects.values_list(
            "school", "date", "topic", "in_practice", "in_routines", "in_system", "closed"
        ),
        key=str,
    ) == sorted(
        [
            (None, datetime.date(2019, 3, 1), "Skolemiljø", True, False, True, False),
            (school.pk, datetime.date(2018, 10, 1), "Rutiner", False, True, False, True),
        ],
        key=str,
    )


def test_an_office_cannot_import_findings_for_another_offices_municipality(municipality):
    user = office_user()
    content = csv_bytes(
        [FINDING_HEADER, [municipality.number, "", "2019-01-01", "Tema", "ja", "", "", ""]]
    )
    pending = preview_import(
        kind=ImportKind.FINDINGS,
        file_name="f.csv",
        content=content,
        actor=user,
        scope=set(),
    )
    assert pending.preview["rejected"] == [
        {"row": 2, "message": "Kommunen ligger utenfor embetets fylker."}
    ]
    assert pending.preview["added"] == 0


def test_a_file_with_no_accepted_rows_cannot_be_confirmed(municipality):
    user = udir_user()
    content = csv_bytes([CASE_HEADER, ["123456785", "2019", "1", "0"]])
    pending = preview_import(
        kind=ImportKind.COMPLAINTS, file_name="f.csv", content=content, actor=user, scope=None
    )
    with pytest.raises(ImportFileError):
        confirm_import(pending=pending, actor=user, scope=None)
    assert ImportRecord.objects.count() == 0


def test_save_complaint_cases_records_before_and_after(municipality):
    school = SchoolFactory(municipality=municipality)
    user = office_user(municipality.county.office)
    count = save_complaint_cases(
        municipality=municipality,
        school=school,
        school_year=2019,
        cases=2,
        long_running=0,
        actor=user,
    )
    save_complaint_cases(
        municipality=municipality,
        school=school,
        school_year=2019,
        cases=3,
        long_running=1,
        actor=user,
        instance=count,
    )
    events = AuditEvent.objects.filter(object_id=str(count.pk)).order_by("id")
    assert [e.action for e in events] == [
        "evidence.complaint_cases_create",
        "evidence.complaint_cases_change",
    ]
    assert (events[1].before["cases"], events[1].after["cases"]) == (2, 3)
    assert count.registered_by == user


def test_save_complaint_cases_refuses_a_school_of_another_municipality(municipality):
    with pytest.raises(ValidationError) as error:
        save_complaint_cases(
            municipality=municipality,
            school=SchoolFactory(),
            school_year=2019,
            cases=1,
            long_running=0,
            actor=None,
        )
    assert error.value.message_dict == {"school": [f"Skolen ligger ikke i {municipality.name}."]}
    assert ComplaintCaseCount.objects.count() == 0


def test_save_complaint_cases_refuses_a_second_count_for_the_same_year(municipality):
    school = SchoolFactory(municipality=municipality)
    values = {"municipality": municipality, "school": school, "school_year": 2019, "actor": None}
    save_complaint_cases(cases=1, long_running=0, **values)
    with pytest.raises(ValidationError) as error:
        save_complaint_cases(cases=2, long_running=0, **values)
    assert error.value.messages == [
        "Skolen har allerede tall for dette skoleåret. Endre dem i stedet."
    ]


def test_save_complaint_cases_refuses_more_long_running_than_cases(municipality):
    with pytest.raises(ValidationError) as error:
        save_complaint_cases(
            municipality=municipality,
            school=SchoolFactory(municipality=municipality),
            school_year=2019,
            cases=1,
            long_running=2,
            actor=None,
        )
    assert error.value.messages == [
        "Antall langvarige eller komplekse saker kan ikke være større enn antall saker."
    ]


def test_a_finding_needs_a_kind_of_deficiency_and_can_be_closed_and_deleted(municipality):
    values = {"school": None, "date": datetime.date(2019, 5, 1), "topic": "Skolemiljø"}
    with pytest.raises(ValidationError) as error:
        save_finding(municipality=municipality, actor=None, **values)
    assert error.value.messages == [
        "Kryss av for minst én av avvik i praksis, rutiner eller system."
    ]
    finding = save_finding(municipality=municipality, actor=None, in_system=True, **values)
    save_finding(
        municipality=municipality,
        actor=None,
        instance=finding,
        in_system=True,
        closed=True,
        **values,
    )
    finding.refresh_from_db()
    assert finding.closed is True
    delete_finding(instance=finding, actor=None)
    assert SupervisionFinding.objects.count() == 0
    assert AuditEvent.objects.filter(action="evidence.finding_delete").count() == 1


def test_the_national_mean_is_weighted_by_respondents_and_counts_each_pupil_once():
    a, b, c = SchoolFactory(), SchoolFactory(), SchoolFactory()
    rows = [
        (a, "", Decimal("10.0"), 100, False),
        (a, "7", Decimal("99.0"), 10, False),  # a has an all-grades row: its grades are left out
        (b, "7", Decimal("4.0"), 50, False),
        (b, "10", Decimal("8.0"), 150, False),
        (c, "", None, 30, True),
    ]
    for school, grade, share, respondents, suppressed in rows:
        SurveyFigure.objects.create(
            school=school,
            school_year=2019,
            grade=grade,
            share=share,
            respondents=respondents,
            suppressed=suppressed,
            share_symbol="*" if suppressed else "",
        )
    recompute_national_means(years=[2019, 2018])
    # (10 × 100 + 4 × 50 + 8 × 150) / 300 = 2400 / 300 = 8.00
    assert list(
        NationalMean.objects.order_by("school_year").values_list(
            "school_year", "computed_share", "computed_respondents", "computed_schools"
        )
    ) == [(2018, None, 0, 0), (2019, Decimal("8.00"), 300, 2)]


def test_a_published_national_mean_wins_and_survives_recomputing():
    mean = NationalMean.objects.create(school_year=2019, published_share=Decimal("6.1"))
    recompute_national_means(years=[2019])
    mean.refresh_from_db()
    assert (mean.value, mean.is_published, mean.computed_share) == (Decimal("6.1"), True, None)


def test_the_import_command_imports_a_file_from_disk(tmp_path, municipality, capsys):
    school = SchoolFactory(municipality=municipality)
    path = tmp_path / "elevundersokelsen.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["Organisasjonsnummer", "Skoleår", "Andel mobbet", "Antall svar"],
                [school.organisation_number, "2019-20", "5,5", "40"],
                ["123", "2019-20", "5,5", "40"],
            ]
        )
    )
    call_command("import_evidence", str(path), "--dry-run")
    assert SurveyFigure.objects.count() == 0
    call_command("import_evidence", str(path))
    out = capsys.readouterr().out
    assert SurveyFigure.objects.get().share == Decimal("5.5")
    assert "Rad 3 avvist: «123» er ikke et organisasjonsnummer (ni siffer)." in out
    assert "1 nye, 0 endrede, 0 uendrede og 1 avviste rader." in out


def test_the_import_command_refuses_an_unreadable_file(tmp_path):
    path = tmp_path / "tall.xlsx"
    path.write_bytes(b"ikke excel")
    with pytest.raises(CommandError, match="ikke en gyldig Excel-fil"):
        call_command("import_evidence", str(path))


def test_a_previewed_file_is_imported_once_however_often_it_is_confirmed(municipality):
    user = udir_user()
    school = SchoolFactory(municipality=municipality)
    content = csv_bytes([CASE_HEADER, [school.organisation_number, "2019", "1", "0"]])
    pending = preview_import(
        kind=ImportKind.COMPLAINTS, file_name="f.csv", content=content, actor=user, scope=None
    )
    imported = confirm_import(pending=pending, actor=user, scope=None)
    with pytest.raises(AlreadyImported) as error:
        confirm_import(pending=pending, actor=user, scope=None)
    assert error.value.message == (
        "Filen er allerede importert. Her er resultatet; ingenting er importert to ganger."
    )
    assert error.value.record == imported
    assert ImportRecord.objects.count() == 1


def test_the_import_command_names_a_row_with_more_cells_than_the_header(
    tmp_path, municipality, capsys
):
    school = SchoolFactory(municipality=municipality)
    path = tmp_path / "elevundersokelsen.csv"
    path.write_text(
        "Organisasjonsnummer,Skoleår,Andel mobbet,Antall svar\n"
        f"{school.organisation_number},2022-23,7,3,45\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Ingen rader i filen kan importeres"):
        call_command("import_evidence", str(path))
    out = capsys.readouterr().out
    assert "Rad 2 avvist: Raden har verdier i 5 kolonner, men overskriften har bare 4." in out
    assert SurveyFigure.objects.count() == 0


def test_the_import_command_says_which_rows_it_left_out_by_gender(tmp_path, municipality, capsys):
    school = SchoolFactory(municipality=municipality)
    path = tmp_path / "elevundersokelsen.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["Organisasjonsnummer", "Skoleår", "Kjønn", "Andel mobbet", "Antall svar"],
                [school.organisation_number, "2019-20", "Gutter", "6,0", "20"],
                [school.organisation_number, "2019-20", "Jenter", "5,0", "20"],
                [school.organisation_number, "2019-20", "Begge kjønn", "5,5", "40"],
            ]
        )
    )
    call_command("import_evidence", str(path))
    out = capsys.readouterr().out
    assert SurveyFigure.objects.get().share == Decimal("5.5")
    assert (
        "2 rader med tall for bare ett kjønn (Gutter, Jenter) er holdt utenfor: bare radene for "
        "alle elever (begge kjønn) importeres." in out
    )
    assert "1 nye, 0 endrede, 0 uendrede og 0 avviste rader." in out
