import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from laeringsmiljo.models import AuditEvent
from selection.models import Criterion
from selection.scoring import criteria
from selection.scoring.criteria import Kind
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("rot", "rot@test.example", "passord")
    sign_in(client, user)
    return client


def _post(admin_client, criterion, **changes):
    data = {
        "order": criterion.order,
        "active": "on" if criterion.active else "",
        "is_gate": "on" if criterion.is_gate else "",
        "weight": str(criterion.weight),
        "name_nb": criterion.name_nb,
        "name_nn": criterion.name_nn,
        "help_text_nb": criterion.help_text_nb,
        "help_text_nn": criterion.help_text_nn,
        "parameters": json.dumps(criterion.parameters),
    }
    data.update(changes)
    return admin_client.post(reverse("admin:selection_criterion_change", args=[criterion.pk]), data)


def test_the_six_criteria_exist_with_defaults_and_criterion_6_is_a_gate():
    rows = list(Criterion.objects.order_by("order"))
    assert [(c.number, c.kind, c.is_gate, c.active) for c in rows] == [
        (1, Kind.BULLYING, False, True),
        (2, Kind.COMPLAINTS, False, True),
        (3, Kind.SUPERVISION, False, True),
        (4, Kind.MOTIVATION, False, True),
        (5, Kind.KINDERGARTENS, False, True),
        (6, Kind.PARTICIPATION, True, True),
    ]
    for criterion in rows:
        assert criterion.parameters == criteria.defaults(criterion.kind)
        assert criterion.name_nb and criterion.name_nn and criterion.help_text_nn


def test_an_administrator_changes_a_weight_and_it_is_audited(admin_client):
    criterion = Criterion.objects.get(kind=Kind.BULLYING)
    response = _post(admin_client, criterion, weight="4.5")
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.weight == Decimal("4.5")
    event = AuditEvent.objects.get(action="criteria.change")
    assert (event.before["weight"], event.after["weight"]) == ("3.00", "4.50")


def test_a_negative_weight_is_refused_with_a_message(admin_client):
    criterion = Criterion.objects.get(kind=Kind.BULLYING)
    response = _post(admin_client, criterion, weight="-1")
    assert response.status_code == 200
    assert "Vekten må være et tall fra 0 til 100." in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.weight == Decimal(3)


def test_an_unknown_parameter_is_refused_with_a_message(admin_client):
    criterion = Criterion.objects.get(kind=Kind.BULLYING)
    response = _post(admin_client, criterion, parameters='{"years": 3, "antall": 2}')
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parameters"] == [
        "Ukjent parameter «antall» for dette kriteriet. Tillatte parametere: years, "
        "points_per_percentage_point, max_points."
    ]
    criterion.refresh_from_db()
    assert criterion.parameters == criteria.defaults(Kind.BULLYING)


def test_a_parameter_out_of_range_is_refused_with_a_message(admin_client):
    criterion = Criterion.objects.get(kind=Kind.COMPLAINTS)
    response = _post(admin_client, criterion, parameters='{"years": 0}')
    assert response.context["adminform"].form.errors["parameters"] == [
        "Parameteren «years» (antall skoleår bakover) må være et helt tall fra 1 til 10, ikke «0»."
    ]


def test_parameters_that_are_left_out_get_their_defaults(admin_client):
    criterion = Criterion.objects.get(kind=Kind.SUPERVISION)
    response = _post(admin_client, criterion, parameters='{"points_system": "2,5"}')
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.parameters == {**criteria.defaults(Kind.SUPERVISION), "points_system": "2.5"}


def test_invalid_json_is_refused(admin_client):
    criterion = Criterion.objects.get(kind=Kind.SUPERVISION)
    response = _post(admin_client, criterion, parameters="{years: 3")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parameters"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([1, 2], 'Parameterne må skrives som et JSON-objekt, for eksempel {"years": 3}.'),
        (
            {"scale_min": 5, "scale_max": 5},
            "Laveste karakter må være lavere enn høyeste karakter.",
        ),
        (
            {"max_points": True},
            "Parameteren «max_points» (høyeste poengsum) må være et tall fra 0 til 100 med "
            "høyst to desimaler, ikke «True».",
        ),
        (
            {"max_points": "1.234"},
            "Parameteren «max_points» (høyeste poengsum) må være et tall fra 0 til 100 med "
            "høyst to desimaler, ikke «1.234».",
        ),
    ],
)
def test_clean_parameters_refuses_bad_values(raw, message):
    with pytest.raises(ValidationError) as error:
        criteria.clean_parameters(Kind.MOTIVATION, raw)
    assert error.value.messages == [message]


def test_a_criterion_cannot_be_deleted_in_admin(admin_client):
    criterion = Criterion.objects.get(kind=Kind.BULLYING)
    response = admin_client.get(reverse("admin:selection_criterion_delete", args=[criterion.pk]))
    assert response.status_code == 403


def test_the_criterion_name_follows_the_language():
    from django.utils import translation

    criterion = Criterion.objects.get(kind=Kind.PARTICIPATION)
    with translation.override("nn"):
        assert criterion.name == "Barnehageeigar, skuleeigar, PPT, barnehage og skule deltek"
    with translation.override("nb"):
        assert criterion.name == "Barnehageeier, skoleeier, PPT, barnehage og skole deltar"
