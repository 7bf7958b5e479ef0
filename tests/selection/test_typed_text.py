"""Every free-text field of the selection's forms refuses a control character (pasted from a
word processor) with the field named, and nothing is saved."""

import datetime

import pytest
from django import forms
from django.urls import reverse

from selection.evidence.forms import ComplaintCasesForm, FindingForm
from selection.models import Decision, Recommendation, SupervisionFinding
from selection.process.forms import DecideForm, MoveForm, RecommendForm, SendForm
from selection.scoring.forms import MotivationGradeForm
from tests.factories import MunicipalityFactory, office_user, udir_user
from tests.selection.process.helpers import submitted_applications
from tests.signin import sign_in

FORMS = [
    (MoveForm, {}),
    (RecommendForm, {}),
    (SendForm, {}),
    (DecideForm, {}),
    (MotivationGradeForm, {"scale": (1, 6)}),
    (ComplaintCasesForm, {"municipality": None}),
    (FindingForm, {"municipality": None}),
]


def _text_fields(form):
    return {
        name: field
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and not field.widget.is_hidden
    }


@pytest.mark.parametrize(("form_class", "kwargs"), FORMS, ids=lambda f: getattr(f, "__name__", ""))
def test_every_text_field_refuses_a_control_character_by_name(db, form_class, kwargs):
    if "municipality" in kwargs:
        kwargs = {"municipality": MunicipalityFactory()}
    fields = _text_fields(form_class(**kwargs))
    for name, field in fields.items():
        form = form_class({name: "Godt\x0bsamarbeid"}, **kwargs)
        assert form.errors[name] == [
            f"«{field.label}» har et usynlig tegn som ikke kan lagres (U+000B), rett etter "
            "«Godt». Det følger ofte med tekst som er limt inn fra et annet program: slett "
            "tegnet (ofte et linjeskift) der og skriv det på nytt, eller lim inn teksten som ren "
            "tekst, og prøv igjen."
        ]
    expected = {FindingForm: {"topic"}, ComplaintCasesForm: set()}.get(form_class)
    if expected is not None:
        assert set(fields) == expected


def test_a_recommendation_with_a_control_character_is_refused_and_not_saved(client, db):
    (application,) = submitted_applications(1)
    office = application.municipality.county.office
    sign_in(client, office_user(office))
    response = client.post(
        reverse("selection:recommend", args=[application.cohort_id, office.pk, application.pk]),
        {"verdict": "anbefalt", "justification": "Sterk\x0bsøknad.", "revision": 0},
        follow=True,
    )
    page = response.content.decode()
    assert "«Begrunnelse» har et usynlig tegn som ikke kan lagres (U+000B)" in page
    assert not Recommendation.objects.filter(verdict="anbefalt").exists()


def test_a_decision_with_a_control_character_is_refused_and_not_saved(client, db):
    (application,) = submitted_applications(1)
    sign_in(client, udir_user())
    response = client.post(
        reverse("selection:decide", args=[application.cohort_id, application.pk]),
        {"outcome": "valgt", "reason": "Valgt\x0c.", "deviation_reason": "Ingen."},
        follow=True,
    )
    assert "«Begrunnelse (kommer med i vedtaksbrevet)» har et usynlig tegn" in (
        response.content.decode()
    )
    assert not Decision.objects.exists()


def test_a_finding_with_a_control_character_is_refused_and_not_saved(client, db):
    municipality = MunicipalityFactory()
    sign_in(client, office_user(municipality.county.office))
    response = client.post(
        reverse("selection:finding_create", args=[municipality.pk]),
        {
            "date": datetime.date(2019, 4, 1).isoformat(),
            "topic": "Skole\x0bmiljø",
            "in_system": "on",
        },
    )
    assert response.status_code == 200
    assert "«Tema» har et usynlig tegn som ikke kan lagres (U+000B)" in response.content.decode()
    assert not SupervisionFinding.objects.exists()
