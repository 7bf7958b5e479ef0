import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from laeringsmiljo.demo import create_practice_cohort
from laeringsmiljo.models import GovernorOffice
from selection.models import ComplaintCaseCount, SupervisionFinding
from selection.scoring.criteria import Kind
from selection.scoring.engine import score_application
from selection.scoring.windows import evidence_window, school_year_of
from tests.factories import GovernorOfficeFactory, OfficeScheduleFactory
from tests.selection.factories import ApplicationSchoolFactory
from tests.selection.factories import SubmittedApplicationFactory as ApplicationFactory

D = datetime.date


def cohort(start, kickoff=None):
    return SimpleNamespace(start_date=start, kickoff_date=kickoff or start)


def test_a_school_year_starts_on_the_first_of_august():
    assert school_year_of(D(2020, 7, 31)) == 2019
    assert school_year_of(D(2020, 8, 1)) == 2020
    assert school_year_of(D(2020, 1, 1)) == 2019


def test_pulje_5_counts_the_school_years_up_to_its_application_deadline():
    window = evidence_window(
        cohort=cohort(D(2020, 9, 1), D(2020, 4, 21)), latest_deadline=D(2020, 2, 14)
    )
    assert (window.last_school_year, window.basis, window.basis_date) == (
        2019,
        "deadline",
        D(2020, 2, 14),
    )
    assert window.school_years(3) == [2017, 2018, 2019]
    assert window.since(4) == D(2016, 8, 1)
    # The school year ends before the start: nothing from August 2020 counts.
    assert window.until == D(2020, 7, 31)


def test_a_cohort_starting_within_the_school_year_counts_up_to_the_day_before_its_start():
    window = evidence_window(
        cohort=cohort(D(2027, 4, 20), D(2027, 2, 9)), latest_deadline=D(2026, 12, 22)
    )
    assert window.school_years(3) == [2024, 2025, 2026]
    assert window.until == D(2027, 4, 19)


@pytest.mark.parametrize(("deadline", "last"), [(D(2020, 7, 31), 2019), (D(2020, 8, 1), 2020)])
def test_the_deadline_decides_the_school_year_on_the_first_of_august(deadline, last):
    window = evidence_window(cohort=cohort(D(2021, 9, 1)), latest_deadline=deadline)
    assert window.last_school_year == last


def test_without_schedules_the_kickoff_sets_the_window():
    window = evidence_window(cohort=cohort(D(2020, 9, 1), D(2020, 4, 21)), latest_deadline=None)
    assert (window.last_school_year, window.basis) == (2019, "kickoff")


def test_no_date_after_the_start_sets_the_window():
    window = evidence_window(cohort=cohort(D(2020, 9, 1), D(2021, 1, 10)), latest_deadline=None)
    assert (window.basis, window.basis_date, window.until) == (
        "start",
        D(2020, 8, 31),
        D(2020, 8, 31),
    )
    assert window.last_school_year == 2020


@pytest.fixture
def practice_application(db):
    """An application in the demo's practice cohort: invitations out, deadline three weeks
    ahead, formal start 140 days from today."""
    GovernorOfficeFactory.create_batch(2)
    practice = create_practice_cohort()
    office = GovernorOffice.objects.first()
    application = ApplicationFactory(cohort=practice, municipality__county__office=office)
    unit = ApplicationSchoolFactory(application=application)
    return application, unit.school


def _explanation(score, kind):
    return next(r for r in score.results if r["kind"] == kind)["explanation"]


def test_this_years_complaint_cases_count_in_the_practice_cohort(practice_application):
    application, school = practice_application
    this_year = school_year_of(timezone.localdate())
    ComplaintCaseCount.objects.create(school=school, school_year=this_year, cases=2)
    ComplaintCaseCount.objects.create(school=school, school_year=this_year - 3, cases=7)
    score = score_application(application=application, actor=None)
    complaints = _explanation(score, Kind.COMPLAINTS)
    assert complaints["years"] == [this_year - 2, this_year - 1, this_year]
    assert complaints["cases"] == 2
    assert complaints["window"]["basis"] == "deadline"


def test_a_finding_dated_from_the_cohorts_start_does_not_count(practice_application):
    application, school = practice_application
    start = application.cohort.start_date
    for topic, date in [
        ("Dagen før oppstart", start - datetime.timedelta(days=1)),
        ("Oppstartsdagen", start),
        ("Etter oppstart", start + datetime.timedelta(days=30)),
    ]:
        SupervisionFinding.objects.create(
            municipality=application.municipality, date=date, topic=topic, in_practice=True
        )
    score = score_application(application=application, actor=None)
    supervision = _explanation(score, Kind.SUPERVISION)
    assert [f["topic"] for f in supervision["counted"]] == ["Dagen før oppstart"]
    assert sorted((f["topic"], f["reason"]) for f in supervision["left_out"]) == [
        ("Etter oppstart", "too_new"),
        ("Oppstartsdagen", "too_new"),
    ]
    assert supervision["until"] == (start - datetime.timedelta(days=1)).isoformat()


def test_the_window_comes_from_the_latest_deadline_of_the_cohorts_offices(db):
    application = ApplicationFactory(
        cohort__kickoff_date=D(2020, 4, 21),
        cohort__start_date=D(2020, 9, 1),
        cohort__end_date=D(2022, 6, 30),
    )
    for deadline in [D(2020, 2, 1), D(2020, 2, 14)]:
        OfficeScheduleFactory(cohort=application.cohort, application_deadline=deadline)
    ApplicationSchoolFactory(application=application)
    score = score_application(application=application, actor=None)
    assert _explanation(score, Kind.COMPLAINTS)["window"] == {
        "last_school_year": 2019,
        "basis": "deadline",
        "basis_date": "2020-02-14",
        "until": "2020-07-31",
    }
