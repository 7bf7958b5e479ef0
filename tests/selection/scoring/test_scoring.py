import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import translation

from applications.models import Application, Commitment
from laeringsmiljo.models import AuditEvent
from selection.models import (
    ApplicationScore,
    ComplaintCaseCount,
    Criterion,
    MotivationGrade,
    NationalMean,
    ScoringRun,
    SupervisionFinding,
    SurveyFigure,
)
from selection.scoring.criteria import Kind
from selection.scoring.engine import CriterionOutcome as Outcome
from selection.scoring.engine import latest_scores, score_application, score_cohort
from selection.scoring.presentation import score_view
from tests.factories import (
    CohortFactory,
    GovernorOfficeFactory,
    MunicipalityFactory,
    udir_user,
)
from tests.selection.conftest import PUBLISHED_SOURCE
from tests.selection.factories import (
    ApplicationKindergartenFactory,
    ApplicationSchoolFactory,
    figure,
)
from tests.selection.factories import (
    SubmittedApplicationFactory as ApplicationFactory,
)

pytestmark = pytest.mark.django_db


def results(score):
    return {
        r["kind"]: (r["outcome"], r["raw_value"], r["points"], r["weighted_points"])
        for r in score.results
    }


def test_every_criterion_is_computed_as_by_hand(case):
    score = score_application(application=case, actor=udir_user())
    assert results(score) == {
        # (1.00 + 4.00 − 2.00) / 3 = 1.00 pp; × 2 = 2.00; × weight 3
        Kind.BULLYING: (Outcome.SCORED, "1.00", "2.00", "6.00"),
        # 5 cases × 1 + 1 long-running × 1 = 6; × weight 2
        Kind.COMPLAINTS: (Outcome.SCORED, "5", "6.00", "12.00"),
        # (3 practice + 2 system) + 2 routines = 7; × weight 2
        Kind.SUPERVISION: (Outcome.SCORED, "2", "7.00", "14.00"),
        # (4 − 1) / (6 − 1) × 10 = 6; × weight 2
        Kind.MOTIVATION: (Outcome.SCORED, "4", "6.00", "12.00"),
        # 2 of 3 feed a school: 2/3 × 8 = 5.33…; + 2 with challenges × 1 = 7.33; × weight 1
        Kind.KINDERGARTENS: (Outcome.SCORED, "66.67", "7.33", "7.33"),
        Kind.PARTICIPATION: (Outcome.PASSED, "0", "10.00", None),
    }
    assert (score.total, score.partial_total, score.eligible) == (
        Decimal("51.33"),
        Decimal("51.33"),
        True,
    )


def test_criterion_1_explains_schools_years_values_and_suppressed_cells(case):
    score = score_application(application=case, actor=None)
    explanation = next(r for r in score.results if r["kind"] == Kind.BULLYING)["explanation"]
    assert explanation["years"] == [2017, 2018, 2019]
    assert explanation["reference_year"] == 2019
    assert explanation["provisional"] == []
    assert explanation["yearly"] == [
        {
            "year": 2017,
            "national": "6.0",
            "national_published": True,
            "national_source": PUBLISHED_SOURCE,
            "share": "4.00",
            "respondents": 100,
            "difference": "-2.00",
        },
        {
            "year": 2018,
            "national": "5.5",
            "national_published": True,
            "national_source": PUBLISHED_SOURCE,
            "share": "9.50",
            "respondents": 100,
            "difference": "4.00",
        },
        {
            "year": 2019,
            "national": "6.5",
            "national_published": True,
            "national_source": PUBLISHED_SOURCE,
            "share": "7.50",
            "respondents": 400,
            "difference": "1.00",
        },
    ]
    a_school = explanation["schools"][0]
    assert a_school["name"] == "A skole"
    assert a_school["years"] == [
        {"year": 2017, "suppressed": [{"grade": "", "symbol": "*"}]},
        {"year": 2018, "suppressed": [], "share": "9.50", "respondents": 100, "rows": 2},
        {"year": 2019, "suppressed": [], "share": "9.00", "respondents": 100, "rows": 1},
    ]


def test_criterion_3_lists_what_it_left_out_and_why(case):
    score = score_application(application=case, actor=None)
    explanation = next(r for r in score.results if r["kind"] == Kind.SUPERVISION)["explanation"]
    assert [(f["topic"], f["points"]) for f in explanation["counted"]] == [
        ("Skolemiljø", "5.00"),
        ("Rutiner", "2.00"),
    ]
    assert sorted((f["topic"], f["reason"]) for f in explanation["left_out"]) == [
        ("Annen skole", "other_school"),
        ("Gammelt", "too_old"),
        ("Lukket", "closed"),
    ]


