"""The score page as the office reads it: the result and the grading first, then the points of
each criterion beside its maximum, then the explanations folded under a line each."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from laeringsmiljo.numbers import points
from selection.scoring.engine import score_application
from tests.factories import office_user
from tests.pageforms import form_data
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def _page(client, application):
    return client.get(reverse("selection:score", args=[application.pk])).content.decode()


def _signed_in(client, application):
    sign_in(client, office_user(application.municipality.county.office))


def test_the_result_and_the_grade_come_before_the_table_and_the_explanations(client, case):
    score_application(application=case, actor=None)
    _signed_in(client, case)
    page = _page(client, case)
    positions = [
        page.index('id="vurdering-tittel"'),
        page.index(f'action="{reverse("selection:grade", args=[case.pk])}"'),
        page.index("<caption>Poeng per kriterium."),
        page.index('id="forklaringer-tittel"'),
        page.index('<details class="criterion-explanation'),
        page.index('id="historikk-tittel"'),
    ]
    assert positions == sorted(positions)


def test_each_criterion_shows_its_maximum_beside_its_points(client, case):
    score = score_application(application=case, actor=None)
    _signed_in(client, case)
    page = _page(client, case)
    assert '<th scope="col">Høyst</th>' in page
    snapshot = {criterion["kind"]: criterion for criterion in score.run.criteria}
    rows = re.findall(r"<tr>\s*<td>(\d)</td>(.*?)</tr>", page, re.S)
    assert [int(number) for number, _ in rows] == [1, 2, 3, 4, 5, 6]
    for result in score.results:
        criterion = snapshot[result["kind"]]
        row = dict(rows)[str(criterion["number"])]
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        if criterion["is_gate"]:
            # Verdi, Poeng, Høyst, Vekt, Vektede poeng
            assert cells[1:] == ["oppfylt", "–", "port", "–"]
        else:
            assert cells[1:3] == [
                points(result["points"]),
                points(criterion["parameters"]["max_points"]),
            ]


def test_each_explanation_is_a_disclosure_named_by_its_criterion_and_points(client, case):
    score = score_application(application=case, actor=None)
    _signed_in(client, case)
    page = _page(client, case)
    snapshot = {criterion["kind"]: criterion for criterion in score.run.criteria}
    summaries = re.findall(
        r'<details class="criterion-explanation[^"]*" id="kriterium-(\d)">\s*'
        r'<summary class="[^"]*">(.*?)</summary>',
        page,
    )
    expected = []
    for result in score.results:
        criterion = snapshot[result["kind"]]
        if criterion["is_gate"]:
            said = "oppfylt"
        else:
            said = (
                f"{points(result['points'])} av "
                f"{points(criterion['parameters']['max_points'])} poeng"
            )
        expected.append(
            (str(criterion["number"]), f"{criterion['number']} {criterion['name_nb']}: {said}")
        )
    assert summaries == sorted(expected)
    # The table's names link to them.
    assert page.count('href="#kriterium-') == 6
    # Folded: none open until the reader opens it.
    assert "<details open" not in page


def test_the_summaries_are_in_nynorsk_too(client, case):
    score_application(application=case, actor=None)
    _signed_in(client, case)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = _page(client, case)
    assert '<th scope="col">Høgst</th>' in page
    assert "Slik er kvart kriterium rekna ut" in page
    assert re.search(r'id="kriterium-6">\s*<summary class="[^"]*">6 [^<]*: oppfylt</summary>', page)


def test_a_refused_grade_shows_at_the_form_and_the_summary_links_to_the_field(client, case):
    score_application(application=case, actor=None)
    _signed_in(client, case)
    url = reverse("selection:grade", args=[case.pk])
    data = form_data(_page(client, case), url)
    data["grade"] = ""
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="#id_grade">' in page
    field = page.index('id="id_grade"')
    # The field with its error is in the grading form, before the explanations, and not
    # folded away in a closed disclosure.
    assert page.index(f'action="{url}"') < field < page.index('id="forklaringer-tittel"')
    assert "is-invalid" in page[field - 300 : field + 300]
    assert "<details" not in page[page.index(f'action="{url}"') : field]


@pytest.mark.parametrize("runs", [1, 40])
def test_the_score_page_takes_the_same_queries_for_one_run_or_forty(
    client, django_assert_num_queries, case, runs
):
    for _ in range(runs):
        score_application(application=case, actor=None)
    _signed_in(client, case)
    client.get(reverse("selection:evidence"))
    # As many as before the page was reordered.
    with django_assert_num_queries(11):
        response = client.get(reverse("selection:score", args=[case.pk]))
    assert len(response.context["history"]) == runs
