"""The line chart on a municipality's evidence page: its schools together against the national
figure per school year, with the same figures in a table beside it; a year where every figure
is suppressed is a gap in the line and «skjermet» in the table, never a zero."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import ApplicationSchool
from selection.models import NationalMean
from tests.applications.factories import ApplicationFactory
from tests.factories import MunicipalityFactory, SchoolFactory, office_user
from tests.html import tables
from tests.selection.factories import figure
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

CAPTION = "Tallene i diagrammet: andel mobbet (%) per skoleår"


def _page(client, municipality, language="nb"):
    sign_in(client, office_user(municipality.county.office))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("selection:municipality_evidence", args=[municipality.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _chart_table(html, caption=CAPTION):
    """The rows of the table whose caption is the given one (tests.html leaves captions out)."""
    captions = re.findall(r"<caption[^>]*>(.*?)</caption>", html, re.S)
    return tables(html)[[c.strip() for c in captions].index(caption)]


def _svg(html):
    return re.search(r'<svg class="chart".*?</svg>', html, re.S).group(0)


def _series(svg, number):
    return re.search(
        rf'<g class="chart-lines chart-series-{number}[^"]*">(.*?)</g>', svg, re.S
    ).group(1)


@pytest.fixture
def municipality():
    """Two schools over four school years: 2021-22 suppressed at both, one school with figures
    per grade only in 2022-23; the national figure published in two years, computed in one and
    missing in one."""
    municipality = MunicipalityFactory()
    first = SchoolFactory(municipality=municipality, name="Askeladden skole")
    second = SchoolFactory(municipality=municipality, name="Bakkebygrenda skole")
    figure(first, 2020, Decimal("10.0"), 100)
    figure(second, 2020, Decimal("20.0"), 100)
    figure(first, 2021, "*", None)
    figure(second, 2021, None, None)
    figure(first, 2022, Decimal("12.0"), 50)
    figure(second, 2022, Decimal("9.0"), 20, grade="5")
    figure(second, 2022, Decimal("11.0"), 30, grade="6")
    figure(first, 2023, Decimal("14.0"), 50)
    figure(second, 2023, Decimal("8.0"), 150)
    NationalMean.objects.create(
        school_year=2020,
        computed_share=Decimal("11.00"),
        published_share=Decimal("12.3"),
        published_source="Udir",
    )
    NationalMean.objects.create(school_year=2021, computed_share=Decimal("13.25"))
    NationalMean.objects.create(
        school_year=2023, published_share=Decimal("10.0"), published_source="Udir"
    )
    return municipality


def test_the_table_beside_the_chart_has_the_figures_of_the_database(client, municipality):
    rows = _chart_table(_page(client, municipality))
    assert rows == [
        [["Skoleår"], ["Kommunens skoler"], ["Landstall"], ["Landstallet er"]],
        # (10,0 × 100 + 20,0 × 100) / 200
        [["2020-21"], ["15,00"], ["12,30"], ["publisert av Udir"]],
        [["2021-22"], ["skjermet"], ["13,25"], ["foreløpig, beregnet"]],
        # (12,0 × 50 + 9,0 × 20 + 11,0 × 30) / 100: the grades count where there is no total
        [["2022-23"], ["11,10"], ["–"], ["–"]],
        # (14,0 × 50 + 8,0 × 150) / 200
        [["2023-24"], ["9,50"], ["10,00"], ["publisert av Udir"]],
    ]


def test_with_an_application_the_chart_takes_its_schools_as_criterion_1_does(client, municipality):
    application = ApplicationFactory(municipality=municipality)
    ApplicationSchool.objects.create(
        application=application,
        school=municipality.schools.get(name="Bakkebygrenda skole"),
        leader_name="Rita Rektor",
        leader_role="Rektor",
        leader_email="rita@skole.example",
    )
    html = _page(client, municipality)
    assert f"Skolene i søknaden til {application.cohort.name} mot landstallet" in html
    assert _chart_table(html) == [
        [["Skoleår"], ["Skolene i søknaden"], ["Landstall"], ["Landstallet er"]],
        [["2020-21"], ["20,00"], ["12,30"], ["publisert av Udir"]],
        [["2021-22"], ["skjermet"], ["13,25"], ["foreløpig, beregnet"]],
        # (9,0 × 20 + 11,0 × 30) / 50
        [["2022-23"], ["10,20"], ["–"], ["–"]],
        [["2023-24"], ["8,00"], ["10,00"], ["publisert av Udir"]],
    ]
    assert "Andel mobbet per skoleår: skolene i søknaden mot landstallet" in _svg(html)


def test_a_year_where_some_schools_are_suppressed_says_so(client, municipality):
    third = SchoolFactory(municipality=municipality, name="Cirkus skole")
    figure(third, 2023, "*", None)
    rows = _chart_table(_page(client, municipality))
    assert rows[-1] == [
        ["2023-24"],
        ["9,50", "(delvis skjermet)"],
        ["10,00"],
        ["publisert av Udir"],
    ]


def test_a_suppressed_year_is_a_gap_in_the_line_not_a_zero(client, municipality):
    svg = _svg(_page(client, municipality))
    schools = _series(svg, 1)
    # 2020-21 stands alone; 2022-23 and 2023-24 are joined: no path goes through 2021-22.
    paths = re.findall(r'<path class="chart-line" d="([^"]+)"', schools)
    assert len(paths) == 1
    assert paths[0].count("L") == 1
    points = [(float(x), float(y)) for x, y in re.findall(r'cx="([\d.]+)" cy="([\d.]+)"', schools)]
    assert len(points) == 3
    bottom = float(re.search(r'<line x1="56" y1="[\d.]+" x2="56" y2="([\d.]+)"', svg).group(1))
    assert all(y < bottom for _x, y in points)
    # The ticks run 0, 5, 10, 15; each point sits at its value.
    ticks = re.findall(
        r'<text class="chart-text chart-end" x="50" y="([\d.]+)" dy="4">(\d+)</text>', svg
    )
    assert [label for _y, label in ticks] == ["0", "5", "10", "15"]
    top = float(ticks[-1][0])

    def value(y):
        return round((bottom - y) / (bottom - top) * 15, 1)

    assert [value(y) for _x, y in points] == [15.0, 11.1, 9.5]
    # The year with no point says why under its label.
    assert re.search(r'class="chart-text chart-note chart-middle"[^>]*>skjermet</text>', svg)
    # The national line breaks where there is no national figure (2022-23).
    national = _series(svg, 2)
    assert len(re.findall(r"<path ", national)) == 1
    assert len(re.findall(r"<rect ", national)) == 3


def test_the_chart_is_an_image_named_by_its_title_and_description(client, municipality):
    svg = _svg(_page(client, municipality))
    assert 'role="img"' in svg
    assert 'aria-labelledby="mobbing-diagram-tittel mobbing-diagram-beskrivelse"' in svg
    assert (
        '<title id="mobbing-diagram-tittel">Andel mobbet per skoleår: kommunens skoler mot '
        "landstallet</title>"
    ) in svg
    assert "skoleårene 2020-21 til 2023-24" in svg
    # Nothing the Content-Security-Policy blocks, and no number written with a comma.
    assert "style" not in svg
    assert not re.search(r'(?:x|y|cx|cy|d|width|height)="[^"]*\d,\d', svg)


def test_the_chart_and_its_table_in_nynorsk(client, municipality):
    html = _page(client, municipality, "nn")
    rows = _chart_table(html, "Tala i diagrammet: del mobba (%) per skuleår")
    assert rows[0] == [["Skuleår"], ["Skulane i kommunen"], ["Landstal"], ["Landstalet er"]]
    assert rows[2] == [["2021-22"], ["skjerma"], ["13,25"], ["førebels, rekna ut"]]
    svg = _svg(html)
    assert "Del mobba per skuleår: skulane i kommunen mot landstalet" in svg
    assert ">skjerma</text>" in svg


def test_no_chart_without_figures(client):
    municipality = MunicipalityFactory()
    SchoolFactory(municipality=municipality)
    html = _page(client, municipality)
    assert '<svg class="chart"' not in html
    assert CAPTION not in html


def _schools_with_figures(count):
    municipality = MunicipalityFactory()
    for index in range(count):
        school = SchoolFactory(municipality=municipality)
        for year in range(2020, 2024):
            figure(school, year, Decimal(index % 20), 40 + index)
    for year in range(2020, 2024):
        NationalMean.objects.get_or_create(school_year=year, computed_share=Decimal("10.00"))
    return municipality


def test_the_page_takes_as_many_queries_for_forty_schools_as_for_one(
    client, django_assert_num_queries
):
    one, forty = _schools_with_figures(1), _schools_with_figures(40)
    sign_in(client, office_user(one.county.office))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("selection:municipality_evidence", args=[one.pk]))
    sign_in(client, office_user(forty.county.office))
    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("selection:municipality_evidence", args=[forty.pk]))
    assert len(_chart_table(response.content.decode())) == 5