def test_a_year_without_a_national_mean_is_left_out(case):
    NationalMean.objects.filter(school_year=2018).delete()
    score = score_application(application=case, actor=None)
    # (1.00 − 2.00) / 2 = −0.50: below the mean gives no points
    assert results(score)[Kind.BULLYING] == (Outcome.SCORED, "-0.50", "0.00", "0.00")


def test_no_usable_survey_figures_give_zero_points_and_say_so(case):
    SurveyFigure.objects.all().delete()
    score = score_application(application=case, actor=None)
    bullying = next(r for r in score.results if r["kind"] == Kind.BULLYING)
    assert (bullying["raw_value"], bullying["points"]) == (None, "0.00")
    assert bullying["explanation"]["no_data"] is True


def test_points_are_capped_at_the_criterion_maximum(case):
    ComplaintCaseCount.objects.create(
        school=case.schools.first().school, school_year=2017, cases=9, long_running=9
    )
    score = score_application(application=case, actor=None)
    complaints = next(r for r in score.results if r["kind"] == Kind.COMPLAINTS)
    assert (complaints["raw_value"], complaints["points"]) == ("14", "10.00")
    assert complaints["explanation"]["uncapped"] == "24.00"
    assert complaints["explanation"]["capped"] is True


def test_without_the_offices_grade_motivation_is_missing_not_zero(case):
    MotivationGrade.objects.all().delete()
    score = score_application(application=case, actor=None)
    assert results(score)[Kind.MOTIVATION] == (Outcome.MISSING, None, None, None)
    assert (score.total, score.partial_total, score.eligible) == (
        None,
        Decimal("39.33"),
        True,
    )


def test_failing_the_participation_gate_leaves_no_total_and_gives_the_reasons(case):
    # The school owner and the leader of A skole have been asked and not answered yet.
    unit = case.schools.first()
    Commitment.objects.filter(application=case, kind__in=["skoleeier", "skole"]).filter(
        Q(school=None) | Q(school=unit)
    ).update(answer="", answered_at=None)
    score = score_application(application=Application.objects.get(pk=case.pk), actor=None)
    assert results(score)[Kind.PARTICIPATION] == (Outcome.FAILED, "2", "0.00", None)
    assert (score.total, score.eligible) == (None, False)
    with translation.override("nb"):
        assert score_view(score)["reasons"] == [
            "Skoleeier (kommunen) har ikke bekreftet deltakelse ennå.",
            "Lederen ved A skole har ikke bekreftet deltakelse ennå.",
        ]


def test_participation_as_a_weighted_criterion_gives_points(case):
    Criterion.objects.filter(kind=Kind.PARTICIPATION).update(is_gate=False, weight=2)
    score = score_application(application=case, actor=None)
    assert results(score)[Kind.PARTICIPATION] == (Outcome.SCORED, "0", "10.00", "20.00")
    assert score.total == Decimal("71.33")


def test_an_inactive_criterion_is_not_scored(case):
    Criterion.objects.filter(kind=Kind.KINDERGARTENS).update(active=False)
    score = score_application(application=case, actor=None)
    assert Kind.KINDERGARTENS not in results(score)
    assert score.total == Decimal("44.00")


def test_a_stored_score_keeps_the_criteria_as_they_were(case):
    first = score_application(application=case, actor=None)
    criterion = Criterion.objects.get(kind=Kind.BULLYING)
    criterion.weight = Decimal(5)
    criterion.save()

    first.refresh_from_db()
    assert results(first)[Kind.BULLYING] == (Outcome.SCORED, "1.00", "2.00", "6.00")
    assert first.total == Decimal("51.33")
    assert next(c for c in first.run.criteria if c["kind"] == Kind.BULLYING)["weight"] == "3.00"

    second = score_application(application=case, actor=None)
    assert results(second)[Kind.BULLYING] == (Outcome.SCORED, "1.00", "2.00", "10.00")
    assert second.total == Decimal("55.33")
    assert ApplicationScore.objects.filter(application=case).count() == 2
    assert latest_scores([case]) == {case.pk: second}


