"""Criterion 1's national reference: Udir's published figure of the same school year; where
none is published, the mean of the imported figures, said to be provisional, from how many
schools and counties, on the score page and before the office sends its recommendation."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from laeringsmiljo.access import roles_of
from laeringsmiljo.models import AuditEvent
from selection.evidence.imports import confirm_import, municipalities_in_scope, preview_import
from selection.evidence.services import recompute_national_means
from selection.models import ImportKind, NationalMean, OfficeReview
from selection.process import decisions
from selection.scoring.criteria import Kind
from selection.scoring.engine import CriterionOutcome, score_application
from tests.factories import (
    CountyFactory,
    MunicipalityFactory,
    SchoolFactory,
    office_user,
    udir_user,
)
from tests.selection.conftest import PUBLISHED_SOURCE
from tests.selection.factories import xlsx_bytes
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

HEADER = ["Organisasjonsnummer", "Skoleår", "Andel mobbet (%)", "Antall svar"]


def bullying(score):
    return next(r for r in score.results if r["kind"] == Kind.BULLYING)


def _no_published_figures():
    NationalMean.objects.update(published_share=None, published_source="")
    recompute_national_means(years=[2016, 2017, 2018, 2019])


def _another_office_imports():
    """An office of another county imports its schools' figures, through the importer."""
    county = CountyFactory()
    school = SchoolFactory(municipality=MunicipalityFactory(county=county))
    user = office_user(county.office)
    scope = municipalities_in_scope(roles_of(user))
    content = xlsx_bytes(
        [
            HEADER,
            [school.organisation_number, "2019-20", 2.0, 500],
            [school.organisation_number, "2018-19", 1.5, 100],
        ]
    )
    pending = preview_import(
        kind=ImportKind.SURVEY, file_name="andre.xlsx", content=content, actor=user, scope=scope
    )
    confirm_import(pending=pending, actor=user, scope=scope)


def test_criterion_1_uses_udirs_published_figure_and_names_its_source(client, case):
    score = score_application(application=case, actor=None)
    result = bullying(score)
    # (4.00 − 6.0 + 9.50 − 5.5 + 7.50 − 6.5) / 3 = 1.00 pp; × 2 = 2.00
    assert (result["raw_value"], result["points"]) == ("1.00", "2.00")
    assert result["explanation"]["provisional"] == []
    assert {entry["national_source"] for entry in result["explanation"]["yearly"]} == {
        PUBLISHED_SOURCE
    }
    sign_in(client, office_user(case.municipality.county.office))
    page = client.get(reverse("selection:score", args=[case.pk])).content.decode()
    assert f"Udirs publiserte tall: {PUBLISHED_SOURCE}" in page
    assert "Foreløpig landsgjennomsnitt" not in page


def test_without_a_published_figure_the_reference_is_provisional_and_says_from_what(client, case):
    _no_published_figures()
    score = score_application(application=case, actor=None)
    result = bullying(score)
    # The means of the imported figures: 2017 4.00 (B skole), 2018 9.50 (A skole), 2019
    # (900 + 2100 + 3000) / 500 = 12.00 with C skole: (0 + 0 − 4.50) / 3 = −1.50 pp.
    assert (result["outcome"], result["raw_value"], result["points"]) == (
        CriterionOutcome.SCORED,
        "-1.50",
        "0.00",
    )
    assert result["explanation"]["provisional"] == [
        {"year": 2017, "schools": 1, "counties": 1},
        {"year": 2018, "schools": 1, "counties": 1},
        {"year": 2019, "schools": 3, "counties": 1},
    ]
    sign_in(client, office_user(case.municipality.county.office))
    page = client.get(reverse("selection:score", args=[case.pk])).content.decode()
    assert "Foreløpig landsgjennomsnitt i kriterium 1" in page
    assert "2019-20: beregnet fra 3 skoler i 1 fylke" in page
    assert "gjennomsnitt av de importerte tallene fra 3 skoler i 1 fylke" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = client.get(reverse("selection:score", args=[case.pk])).content.decode()
    assert "Førebels landsgjennomsnitt i kriterium 1" in page
    assert "2019-20: berekna frå 3 skular i 1 fylke" in page


