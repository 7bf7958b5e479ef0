import pytest

from laeringsmiljo.generator import Scale, generate_registry
from laeringsmiljo.models import Municipality
from selection.evidence.demo import setup_demo_evidence
from selection.models import ComplaintCaseCount, NationalMean, SupervisionFinding, SurveyFigure
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_demo_evidence_is_made_once_and_has_suppressed_cells():
    MunicipalityFactory.create_batch(6)
    generate_registry(
        seed=3, scale=Scale(schools=40, kindergartens=40), municipalities=Municipality.objects.all()
    )
    first = setup_demo_evidence(seed=7)
    counts = (
        SurveyFigure.objects.count(),
        ComplaintCaseCount.objects.count(),
        SupervisionFinding.objects.count(),
    )
    assert counts[0] == first.survey_figures > 0
    assert SurveyFigure.objects.filter(suppressed=True).exists()
    assert (
        not SurveyFigure.objects.filter(suppressed=True, share__isnull=False)
        .filter(respondents__isnull=False)
        .exists()
    )
    assert set(SurveyFigure.objects.values_list("school_year", flat=True)) == {
        2016,
        2017,
        2018,
        2019,
    }
    assert NationalMean.objects.filter(computed_share__isnull=False).count() == 4

    again = setup_demo_evidence(seed=7)
    assert again == first
    assert (
        SurveyFigure.objects.count(),
        ComplaintCaseCount.objects.count(),
        SupervisionFinding.objects.count(),
    ) == counts


def test_demo_evidence_without_schools_does_nothing():
    assert setup_demo_evidence(seed=1).survey_figures == 0
    assert SurveyFigure.objects.count() == 0