def test_the_latest_score_is_found_by_its_mark_in_one_plain_query_however_many_runs(case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    runs = [score_application(application=case, actor=None) for _ in range(4)]
    other = score_cohort(cohort=case.cohort, actor=None).scores.get()
    assert list(
        ApplicationScore.objects.filter(application=case, is_latest=True).values_list(
            "pk", flat=True
        )
    ) == [other.pk]
    assert runs[-1].pk != other.pk

    with CaptureQueriesContext(connection) as queries:
        found = latest_scores([case])
    assert found == {case.pk: other}
    [query] = queries.captured_queries
    assert query["sql"].count("SELECT") == 1  # no correlated subquery over earlier runs
    assert "is_latest" in query["sql"]


def test_without_results_the_latest_scores_leave_the_criteria_results_in_the_database(case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    score_application(application=case, actor=None)
    with CaptureQueriesContext(connection) as queries:
        found = latest_scores([case], with_results=False)[case.pk]
        total = found.total
    [query] = queries.captured_queries
    assert '"results"' not in query["sql"] and '"criteria"' not in query["sql"]
    assert total == Decimal("51.33")


def test_scoring_writes_an_audit_event(case):
    user = udir_user()
    score = score_application(application=case, actor=user)
    event = AuditEvent.objects.get(action="scoring.run")
    assert (event.actor, event.object_id) == (user, str(score.run.pk))
    assert event.after["applications"] == 1


def _application_with_evidence(cohort, municipality=None):
    application = ApplicationFactory(
        cohort=cohort, municipality=municipality or MunicipalityFactory()
    )
    units = [ApplicationSchoolFactory(application=application) for _ in range(2)]
    for unit in units:
        figure(unit.school, 2019, Decimal("7.0"), 50)
        figure(unit.school, 2018, "*", None)
        ComplaintCaseCount.objects.create(
            school=unit.school, school_year=2019, cases=1, long_running=0
        )
    ApplicationKindergartenFactory(application=application, feeds=[units[0]])
    SupervisionFinding.objects.create(
        municipality=application.municipality,
        date=datetime.date(2019, 1, 1),
        topic="Skolemiljø",
        in_practice=True,
    )
    MotivationGrade.objects.create(application=application, grade=3)
    return application


@pytest.mark.parametrize("count", [2, 20])
def test_scoring_a_cohort_takes_the_same_number_of_queries(django_assert_num_queries, count):
    cohort = CohortFactory(start_date=datetime.date(2020, 9, 1))
    NationalMean.objects.create(school_year=2019, published_share=Decimal("6.0"))
    for _ in range(count):
        _application_with_evidence(cohort)
    user = udir_user()
    ContentType.objects.clear_cache()  # so that every run looks its content type up once
    # Two of them lock the applications and move the latest mark from their earlier scores.
    with django_assert_num_queries(20):
        run = score_cohort(cohort=cohort, actor=user)
    assert run.application_count == count
    assert {s.total for s in run.scores.all()} == {Decimal("32.00")}


def test_scoring_a_cohort_takes_only_submitted_applications_of_the_offices_counties():
    cohort = CohortFactory(start_date=datetime.date(2020, 9, 1))
    office = GovernorOfficeFactory()
    mine = ApplicationFactory(cohort=cohort, municipality__county__office=office)
    ApplicationFactory(cohort=cohort, municipality__county__office=office, status="utkast")
    ApplicationFactory(cohort=cohort)  # another office's county
    ApplicationFactory(municipality__county__office=office)  # another cohort
    run = score_cohort(cohort=cohort, actor=None, office_ids={office.pk})
    assert list(run.scores.values_list("application", flat=True)) == [mine.pk]
    assert ScoringRun.objects.get().scope == ScoringRun.Scope.COHORT


@pytest.mark.parametrize("count", [1, 40])
def test_the_cohort_scores_page_takes_the_same_queries_for_one_or_many_rescored_applications(
    client, count, django_assert_num_queries
):
    from django.urls import reverse

    from tests.selection.process.helpers import submitted_applications
    from tests.signin import sign_in

    applications = submitted_applications(count)
    cohort = applications[0].cohort
    for _ in range(3):  # earlier runs do not count
        score_cohort(cohort=cohort, actor=None)
    sign_in(client, udir_user())
    url = reverse("selection:cohort_scores", args=[cohort.pk])
    client.get(url)
    with django_assert_num_queries(COHORT_SCORES_QUERIES):
        page = client.get(url)
    assert len(page.context["rows"]) == count
    assert all(row["score"].is_latest for row in page.context["rows"])


COHORT_SCORES_QUERIES = 8


def test_the_cohort_scores_page_shows_a_page_of_applications_at_a_time(client):
    from django.urls import reverse

    from selection.scoring.queries import SCORES_PAGE_SIZE
    from tests.signin import sign_in

    first = ApplicationFactory()
    for _ in range(SCORES_PAGE_SIZE):
        ApplicationFactory(
            cohort=first.cohort,
            municipality__county=first.municipality.county,
            schedule=False,
        )
    sign_in(client, udir_user())
    url = reverse("selection:cohort_scores", args=[first.cohort.pk])
    # A draft never sent in is the municipality's own: make them all sent once.
    Application.objects.update(submission_count=1)
    page = client.get(url)
    assert len(page.context["rows"]) == SCORES_PAGE_SIZE
    html = " ".join(page.content.decode().split())
    assert f"viser 1–{SCORES_PAGE_SIZE} av {SCORES_PAGE_SIZE + 1}" in html
    assert '<a class="page-link" href="?side=2">Neste side</a>' in html
    assert len(client.get(url, {"side": 2}).context["rows"]) == 1