def test_another_offices_import_does_not_change_a_score_with_published_figures(case):
    before = bullying(score_application(application=case, actor=None))
    _another_office_imports()
    assert NationalMean.objects.get(school_year=2019).computed_counties == 2
    after = bullying(score_application(application=case, actor=None))
    assert after == before
    assert after["points"] == "2.00"


def test_another_offices_import_changes_a_provisional_score_and_says_so(case):
    _no_published_figures()
    before = bullying(score_application(application=case, actor=None))
    _another_office_imports()
    after = bullying(score_application(application=case, actor=None))
    # 2018: (950 + 150) / 200 = 5.50, 2019: (6000 + 1000) / 1000 = 7.00:
    # (0 + 4.00 + 0.50) / 3 = 1.50 pp; × 2 = 3.00
    assert (before["points"], after["raw_value"], after["points"]) == ("0.00", "1.50", "3.00")
    assert after["explanation"]["provisional"] == [
        {"year": 2017, "schools": 1, "counties": 1},
        {"year": 2018, "schools": 2, "counties": 2},
        {"year": 2019, "schools": 4, "counties": 2},
    ]


def _ready_to_send(application):
    score_application(application=application, actor=None)
    decisions.recommend(
        application=application, verdict="anbefalt", justification="Sterk.", actor=None
    )


def test_the_office_sees_a_provisional_reference_before_it_sends(client, case):
    _no_published_figures()
    _ready_to_send(case)
    office = case.municipality.county.office
    officer = office_user(office)
    sign_in(client, officer)
    page = client.get(reverse("selection:ranking", args=[case.cohort.pk, office.pk]))
    page = page.content.decode()
    warning = page[page.index('id="send-tittel"') :]
    assert "Foreløpig landsgjennomsnitt i kriterium 1" in warning
    assert f"{case.municipality.name}: 2017-18: beregnet fra 1 skole i 1 fylke; " in warning
    assert "foreløpig landsgjennomsnitt</span>" in page
    response = client.post(
        reverse("selection:send", args=[case.cohort.pk, office.pk]), {"justification": "Samlet."}
    )
    assert response.status_code == 302
    assert OfficeReview.objects.get(cohort=case.cohort, office=office).is_sent
    sent = AuditEvent.objects.get(action="recommendation.sent")
    assert sent.after["ranking"][0]["provisional_reference"] == [2017, 2018, 2019]


def test_no_warning_before_sending_when_every_figure_is_published(client, case):
    _ready_to_send(case)
    office = case.municipality.county.office
    sign_in(client, office_user(office))
    page = client.get(reverse("selection:ranking", args=[case.cohort.pk, office.pk]))
    assert "Foreløpig landsgjennomsnitt" not in page.content.decode()


def _admin():
    user = udir_user(is_staff=True, is_superuser=True)
    return user


def test_udir_enters_the_published_figure_in_admin_with_its_source(client, db):
    mean = NationalMean.objects.create(school_year=2019, computed_share=Decimal("7.10"))
    sign_in(client, _admin())
    url = reverse("admin:selection_nationalmean_change", args=[mean.pk])
    refused = client.post(url, {"school_year": 2019, "published_share": "6.1"})
    assert refused.status_code == 200
    assert "Skriv hvor det publiserte tallet står (kilde)" in refused.content.decode()
    mean.refresh_from_db()
    assert mean.published_share is None
    saved = client.post(
        url,
        {"school_year": 2019, "published_share": "6.1", "published_source": PUBLISHED_SOURCE},
    )
    assert saved.status_code == 302
    mean.refresh_from_db()
    assert (mean.value, mean.published_source) == (Decimal("6.1"), PUBLISHED_SOURCE)
    event = AuditEvent.objects.get(action="evidence.national_mean_change")
    assert event.after["published_source"] == PUBLISHED_SOURCE
