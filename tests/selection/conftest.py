"""Fixtures for the selection tests: bokmål by default, and a small application whose every
criterion the tests work out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from selection.models import (
    ComplaintCaseCount,
    MotivationGrade,
    NationalMean,
    SupervisionFinding,
)
from tests.factories import CohortFactory, SchoolFactory
from tests.selection.factories import (
    ApplicationKindergartenFactory,
    ApplicationSchoolFactory,
    figure,
)
from tests.selection.factories import (
    SubmittedApplicationFactory as ApplicationFactory,
)

PUBLISHED_SOURCE = "Udir, Elevundersøkelsen: mobbing på skolen"


@pytest.fixture(autouse=True)
def _bokmaal():
    """Services speak the active language: start each test in bokmål, and leave no other
    language behind (a request in nynorsk activates it for the rest of the thread)."""
    translation.activate("nb")
    yield
    translation.deactivate()


@pytest.fixture
def case():
    """A small application whose every criterion is worked out by hand in the tests."""
    cohort = CohortFactory(
        start_date=datetime.date(2020, 9, 1),
        kickoff_date=datetime.date(2020, 4, 21),
        end_date=datetime.date(2022, 6, 30),
    )
    # Sent in once, so that its office sees it (applications.access).
    application = ApplicationFactory(cohort=cohort, submission_count=1)
    municipality = application.municipality
    s1 = ApplicationSchoolFactory(application=application, school__name="A skole")
    s2 = ApplicationSchoolFactory(application=application, school__name="B skole")
    other = SchoolFactory(municipality=municipality, name="C skole")

    for year, share in [(2017, "6.0"), (2018, "5.5"), (2019, "6.5"), (2020, "1.0")]:
        NationalMean.objects.create(
            school_year=year, published_share=Decimal(share), published_source=PUBLISHED_SOURCE
        )

    figure(s1.school, 2019, Decimal("9.0"), 100)
    figure(s1.school, 2018, Decimal("8.0"), 50, grade="7")
    figure(s1.school, 2018, Decimal("11.0"), 50, grade="10")
    figure(s1.school, 2017, "*", None)
    figure(s1.school, 2016, Decimal("20.0"), 100)
    figure(s2.school, 2019, Decimal("7.0"), 300)
    figure(s2.school, 2019, Decimal("50.0"), 10, grade="7")  # the all-grades row wins
    figure(s2.school, 2018, ":", None)
    figure(s2.school, 2017, Decimal("4.0"), 100)
    figure(other, 2019, Decimal("30.0"), 100)

    ComplaintCaseCount.objects.create(school=s1.school, school_year=2019, cases=2, long_running=1)
    ComplaintCaseCount.objects.create(school=s2.school, school_year=2018, cases=3, long_running=0)
    ComplaintCaseCount.objects.create(school=s1.school, school_year=2016, cases=5, long_running=5)
    ComplaintCaseCount.objects.create(school=other, school_year=2019, cases=4, long_running=0)

    def finding(topic, date, school=None, **flags):
        return SupervisionFinding.objects.create(
            municipality=municipality, school=school, topic=topic, date=date, **flags
        )

    finding("Skolemiljø", datetime.date(2019, 3, 1), in_practice=True, in_system=True)
    finding("Rutiner", datetime.date(2018, 10, 1), s1.school, in_routines=True)
    finding("Annen skole", datetime.date(2019, 3, 1), other, in_practice=True)
    finding("Lukket", datetime.date(2019, 5, 1), in_practice=True, closed=True)
    finding("Gammelt", datetime.date(2015, 5, 5), in_practice=True)

    ApplicationKindergartenFactory(application=application, feeds=[s1])
    ApplicationKindergartenFactory(application=application, challenges="Mange nye barn")
    ApplicationKindergartenFactory(application=application, feeds=[s2], challenges="Språk")

    MotivationGrade.objects.create(application=application, grade=4)
    return application
