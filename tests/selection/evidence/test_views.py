import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from selection.models import (
    ApplicationScore,
    ComplaintCaseCount,
    ImportKind,
    ImportRecord,
    MotivationGrade,
    NationalMean,
    PendingImport,
    SupervisionFinding,
    SurveyFigure,
)
from selection.scoring.engine import score_application
from selection.scoring.grading import grade_motivation
from tests.factories import (
    CohortFactory,
    GovernorOfficeFactory,
    MunicipalityFactory,
    SchoolFactory,
    municipality_user,
    office_user,
    udir_user,
)
from tests.pageforms import form_data
from tests.selection.factories import (
    ApplicationKindergartenFactory,
    ApplicationSchoolFactory,
    csv_bytes,
    xlsx_bytes,
)
from tests.selection.factories import (
    SubmittedApplicationFactory as ApplicationFactory,
)
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """One office's municipality with an application, a count, a finding, a score and a file
    waiting for confirmation."""
    office = GovernorOfficeFactory()
    municipality = MunicipalityFactory(county__office=office)
    cohort = CohortFactory(start_date=datetime.date(2020, 9, 1))
    # Sent in once, so that its office sees it (applications.access).
    application = ApplicationFactory(cohort=cohort, municipality=municipality, submission_count=1)
    unit = ApplicationSchoolFactory(application=application)
    ApplicationKindergartenFactory(application=application, feeds=[unit])
    count = ComplaintCaseCount.objects.create(
        school=unit.school, school_year=2019, cases=1, long_running=0
    )
    finding = SupervisionFinding.objects.create(
        municipality=municipality, date=datetime.date(2019, 1, 1), topic="Tema", in_system=True
    )
    score = score_application(application=application, actor=None)
    uploader = office_user(office)
    pending = PendingImport.objects.create(
        kind=ImportKind.SURVEY,
        file_name="f.csv",
        sha256="0" * 64,
        content=b"",
        uploaded_by=uploader,
        preview={
            "format": "csv",
            "encoding": "UTF-8",
            "delimiter": "semikolon",
            "sheet": "",
            "header_row": 1,
            "columns": [],
            "ignored_headers": [],
            "rows": 0,
            "added": 0,
            "changed": 0,
            "unchanged": 0,
            "rejected_count": 0,
            "rejected": [],
            "years": [],
            "previous": None,
        },
    )
    imported = ImportRecord.objects.create(
        kind=ImportKind.SURVEY, file_name="g.csv", sha256="1" * 64, size=1, imported_by=uploader
    )
    return {
        "office": office,
        "municipality": municipality,
        "imported": imported,
        "cohort": cohort,
        "application": application,
        "count": count,
        "finding": finding,
        "score": score,
        "uploader": uploader,
        "pending": pending,
    }


def pages(world):
    """(url, method, whether the page belongs to one municipality or user)."""
    m = world["municipality"].pk
    a = world["application"].pk
    return [
        (reverse("selection:evidence"), "get", False),
        (reverse("selection:import_upload", args=["elevundersokelsen"]), "get", False),
        (reverse("selection:import_template", args=["klagesaker"]), "get", False),
        (reverse("selection:import_preview", args=[world["pending"].pk]), "get", True),
        (reverse("selection:import_result", args=[world["imported"].pk]), "get", True),
        (reverse("selection:municipality_evidence", args=[m]), "get", True),
        (reverse("selection:case_create", args=[m]), "get", True),
        (reverse("selection:case_update", args=[m, world["count"].pk]), "get", True),
        (reverse("selection:case_delete", args=[m, world["count"].pk]), "post", True),
        (reverse("selection:finding_create", args=[m]), "get", True),
        (reverse("selection:finding_update", args=[m, world["finding"].pk]), "get", True),
        (reverse("selection:finding_delete", args=[m, world["finding"].pk]), "post", True),
        (reverse("selection:cohort_scores", args=[world["cohort"].pk]), "get", False),
        (reverse("selection:score", args=[a]), "get", True),
        (reverse("selection:stored_score", args=[a, world["score"].pk]), "get", True),
        (reverse("selection:rescore", args=[a]), "post", True),
        (reverse("selection:grade", args=[a]), "post", True),
    ]


