"""Criterion 1 when every survey figure of the participating schools is suppressed: it lacks
grounds (mangler grunnlag), as a missing grade does, instead of 0 points as if bullying were
low; the office judges it, with a reason, before it can send its recommendation."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from laeringsmiljo.models import AuditEvent
from selection.models import BullyingJudgement, MotivationGrade, OfficeReview, SurveyFigure
from selection.process import decisions
from selection.process.errors import DecisionError
from selection.scoring.criteria import Kind
from selection.scoring.engine import CriterionOutcome, score_application
from selection.scoring.grading import judge_bullying
from tests.factories import MunicipalityFactory, office_user
from tests.selection.factories import ApplicationSchoolFactory, figure
from tests.selection.factories import SubmittedApplicationFactory as ApplicationFactory
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def bullying(score):
    return next(r for r in score.results if r["kind"] == Kind.BULLYING)


def _suppress_every_figure(application):
    schools = [unit.school for unit in application.schools.all()]
    SurveyFigure.objects.filter(school__in=schools).delete()
    for school in schools:
        for year in (2017, 2018, 2019):
            figure(school, year, "*", None)


@pytest.fixture
def suppressed(case):
    _suppress_every_figure(case)
    return case


def _recommended(application):
    score_application(application=application, actor=None)
    decisions.recommend(
        application=application, verdict="anbefalt", justification="Sterk.", actor=None
    )


def _send(application):
    decisions.send_to_udir(
        cohort=application.cohort,
        office=application.municipality.county.office,
        justification="Samlet.",
        actor=None,
    )


def test_every_figure_suppressed_lacks_grounds_and_gives_no_points(suppressed):
    score = score_application(application=suppressed, actor=None)
    result = bullying(score)
    assert (result["outcome"], result["points"], result["weighted_points"]) == (
        CriterionOutcome.MISSING,
        None,
        None,
    )
    assert result["explanation"]["all_suppressed"] is True
    assert result["explanation"]["missing"] == "all_suppressed"
    assert result["explanation"]["no_data"] is False
    # 51.33 without criterion 1's 6.00, and no sum until it is judged
    assert (score.total, score.partial_total, score.eligible) == (None, Decimal("45.33"), True)


def test_a_municipality_with_some_figures_is_scored_as_before(case):
    SurveyFigure.objects.filter(school__name="B skole").update(
        share=None, share_symbol="*", suppressed=True
    )
    result = bullying(score_application(application=case, actor=None))
    assert result["outcome"] == CriterionOutcome.SCORED
    assert "all_suppressed" not in result["explanation"]


def test_the_score_page_shows_and_explains_it(client, suppressed):
    score_application(application=suppressed, actor=None)
    sign_in(client, office_user(suppressed.municipality.county.office))
    page = client.get(reverse("selection:score", args=[suppressed.pk])).content.decode()
    assert "<strong>mangler grunnlag</strong>" in page
    assert "Kriterium 1 mangler grunnlag" in page
    assert "så kriteriet gir ikke 0 poeng, men ingen poeng ennå" in page
    assert "<strong>Mangler grunnlag:</strong> alle tallene fra Elevundersøkelsen" in page
    assert f'action="{reverse("selection:judge", args=[suppressed.pk])}"' in page
    assert "Lagre vurderingen" in page
    assert "Kriteriet gir derfor 0 poeng" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = client.get(reverse("selection:score", args=[suppressed.pk])).content.decode()
    assert "<strong>manglar grunnlag</strong>" in page
    assert "Kriterium 1 manglar grunnlag" in page
    assert "Lagre vurderinga" in page


def test_no_judgement_form_where_criterion_1_has_figures(client, case):
    score_application(application=case, actor=None)
    sign_in(client, office_user(case.municipality.county.office))
    page = client.get(reverse("selection:score", args=[case.pk])).content.decode()
    assert "Lagre vurderingen" not in page
    with pytest.raises(ValidationError) as error:
        judge_bullying(
            application=case,
            points=Decimal(5),
            reason="Vi vet mer.",
            actor=None,
            expected_revision=0,
        )
    assert error.value.code == "not_lacking_grounds"
    assert not BullyingJudgement.objects.exists()


def test_sending_is_refused_until_the_office_has_judged_it_and_scored_again(client, suppressed):
    office = suppressed.municipality.county.office
    other = ApplicationFactory(
        cohort=suppressed.cohort,
        municipality=MunicipalityFactory(county=suppressed.municipality.county),
        submission_count=1,
    )
    school = ApplicationSchoolFactory(application=other).school
    figure(school, 2019, ":", None)
    MotivationGrade.objects.create(application=other, grade=3)
    _recommended(suppressed)
    _recommended(other)
    first, second = sorted(
        [suppressed.municipality, other.municipality], key=lambda municipality: municipality.number
    )
    with pytest.raises(DecisionError) as refused:
        _send(suppressed)
    assert (
        f"Kriterium 1 mangler grunnlag for {first.name} og {second.name}: alle tallene fra "
        "Elevundersøkelsen for skolene er skjermet." in refused.value.messages[0]
    )
    assert not OfficeReview.objects.get(cohort=suppressed.cohort, office=office).is_sent

    officer = office_user(office, first_name="Kari", last_name="Saksbehandler")
    sign_in(client, officer)
    ranking = client.get(reverse("selection:ranking", args=[suppressed.cohort.pk, office.pk]))
    ranking = ranking.content.decode()
    assert "Kriterium 1 mangler grunnlag – innstillingen kan ikke sendes ennå" in ranking
    assert "kriterium 1 mangler grunnlag</span>" in ranking
    response = client.post(
        reverse("selection:judge", args=[suppressed.pk]),
        {"points": "4,5", "reason": "Klagesakene viser mye mobbing.", "revision": 0},
    )
    assert response.status_code == 302
    judgement = BullyingJudgement.objects.get(application=suppressed)
    assert (judgement.points, judgement.judged_by, judgement.revision) == (
        Decimal("4.50"),
        officer,
        1,
    )
    event = AuditEvent.objects.get(action="scoring.bullying_judgement")
    assert (event.actor, event.before) == (officer, None)
    assert event.after == {
        "points": "4.50",
        "reason": "Klagesakene viser mye mobbing.",
        "revision": 1,
    }

    # Judged but not yet in the score: still refused, for the one still lacking and this one.
    with pytest.raises(DecisionError, match=f"grunnlag for {first.name} og {second.name}:"):
        _send(suppressed)

    score = score_application(application=suppressed, actor=officer)
    result = bullying(score)
    assert (result["outcome"], result["points"], result["weighted_points"]) == (
        CriterionOutcome.SCORED,
        "4.50",
        "13.50",
    )
    assert result["explanation"]["judgement"]["reason"] == "Klagesakene viser mye mobbing."
    assert score.total == Decimal("58.83")
    page = client.get(reverse("selection:score", args=[suppressed.pk])).content.decode()
    assert "Embetet har vurdert det til 4,50 poeng (Kari Saksbehandler):" in page
    assert "embetets vurdering" in page

    remaining = other.municipality.name
    with pytest.raises(DecisionError) as refused:
        _send(suppressed)
    assert f"Kriterium 1 mangler grunnlag for {remaining}: " in refused.value.messages[0]
    judge_bullying(
        application=other, points=Decimal(0), reason="Lite kjent.", actor=None, expected_revision=0
    )
    score_application(application=other, actor=None)
    decisions.recommend(application=other, verdict="reserve", justification="Ok.", actor=None)
    _send(suppressed)
    assert OfficeReview.objects.get(cohort=suppressed.cohort, office=office).is_sent


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"points": "4", "reason": "  "}, "Skriv hvorfor embetet gir disse poengene"),
        ({"points": "11", "reason": "Mye."}, "Verdien må være mindre enn eller lik 10."),
        ({"points": "-1", "reason": "Mye."}, "Verdien må være større enn eller lik 0."),
        ({"points": "fire", "reason": "Mye."}, "Oppgi et tall."),
        ({"points": "1,234", "reason": "Mye."}, "Sørg for at det er 2 eller færre desimaler."),
        ({"points": "", "reason": "Mye."}, "Skriv inn poengene embetet gir for kriterium 1."),
    ],
)
def test_a_bad_judgement_is_refused_with_a_message_and_changes_nothing(
    client, suppressed, posted, message
):
    score_application(application=suppressed, actor=None)
    sign_in(client, office_user(suppressed.municipality.county.office))
    response = client.post(
        reverse("selection:judge", args=[suppressed.pk]), {**posted, "revision": 0}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BullyingJudgement.objects.exists()
    assert not AuditEvent.objects.filter(action="scoring.bullying_judgement").exists()


def test_two_officers_judging_at_once_do_not_overwrite_each_other(suppressed):
    score_application(application=suppressed, actor=None)
    office = suppressed.municipality.county.office
    kari = office_user(office, first_name="Kari", last_name="Saksbehandler")
    judge_bullying(
        application=suppressed, points=Decimal(3), reason="Kjent.", actor=kari, expected_revision=0
    )
    with pytest.raises(ValidationError) as error:
        judge_bullying(
            application=suppressed,
            points=Decimal(1),
            reason="Lite.",
            actor=office_user(office),
            expected_revision=0,
        )
    assert error.value.code == "stale_revision"
    assert error.value.messages[0].startswith(
        "Vurderingen av kriterium 1 ble endret av Kari Saksbehandler "
    )
    assert BullyingJudgement.objects.get().points == Decimal(3)


def test_another_office_cannot_judge(client, suppressed):
    score_application(application=suppressed, actor=None)
    sign_in(client, office_user())
    response = client.post(
        reverse("selection:judge", args=[suppressed.pk]),
        {"points": "4", "reason": "Mye.", "revision": 0},
    )
    assert response.status_code == 404
    assert not BullyingJudgement.objects.exists()


def test_the_ranking_reads_the_flag_and_the_references_without_the_results(suppressed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    score = score_application(application=suppressed, actor=None)
    score.refresh_from_db()
    assert score.lacks_grounds is True
    assert score.provisional_references == bullying(score)["explanation"].get("provisional", [])

    with CaptureQueriesContext(connection) as queries:
        [row] = decisions.ranking(
            cohort=suppressed.cohort, office_ids=[suppressed.municipality.county.office_id]
        )
        assert (row.lacks_grounds, row.provisional) == (True, score.provisional_references)
    score_query = next(q["sql"] for q in queries.captured_queries if "is_latest" in q["sql"])
    assert '"results"' not in score_query


def test_scores_stored_before_the_flag_get_it_from_their_results(case):
    """The migration that added the columns reads them from each stored score's results."""
    from importlib import import_module

    from django.apps import apps

    from selection.evidence.services import recompute_national_means
    from selection.models import ApplicationScore, NationalMean

    NationalMean.objects.update(published_share=None, published_source="")
    recompute_national_means(years=[2016, 2017, 2018, 2019])
    provisional = score_application(application=case, actor=None)
    _suppress_every_figure(case)
    lacking = score_application(application=case, actor=None)
    ApplicationScore.objects.update(lacks_grounds=False, provisional_references=[])

    import_module("selection.migrations.0019_score_flags").read_flags(apps, None)

    provisional.refresh_from_db()
    lacking.refresh_from_db()
    assert (provisional.lacks_grounds, lacking.lacks_grounds) == (False, True)
    assert provisional.provisional_references == bullying(provisional)["explanation"]["provisional"]
    assert provisional.provisional_references != []
