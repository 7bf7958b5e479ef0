"""The bar chart on the cohort's status page: per county the municipalities invited, submitted,
recommended and selected, with the same counts in a table beside it."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from selection.models import Decision, Invitation, Publication, Recommendation
from tests.applications.factories import ApplicationFactory
from tests.factories import (
    CohortFactory,
    CountyFactory,
    GovernorOfficeFactory,
    MunicipalityFactory,
    OfficeScheduleFactory,
    office_user,
    udir_user,
)
from tests.html import tables
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

CAPTION = "Tallene i diagrammet: antall kommuner per fylke i hvert steg"


def _municipality(cohort, county, *, status=None, verdict="", outcome=""):
    """An invited municipality, with an application in the given state."""
    municipality = MunicipalityFactory(county=county)
    Invitation.objects.create(cohort=cohort, municipality=municipality)
    if status is None:
        return municipality
    application = ApplicationFactory(
        cohort=cohort, municipality=municipality, status=status, schedule=False
    )
    if verdict:
        position = Recommendation.objects.filter(application__cohort=cohort).count() + 1
        Recommendation.objects.create(application=application, position=position, verdict=verdict)
    if outcome:
        Decision.objects.create(application=application, outcome=outcome, reason="Begrunnet.")
    return municipality


@pytest.fixture
def cohort():
    """One office with two counties in the cohort, and another office with no schedule."""
    cohort = CohortFactory()
    office = GovernorOfficeFactory()
    OfficeScheduleFactory(cohort=cohort, office=office)
    north = CountyFactory(office=office, number="18", name="Nordland")
    south = CountyFactory(office=office, number="42", name="Agder")
    submitted = Application.Status.SUBMITTED
    _municipality(cohort, north, status=submitted, verdict="anbefalt", outcome="valgt")
    _municipality(cohort, north, status=submitted, verdict="reserve", outcome="reserve")
    _municipality(cohort, north, status=submitted, verdict="anbefalt", outcome="ikke_valgt")
    _municipality(cohort, north)
    _municipality(cohort, south, status=Application.Status.DRAFT)
    _municipality(cohort, south, status=submitted)
    # Another office's county, not in the cohort: not on the page.
    _municipality(cohort, CountyFactory(office=GovernorOfficeFactory(), name="Utenfor"))
    cohort.office = office
    return cohort


def _page(client, cohort, user, language="nb"):
    sign_in(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("selection:overview", args=[cohort.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _table(html, caption=CAPTION):
    captions = [c.strip() for c in re.findall(r"<caption[^>]*>(.*?)</caption>", html, re.S)]
    return tables(html)[captions.index(caption)]


def _bars(html):
    """Per county in the chart: its label and the count written at each bar, with the bar's
    width."""
    svg = re.search(r'<svg class="chart".*?</svg>', html, re.S).group(0)
    groups = []
    for group in re.findall(r'<g class="chart-group">(.*?)\n  </g>', svg, re.S):
        label = re.search(r'class="chart-text chart-end"[^>]*>([^<]+)</text>', group).group(1)
        bars = re.findall(
            r'<rect class="chart-bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"[^>]*/>\s*'
            r'<text class="chart-text chart-value"[^>]*>(\d+)</text>',
            group,
        )
        groups.append((label, [(int(n), float(w)) for w, n in bars]))
    return groups


def _db_counts(cohort, county):
    in_county = {"application__municipality__county": county, "application__cohort": cohort}
    return [
        Invitation.objects.filter(cohort=cohort, municipality__county=county).count(),
        Application.objects.filter(
            cohort=cohort, municipality__county=county, status=Application.Status.SUBMITTED
        ).count(),
        Recommendation.objects.filter(verdict="anbefalt", **in_county).count(),
        Decision.objects.filter(outcome="valgt", **in_county).count(),
    ]


def test_udir_sees_each_countys_counts_in_the_bars_and_the_table(client, cohort):
    html = _page(client, cohort, udir_user())
    north, south = cohort.office.counties.order_by("number")
    expected = {county.name: _db_counts(cohort, county) for county in (north, south)}
    assert expected == {"Nordland": [4, 3, 2, 1], "Agder": [2, 1, 0, 0]}
    assert _table(html) == [
        [["Fylke"], ["Invitert"], ["Sendt inn"], ["Innstilt"], ["Valgt (utkast)"]],
        [["Nordland"], *[[str(n)] for n in expected["Nordland"]]],
        [["Agder"], *[[str(n)] for n in expected["Agder"]]],
    ]
    bars = _bars(html)
    assert [(label, [n for n, _w in counts]) for label, counts in bars] == [
        ("Nordland", expected["Nordland"]),
        ("Agder", expected["Agder"]),
    ]
    # Each bar is as long as its count: four municipalities take the whole scale of four.
    widths = {n: w for _label, counts in bars for n, w in counts}
    assert widths[0] == 0
    assert widths[2] == pytest.approx(widths[4] / 2, abs=0.1)
    assert widths[1] == pytest.approx(widths[4] / 4, abs=0.1)
    assert 'aria-labelledby="fylke-diagram-tittel fylke-diagram-beskrivelse"' in html
    assert "Utenfor" not in html


def test_the_office_sees_no_selected_before_publication(client, cohort):
    html = _page(client, cohort, office_user(cohort.office))
    assert _table(html)[0] == [["Fylke"], ["Invitert"], ["Sendt inn"], ["Innstilt"]]
    assert [len(counts) for _label, counts in _bars(html)] == [3, 3]
    assert "Hvor mange som er valgt, vises når Udir har publisert utvalget." in html

    Publication.objects.create(cohort=cohort, published_by=udir_user())
    html = _page(client, cohort, office_user(cohort.office))
    assert _table(html)[1] == [["Nordland"], ["4"], ["3"], ["2"], ["1"]]


def test_the_chart_and_its_table_in_nynorsk(client, cohort):
    html = _page(client, cohort, udir_user(), "nn")
    assert _table(html, "Tala i diagrammet: talet på kommunar per fylke i kvart steg")[0] == [
        ["Fylke"],
        ["Invitert"],
        ["Sendt inn"],
        ["Innstilt"],
        ["Valt (utkast)"],
    ]
    assert "Kommunar per fylke: invitert, sendt inn, innstilt og valt" in html


def _cohort_with(count):
    cohort = CohortFactory()
    office = GovernorOfficeFactory()
    OfficeScheduleFactory(cohort=cohort, office=office)
    counties = [CountyFactory(office=office) for _ in range(min(count, 4))]
    for index in range(count):
        _municipality(
            cohort,
            counties[index % len(counties)],
            status=Application.Status.SUBMITTED,
            verdict="anbefalt",
            outcome="valgt",
        )
    return cohort


def test_the_page_takes_as_many_queries_for_forty_municipalities_as_for_one(
    client, django_assert_num_queries
):
    sign_in(client, udir_user())
    one, forty = _cohort_with(1), _cohort_with(40)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("selection:overview", args=[one.pk])).status_code == 200
    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("selection:overview", args=[forty.pk]))
    assert len(_table(response.content.decode())) == 5