def test_every_page_requires_login(client, world):
    for url, method, _own in pages(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_municipality_user_is_refused_every_page(client, world):
    sign_in(client, municipality_user(world["municipality"]))
    for url, method, _own in pages(world):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        assert "Du har ikke tilgang til denne siden" in response.content.decode()


def test_another_office_finds_nothing_of_this_office(client, world):
    sign_in(client, office_user(GovernorOfficeFactory()))
    for url, method, own in pages(world):
        response = getattr(client, method)(url)
        if own:
            assert response.status_code == 404, url
        elif method == "get":
            assert response.status_code == 200, url
    assert ComplaintCaseCount.objects.count() == 1
    assert SupervisionFinding.objects.count() == 1
    assert ApplicationScore.objects.count() == 1
    assert MotivationGrade.objects.count() == 0


@pytest.mark.parametrize("who", ["office", "udir"])
def test_the_office_and_udir_see_every_page(client, world, who):
    user = world["uploader"] if who == "office" else udir_user()
    sign_in(client, user)
    for url, method, _own in pages(world):
        if method != "get" or (who == "udir" and "forhandsvisning" in url):
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(".xlsx"):
            continue
        html = response.content.decode()
        assert html.count("<h1") == 1, url
        assert html.count("<table") == html.count("<caption"), url


def test_udir_does_not_see_an_import_someone_else_uploaded(client, world):
    sign_in(client, udir_user())
    response = client.get(reverse("selection:import_preview", args=[world["pending"].pk]))
    assert response.status_code == 404


def test_upload_preview_and_confirm_imports_the_file(client):
    municipality = MunicipalityFactory()
    school = SchoolFactory(municipality=municipality)
    sign_in(client, office_user(municipality.county.office))
    content = csv_bytes(
        [
            ["Organisasjonsnummer", "Skoleår", "Andel mobbet (%)", "Antall svar"],
            [school.organisation_number, "2019-20", "7,5", "40"],
            [school.organisation_number, "2019-20", "8", "40"],
        ]
    )
    response = client.post(
        reverse("selection:import_upload", args=["elevundersokelsen"]),
        {"file": SimpleUploadedFile("mobbing.csv", content)},
    )
    pending = PendingImport.objects.get()
    assert response["Location"] == reverse("selection:import_preview", args=[pending.pk])
    assert SurveyFigure.objects.count() == 0

    page = client.get(response["Location"]).content.decode()
    assert "Raden gjentar rad 2 (samme nøkkel); bare den første tas med." in page
    assert "Importer 1 godkjent rad" in page

    response = client.post(
        reverse("selection:import_preview", args=[pending.pk]), {"action": "confirm"}
    )
    imported = ImportRecord.objects.get()
    assert response["Location"] == reverse("selection:import_result", args=[imported.pk])
    assert SurveyFigure.objects.get().share == Decimal("7.5")
    assert imported.file_name == "mobbing.csv"
    assert imported.summary["rejected"] == [
        {"row": 3, "message": "Raden gjentar rad 2 (samme nøkkel); bare den første tas med."}
    ]
    page = client.get(response["Location"]).content.decode()
    assert "mobbing.csv er importert: 1 nye, 0 endrede og 0 uendrede rader" in page
    assert "Raden gjentar rad 2 (samme nøkkel); bare den første tas med." in page


def _confirm_twice(client):
    municipality = MunicipalityFactory()
    school = SchoolFactory(municipality=municipality)
    sign_in(client, office_user(municipality.county.office))
    content = csv_bytes(
        [
            ["Organisasjonsnummer", "Skoleår", "Andel mobbet (%)", "Antall svar"],
            [school.organisation_number, "2019-20", "7,5", "40"],
        ]
    )
    client.post(
        reverse("selection:import_upload", args=["elevundersokelsen"]),
        {"file": SimpleUploadedFile("mobbing.csv", content)},
    )
    url = reverse("selection:import_preview", args=[PendingImport.objects.get().pk])
    first = client.post(url, {"action": "confirm"})
    second = client.post(url, {"action": "confirm"}, follow=True)
    return first, second


def test_a_second_click_on_import_lands_on_the_result_with_a_message(client):
    first, second = _confirm_twice(client)
    imported = ImportRecord.objects.get()
    assert first["Location"] == reverse("selection:import_result", args=[imported.pk])
    assert second.status_code == 200
    assert second.redirect_chain == [(reverse("selection:import_result", args=[imported.pk]), 302)]
    # The first click's answer never reached the page; the second shows both.
    assert [str(m) for m in second.context["messages"]] == [
        "mobbing.csv er importert: 1 nye, 0 endrede og 0 uendrede rader; 0 rader ble avvist.",
        "Filen er allerede importert. Her er resultatet; ingenting er importert to ganger.",
    ]
    assert "<h1>Import av mobbing.csv</h1>" in second.content.decode()
    assert (SurveyFigure.objects.count(), ImportRecord.objects.count()) == (1, 1)


def test_an_imported_preview_opened_again_shows_the_result(client):
    _confirm_twice(client)
    pending = PendingImport.objects.get()
    response = client.get(reverse("selection:import_preview", args=[pending.pk]))
    assert response["Location"] == reverse("selection:import_result", args=[pending.result_id])
    assert bytes(PendingImport.objects.get().content) == b""


def test_cancelling_an_import_changes_nothing(client):
    school = SchoolFactory()
    user = udir_user()
    sign_in(client, user)
    client.post(
        reverse("selection:import_upload", args=["elevundersokelsen"]),
        {
            "file": SimpleUploadedFile(
                "m.xlsx",
                xlsx_bytes(
                    [
                        ["Organisasjonsnummer", "Skoleår", "Andel mobbet", "Antall svar"],
                        [school.organisation_number, 2019, 5, 40],
                    ]
                ),
            )
        },
    )
    pending = PendingImport.objects.get()
    client.post(reverse("selection:import_preview", args=[pending.pk]), {"action": "cancel"})
    assert (PendingImport.objects.count(), SurveyFigure.objects.count()) == (0, 0)


def test_an_unreadable_upload_is_refused_on_the_form(client):
    sign_in(client, udir_user())
    response = client.post(
        reverse("selection:import_upload", args=["klagesaker"]),
        {"file": SimpleUploadedFile("saker.xlsx", b"dette er tekst")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filen er ikke en gyldig Excel-fil (.xlsx)." in html
    assert 'href="#id_file"' in html
    assert PendingImport.objects.count() == 0


def test_the_template_has_a_row_for_each_school_the_office_may_import_for(client):
    municipality = MunicipalityFactory()
    school = SchoolFactory(municipality=municipality, name="Åsen skole")
    SchoolFactory()  # another office's
    sign_in(client, office_user(municipality.county.office))
    response = client.get(reverse("selection:import_template", args=["elevundersokelsen"]))
    assert response["Content-Disposition"] == 'attachment; filename="mal-elevundersokelsen.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        [
            "Organisasjonsnummer",
            "Skolenavn",
            "Kommunenummer",
            "Skoleår",
            "Trinn",
            "Kjønn",
            "Andel mobbet (%)",
            "Antall svar",
        ],
        [school.organisation_number, "Åsen skole", municipality.number, *[None] * 5],
    ]


def test_an_unknown_import_kind_is_not_found(client):
    sign_in(client, udir_user())
    assert client.get(reverse("selection:import_upload", args=["noe"])).status_code == 404


def test_the_office_registers_complaint_cases(client):
    municipality = MunicipalityFactory()
    school = SchoolFactory(municipality=municipality)
    sign_in(client, office_user(municipality.county.office))
    url = reverse("selection:case_create", args=[municipality.pk])
    response = client.post(
        url, {"school": school.pk, "school_year": 2019, "cases": -1, "long_running": 0}
    )
    assert response.status_code == 200
    assert "Antallet kan ikke være negativt." in response.content.decode()
    assert ComplaintCaseCount.objects.count() == 0

    response = client.post(
        url, {"school": school.pk, "school_year": 2019, "cases": 3, "long_running": 1}
    )
    assert response["Location"] == reverse(
        "selection:municipality_evidence", args=[municipality.pk]
    )
    assert list(ComplaintCaseCount.objects.values_list("cases", "long_running")) == [(3, 1)]

    response = client.post(
        url, {"school": school.pk, "school_year": 2019, "cases": 1, "long_running": 0}
    )
    assert "Skolen har allerede tall for dette skoleåret. Endre dem i stedet." in (
        response.content.decode()
    )


def test_an_office_cannot_register_cases_for_another_offices_county(client):
    municipality = MunicipalityFactory()
    school = SchoolFactory(municipality=municipality)
    sign_in(client, office_user(GovernorOfficeFactory()))
    response = client.post(
        reverse("selection:case_create", args=[municipality.pk]),
        {"school": school.pk, "school_year": 2019, "cases": 3, "long_running": 1},
    )
    assert response.status_code == 404
    assert ComplaintCaseCount.objects.count() == 0


def test_a_school_of_another_municipality_cannot_be_chosen(client):
    municipality = MunicipalityFactory()
    sign_in(client, office_user(municipality.county.office))
    elsewhere = SchoolFactory(municipality__county=municipality.county)
    response = client.post(
        reverse("selection:case_create", args=[municipality.pk]),
        {"school": elsewhere.pk, "school_year": 2019, "cases": 3, "long_running": 1},
    )
    assert response.status_code == 200
    assert ComplaintCaseCount.objects.count() == 0


def test_the_office_registers_and_closes_a_finding(client):
    municipality = MunicipalityFactory()
    sign_in(client, office_user(municipality.county.office))
    response = client.post(
        reverse("selection:finding_create", args=[municipality.pk]),
        {"date": "2019-04-01", "topic": "Skolemiljø"},
    )
    assert "Kryss av for minst én av avvik i praksis, rutiner eller system." in (
        response.content.decode()
    )
    client.post(
        reverse("selection:finding_create", args=[municipality.pk]),
        {"date": "2019-04-01", "topic": "Skolemiljø", "in_practice": "on"},
    )
    finding = SupervisionFinding.objects.get()
    client.post(
        reverse("selection:finding_update", args=[municipality.pk, finding.pk]),
        {
            "date": "2019-04-01",
            "topic": "Skolemiljø",
            "in_practice": "on",
            "closed": "on",
            "revision": 1,
        },
    )
    finding.refresh_from_db()
    assert finding.closed is True


def test_the_score_page_explains_each_criterion(client, world):
    sign_in(client, world["uploader"])
    response = client.get(reverse("selection:score", args=[world["application"].pk]))
    html = response.content.decode()
    assert "Kan ikke avgjøres" not in html
    assert "Ingen sum ennå" in html
    assert "Embetet har ikke satt karakter for motivasjonen ennå." in html
    assert "1 saker × 1,00 poeng" in html
    assert 'id="kriterium-6"' in html


def test_scoring_a_cohort_from_the_page(client, world):
    other = ApplicationFactory(cohort=world["cohort"])  # another office's
    sign_in(client, world["uploader"])
    url = reverse("selection:cohort_scores", args=[world["cohort"].pk])
    response = client.post(url)
    assert response["Location"] == url
    assert ApplicationScore.objects.filter(application=world["application"]).count() == 2
    assert ApplicationScore.objects.filter(application=other).count() == 0
    response = client.get(url)
    assert [row["application"] for row in response.context["rows"]] == [world["application"]]


def test_grading_from_the_score_page_and_a_stale_form(client, world):
    application = world["application"]
    sign_in(client, world["uploader"])
    url = reverse("selection:grade", args=[application.pk])
    response = client.post(url, {"grade": 5, "comment": "Tydelig", "revision": 0})
    assert response["Location"] == reverse("selection:score", args=[application.pk])
    assert MotivationGrade.objects.get().grade == 5

    response = client.post(url, {"grade": 2, "comment": "Svakere", "revision": 0})
    assert response.status_code == 200
    page = response.content.decode()
    # Once, in the error summary: the form below does not repeat it.
    assert page.count("Du har selv endret karakteren ") == 1
    assert MotivationGrade.objects.get().grade == 5
    # What was typed stays, with the revision saved now: saving again keeps it, on purpose.
    again = form_data(page, reverse("selection:grade", args=[application.pk]))
    assert again == {"grade": "2", "comment": "Svakere", "revision": "1"}
    client.post(url, again)
    assert MotivationGrade.objects.get().grade == 2
    client.post(url, {"grade": 5, "comment": "Tydelig", "revision": 2})

    page = client.get(reverse("selection:score", args=[application.pk])).content.decode()
    assert "Karakteren er endret etter siste beregning." in page
    client.post(reverse("selection:rescore", args=[application.pk]))
    page = client.get(reverse("selection:score", args=[application.pk])).content.decode()
    assert "Karakter 5, satt av" in page


def test_udir_grades_any_application(world):
    grade = grade_motivation(
        application=world["application"],
        grade=3,
        comment="",
        actor=udir_user(),
        expected_revision=0,
    )
    assert grade.revision == 1


@pytest.mark.parametrize("count", [1, 3])
def test_the_cohort_page_takes_the_same_queries_for_more_applications(
    client, django_assert_num_queries, count
):
    office = GovernorOfficeFactory()
    cohort = CohortFactory()
    for _ in range(count):
        application = ApplicationFactory(
            cohort=cohort, municipality__county__office=office, submission_count=1
        )
        score_application(application=application, actor=None)
    sign_in(client, office_user(office))
    client.get(reverse("selection:evidence"))  # warm the session
    with django_assert_num_queries(8):
        client.get(reverse("selection:cohort_scores", args=[cohort.pk]))


@pytest.mark.parametrize("count", [1, 3])
def test_the_evidence_page_takes_the_same_queries_for_more_municipalities(
    client, django_assert_num_queries, count
):
    office = GovernorOfficeFactory()
    for _ in range(count):
        municipality = MunicipalityFactory(county__office=office)
        SupervisionFinding.objects.create(
            municipality=municipality, date=datetime.date(2019, 1, 1), topic="T", in_system=True
        )
    NationalMean.objects.create(school_year=2019, computed_share=Decimal("6.1"))
    sign_in(client, office_user(office))
    client.get(reverse("selection:evidence"))
    # The counts of complaint cases and open findings are one grouped query each.
    with django_assert_num_queries(9):
        response = client.get(reverse("selection:evidence"))
    assert len(re.findall(r"/grunnlag/kommune/\d+/", response.content.decode())) == count


@pytest.mark.parametrize("runs", [1, 3])
def test_the_score_page_takes_the_same_queries_however_many_runs(
    client, django_assert_num_queries, world, runs
):
    for _ in range(runs):
        score_application(application=world["application"], actor=world["uploader"])
    sign_in(client, world["uploader"])
    client.get(reverse("selection:evidence"))
    # One of them loads the questions to the municipality, shown beside the score.
    with django_assert_num_queries(12):
        client.get(reverse("selection:score", args=[world["application"].pk]))
