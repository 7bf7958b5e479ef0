"""The evidence and score pages in nynorsk show no bokmål-only words."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from selection.models import PendingImport
from selection.scoring.engine import score_application
from selection.scoring.grading import grade_motivation
from tests.factories import udir_user
from tests.selection.factories import csv_bytes
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

BOKMAL_ONLY = re.compile(
    r"\b(hv\w+|ikke|noen|noe|bare|ennå|skoler|skolene|barnehager|fylker|kommuner|lagret|"
    r"mangler|beregnet|beregning|andel|antall|endret)\b",
    re.IGNORECASE,
)


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in ("script", "style")
        self.parts.extend(v for k, v in attrs if k in {"aria-label", "title"} and v)

    def handle_endtag(self, tag):
        self.skipping -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def bokmal_words(html, *, ignore):
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    for value in sorted(ignore, key=len, reverse=True):
        text = text.replace(value, " ")
    return sorted({m.group(0) for m in BOKMAL_ONLY.finditer(text)})


def test_the_pages_in_nynorsk_show_no_bokmal(client, case):
    user = udir_user()
    score_application(application=case, actor=user)
    grade_motivation(application=case, grade=5, comment="", actor=user, expected_revision=1)
    school = case.schools.first().school
    sign_in(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    client.post(
        reverse("selection:import_upload", args=["elevundersokelsen"]),
        {
            "file": _upload(
                csv_bytes(
                    [
                        ["Organisasjonsnummer", "Skoleår", "Andel mobbet", "Antall svar"],
                        [school.organisation_number, "2019-20", "120", "4"],
                    ]
                )
            )
        },
    )
    pending = PendingImport.objects.get()
    m = case.municipality.pk
    # The file format's own headers are bokmål, whatever the page's language.
    headers = {"Organisasjonsnummer", "Skoleår", "Andel mobbet (%)", "Antall svar", "Skolenavn"}
    names = {s.school.name for s in case.schools.all()} | {case.municipality.name}
    found = {}
    for url in [
        reverse("selection:evidence"),
        reverse("selection:import_upload", args=["elevundersokelsen"]),
        reverse("selection:import_preview", args=[pending.pk]),
        reverse("selection:municipality_evidence", args=[m]),
        reverse("selection:case_create", args=[m]),
        reverse("selection:finding_create", args=[m]),
        reverse("selection:cohort_scores", args=[case.cohort.pk]),
        reverse("selection:score", args=[case.pk]),
    ]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert '<html lang="nn">' in html
        words = bokmal_words(html, ignore=headers | names)
        if url == reverse("selection:score", args=[case.pk]):
            assert "Berekn på nytt" in html
        if words:
            found[url] = words
    assert found == {}


def _upload(content):
    return SimpleUploadedFile("mobbing.csv", content)
