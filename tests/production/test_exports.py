"""The exports under the production settings, in both languages: the files open, and a lazy
translation (the proposal's outcome) is written in the page's language."""

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from selection.process import decisions
from tests.factories import office_user, udir_user
from tests.selection.process.helpers import submitted_applications
from tests.signin import sign_in

PROPOSED = {"nb": "Valgt", "nn": "Valt"}
HEADER_JUSTIFICATION = {"nb": "Begrunnelse", "nn": "Grunngiving"}


def _rows(response, fmt):
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [[cell.value for cell in row] for row in sheet.iter_rows()]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_export_opens_under_the_production_settings(db, production_client, language, fmt):
    (application,) = submitted_applications(1)
    office = application.municipality.county.office
    decisions.recommend(
        application=application, verdict="anbefalt", justification="Sterk.", actor=None
    )
    # Sent to Udir: only then is there a proposal for the office.
    decisions.send_to_udir(
        cohort=application.cohort, office=office, justification="Ja.", actor=None
    )
    production_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    sign_in(production_client, udir_user())
    national = production_client.get(
        reverse("selection:national_export", args=[application.cohort_id, fmt])
    )
    assert national.status_code == 200
    header, row = _rows(national, fmt)
    assert (header[6], row[6]) == ("Forslag", PROPOSED[language])
    assert row[4] == application.municipality.name
    sign_in(production_client, office_user(office))
    ranking = production_client.get(
        reverse("selection:ranking_export", args=[application.cohort_id, office.pk, fmt])
    )
    assert ranking.status_code == 200
    header, row = _rows(ranking, fmt)
    assert (header[8], row[8]) == (HEADER_JUSTIFICATION[language], "Sterk.")
    for kind in ("elevundersokelsen", "klagesaker", "tilsyn"):
        template = production_client.get(reverse("selection:import_template", args=[kind]))
        assert template.status_code == 200
        assert load_workbook(io.BytesIO(template.content)).active["A1"].value
