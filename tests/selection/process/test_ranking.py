import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Commitment
from laeringsmiljo.models import AuditEvent
from selection.models import MotivationGrade, OfficeReview, Recommendation
from selection.process import decisions
from selection.process.errors import DecisionError
from selection.scoring.engine import score_cohort
from tests.factories import GovernorOfficeFactory, municipality_user, office_user, udir_user
from tests.pageforms import form_data
from tests.selection.process.helpers import submitted_applications
from tests.signin import sign_in


def _url(name, application, *extra):
    return reverse(
        name, args=[application.cohort.pk, application.municipality.county.office.pk, *extra]
    )


def _open(client, application, name):
    """The values of one of the ranking page's forms for the application, as the page has them
    now (name: selection:move or selection:recommend)."""
    page = client.get(_url("selection:ranking", application)).content.decode()
    return form_data(page, _url(name, application, application.pk))


def test_the_default_order_is_by_total_score(db):
    applications = submitted_applications(3)
    rows = decisions.ranking(
        cohort=applications[0].cohort, office_ids=[applications[0].municipality.county.office_id]
    )
    totals = [row.score.total for row in rows]
    assert totals == sorted(totals, reverse=True)
    assert [row.position for row in rows] == [1, 2, 3]


def test_a_manual_move_needs_a_reason_and_is_kept(client, db):
    applications = submitted_applications(2)
    office = applications[0].municipality.county.office
    sign_in(client, office_user(office))
    rows = decisions.ranking(cohort=applications[0].cohort, office_ids=[office.pk])
    second = rows[1].application
    page = _open(client, second, "selection:move")
    assert page == {
        "position": "2",
        "above": str(rows[0].application.pk),
        "below": "",
        "reason": "",
    }
    refused = client.post(
        _url("selection:move", second, second.pk),
        {**page, "direction": "opp", "reason": ""},
        follow=True,
    )
    assert "Skriv hvorfor søknaden flyttes." in refused.content.decode()
    client.post(
        _url("selection:move", second, second.pk),
        {**page, "direction": "opp", "reason": "Større behov."},
    )
    rows = decisions.ranking(cohort=second.cohort, office_ids=[office.pk])
    assert rows[0].application == second
    assert rows[0].moved and rows[0].recommendation.moved_reason == "Større behov."
    assert AuditEvent.objects.filter(action="ranking.moved").count() == 1


def test_a_refused_move_keeps_its_reason_for_the_page_once(client, db):
    applications = submitted_applications(2)
    office = applications[0].municipality.county.office
    sign_in(client, office_user(office))
    first = decisions.ranking(cohort=applications[0].cohort, office_ids=[office.pk])[0].application
    refused = client.post(
        _url("selection:move", first, first.pk),
        {
            **_open(client, first, "selection:move"),
            "direction": "opp",
            "reason": "Sterkest behov av alle.",
        },
        follow=True,
    )
    page = refused.content.decode()
    assert "Søknaden kan ikke flyttes lenger i den retningen." in page
    assert '<details class="mt-1" open>' in page
    assert f'id="flytt-{first.pk}" rows="2">Sterkest behov av alle.</textarea>' in page
    # Only once: the page shown afresh has an empty form again.
    again = client.get(_url("selection:ranking", first)).content.decode()
    assert "Sterkest behov av alle." not in again


def test_a_refused_recommendation_keeps_the_chosen_verdict_and_the_text(client, db):
    applications = submitted_applications(2)
    office = applications[0].municipality.county.office
    sign_in(client, office_user(office))
    first = applications[0]
    client.post(
        _url("selection:recommend", first, first.pk),
        {"verdict": "reserve", "justification": "Sterk.", "revision": 0},
    )
    refused = client.post(
        _url("selection:recommend", first, first.pk),
        {"verdict": "anbefalt", "justification": "Likevel innstilt.", "revision": 0},
        follow=True,
    )
    page = refused.content.decode()
    assert f"Du har selv endret innstillingen for {first.municipality.name} " in page
    assert '<option value="anbefalt" selected>' in page
    assert '<option value="reserve" selected>' not in page
    assert f'id="begrunnelse-{first.pk}" rows="2">Likevel innstilt.</textarea>' in page
    assert Recommendation.objects.get(application=first).verdict == "reserve"


def test_a_refused_sending_keeps_the_justification(client, db):
    applications = submitted_applications(2)
    cohort, office = applications[0].cohort, applications[0].municipality.county.office
    decisions.recommend(
        application=applications[0], verdict="anbefalt", justification="Ok.", actor=None
    )
    sign_in(client, office_user(office))
    refused = client.post(
        reverse("selection:send", args=[cohort.pk, office.pk]),
        {"justification": "Vi innstiller den første; den andre er reserve."},
        follow=True,
    )
    page = refused.content.decode()
    assert "Innstillingen kan ikke sendes ennå" in page
    assert ">Vi innstiller den første; den andre er reserve.</textarea>" in page
    assert not OfficeReview.objects.get(cohort=cohort, office=office).is_sent


