"""The score page under the production settings, in both languages: criterion 1 without
grounds is shown, and the office's judgement saves and counts."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from selection.evidence.services import recompute_national_means
from selection.models import BullyingJudgement
from selection.scoring.engine import score_application
from tests.factories import SchoolFactory, office_user
from tests.selection.factories import ApplicationSchoolFactory, SubmittedApplicationFactory, figure
from tests.signin import sign_in

LACKING = {"nb": "Kriterium 1 mangler grunnlag", "nn": "Kriterium 1 manglar grunnlag"}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_score_page_shows_what_criterion_1_lacks_under_the_production_settings(
    production_client, db, language
):
    application = SubmittedApplicationFactory(submission_count=1)
    school = ApplicationSchoolFactory(application=application).school
    other = SchoolFactory(municipality=application.municipality)
    for year in range(2015, 2031):
        figure(school, year, "*", None)
        figure(other, year, Decimal("6.0"), 100)
    recompute_national_means(years=range(2015, 2031))
    score_application(application=application, actor=None)
    production_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    sign_in(production_client, office_user(application.municipality.county.office))
    url = reverse("selection:score", args=[application.pk])
    page = production_client.get(url)
    assert page.status_code == 200
    lacking = LACKING[language]
    assert lacking in page.content.decode()
    saved = production_client.post(
        reverse("selection:judge", args=[application.pk]),
        {"points": "2", "reason": "Kjent fra klagesaker.", "revision": 0},
    )
    assert saved.status_code == 302
    assert BullyingJudgement.objects.get(application=application).points == 2
    score_application(application=application, actor=None)
    page = production_client.get(url).content.decode()
    assert lacking not in page
    assert "Kjent fra klagesaker." in page