def test_a_not_eligible_application_cannot_be_recommended(db):
    applications = submitted_applications(1)
    application = applications[0]
    # The school owner was asked and declined.
    Commitment.objects.filter(application=application, kind="skoleeier").update(answer="avslatt")
    score_cohort(cohort=application.cohort, actor=None)
    with pytest.raises(DecisionError, match="kan ikke innstilles"):
        decisions.recommend(
            application=application, verdict="anbefalt", justification="x", actor=None
        )
    with pytest.raises(DecisionError, match="kan ikke innstilles"):
        decisions.recommend(
            application=application, verdict="reserve", justification="x", actor=None
        )
    decisions.recommend(
        application=application,
        verdict="ikke_anbefalt",
        justification="Mangler forpliktelse.",
        actor=None,
    )
    assert Recommendation.objects.get(application=application).verdict == "ikke_anbefalt"


def test_sending_with_an_ungraded_application_is_refused(db):
    applications = submitted_applications(2)
    MotivationGrade.objects.filter(application=applications[1]).delete()
    cohort, office = applications[0].cohort, applications[0].municipality.county.office
    for application in applications:
        decisions.recommend(
            application=application, verdict="anbefalt", justification="Ok.", actor=None
        )
    with pytest.raises(DecisionError) as excinfo:
        decisions.send_to_udir(cohort=cohort, office=office, justification="Samlet.", actor=None)
    assert (
        f"{applications[1].municipality.name} mangler karakter for motivasjon."
        in excinfo.value.messages[0]
    )
    assert not OfficeReview.objects.get(cohort=cohort, office=office).is_sent


def test_sending_locks_and_only_udir_unlocks(client, db):
    applications = submitted_applications(2)
    cohort, office = applications[0].cohort, applications[0].municipality.county.office
    for application in applications:
        decisions.recommend(
            application=application, verdict="anbefalt", justification="Ok.", actor=None
        )
    officer = office_user(office)
    sign_in(client, officer)
    response = client.post(
        reverse("selection:send", args=[cohort.pk, office.pk]),
        {"justification": "Vi innstiller begge."},
    )
    assert response.status_code == 302
    review = OfficeReview.objects.get(cohort=cohort, office=office)
    assert review.is_sent and review.sent_by == officer
    with pytest.raises(DecisionError, match="låst"):
        decisions.recommend(
            application=applications[0], verdict="reserve", justification="x", actor=officer
        )
    assert client.post(reverse("selection:unlock", args=[cohort.pk, office.pk])).status_code == 403
    sign_in(client, udir_user())
    client.post(reverse("selection:unlock", args=[cohort.pk, office.pk]))
    assert not OfficeReview.objects.get(cohort=cohort, office=office).is_sent
    assert (
        AuditEvent.objects.filter(
            action__in=["recommendation.sent", "recommendation.unlocked"]
        ).count()
        == 2
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("office", 200), ("other_office", 404), ("udir", 200), ("municipality", 403)],
)
def test_who_sees_the_ranking(client, db, who, status):
    application = submitted_applications(1)[0]
    users = {
        "office": lambda: office_user(application.municipality.county.office),
        "other_office": lambda: office_user(GovernorOfficeFactory()),
        "udir": udir_user,
        "municipality": lambda: municipality_user(application.municipality),
    }
    sign_in(client, users[who]())
    assert client.get(_url("selection:ranking", application)).status_code == status


def test_another_office_cannot_rank_or_recommend(client, db):
    application = submitted_applications(1)[0]
    other = office_user(GovernorOfficeFactory())
    sign_in(client, other)
    url = reverse(
        "selection:recommend",
        args=[application.cohort.pk, other.memberships.get().office.pk, application.pk],
    )
    assert (
        client.post(url, {"verdict": "anbefalt", "justification": "x", "revision": 0}).status_code
        == 404
    )
    assert (
        client.post(
            _url("selection:recommend", application, application.pk),
            {"verdict": "anbefalt", "justification": "x", "revision": 0},
        ).status_code
        == 404
    )
    assert not Recommendation.objects.filter(verdict="anbefalt").exists()


def _ranking_queries(client, application):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("selection:ranking", application)).status_code == 200
    return len(queries)


def test_the_ranking_page_uses_the_same_queries_for_2_and_20_applications(client, db):
    small = submitted_applications(2)
    large = submitted_applications(20)
    sign_in(client, udir_user())
    assert _ranking_queries(client, small[0]) == _ranking_queries(client, large[0])


def test_the_ranking_export_guards_against_formulas(client, db):
    import io

    from openpyxl import load_workbook

    application = submitted_applications(1)[0]
    decisions.recommend(
        application=application, verdict="anbefalt", justification='=HYPERLINK("x")', actor=None
    )
    sign_in(client, office_user(application.municipality.county.office))
    csv_response = client.get(_url("selection:ranking_export", application, "csv"))
    text = csv_response.content.decode("utf-8-sig")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in text
    assert application.municipality.name in text
    xlsx = client.get(_url("selection:ranking_export", application, "xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for cell in sheet[2]]
    assert values[2] == application.municipality.name
    assert values[8] == '=HYPERLINK("x")'
    assert sheet.cell(row=2, column=9).data_type == "s"
    assert client.get(_url("selection:ranking_export", application, "pdf")).status_code == 404
