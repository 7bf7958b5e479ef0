"""A property test over generated cohorts: after any sequence of answers, withdrawals,
promotions and empty places, no office holds more confirmed-or-waiting places than its
capacity, no application that fails the participation gate ever holds a place, each held
place has exactly one holder and a free or empty one none, and every refused step changes
nothing."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from laeringsmiljo.models import AuditEvent, OfficeSchedule
from selection.models import Participation, Place
from selection.process import settlement
from selection.process.errors import DecisionError
from selection.scoring.engine import eligible, latest_scores
from tests.selection.process.helpers import fail_gate, published_cohort

ACTIONS = ["confirm", "decline", "withdraw", "no_answer", "promote", "promote_other", "empty"]

steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(min_value=0, max_value=5),  # which participation, place or reserve
        st.booleans(),  # late: after the answer deadline
    ),
    min_size=2,
    max_size=12,
)


class Rollback(Exception):
    """Leaves an example's cohort behind: every example starts from an empty database."""


def _state(cohort):
    return (
        sorted(Participation.objects.filter(place__cohort=cohort).values_list("pk", "status")),
        sorted(Place.objects.filter(cohort=cohort).values_list("pk", "status")),
        AuditEvent.objects.count(),
    )


def _pick(items, index):
    return items[index % len(items)] if items else None


def _step(action, index, late, cohort, applications, capacity):
    now = timezone.now() + datetime.timedelta(days=11 if late else 0)
    participations = list(Participation.objects.filter(place__cohort=cohort).order_by("pk"))
    places = list(Place.objects.filter(cohort=cohort).order_by("pk"))
    participation = _pick(participations, index)
    place = _pick(places, index)
    if action == "confirm" and participation:
        settlement.confirm(participation=participation, contact_name="Kari", actor=None, now=now)
    elif action == "decline" and participation:
        settlement.decline(participation=participation, reason="Nei.", actor=None, now=now)
    elif action == "withdraw" and participation:
        settlement.withdraw(
            participation=participation,
            left_on=timezone.localdate(),
            reason="Trekker oss.",
            actor=None,
            now=timezone.now(),
        )
    elif action == "no_answer" and participation:
        settlement.mark_no_answer(
            participation=participation, reason="Ikke svar.", actor=None, now=now
        )
    elif action in ("promote", "promote_other") and place:
        reason = "Annen reserve." if action == "promote_other" else ""
        settlement.promote(
            place=place,
            application=_pick(applications[capacity:], index),
            reason=reason,
            actor=None,
        )
    elif action == "empty" and place:
        settlement.leave_empty(place=place, reason="Tom.", actor=None)


def _check_invariants(cohort, applications):
    scores = latest_scores(applications)
    for schedule in OfficeSchedule.objects.filter(cohort=cohort):
        holding = Participation.objects.filter(
            place__cohort=cohort, place__office=schedule.office, status__in=Participation.HOLDING
        )
        assert holding.count() <= schedule.capacity
        for participation in holding:
            assert eligible(scores.get(participation.application_id))
    for place in Place.objects.filter(cohort=cohort):
        holders = place.participations.filter(status__in=Participation.HOLDING).count()
        assert holders == (1 if place.status == Place.Status.HELD else 0), place
    assert Participation.objects.filter(place__cohort=cohort).values(
        "application"
    ).distinct().count() == (Participation.objects.filter(place__cohort=cohort).count())


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    count=st.integers(min_value=2, max_value=5),
    capacity=st.integers(min_value=1, max_value=2),
    # Which reserves fail the gate; an index past the last reserve fails none.
    failing=st.sets(st.integers(min_value=0, max_value=3), min_size=1, max_size=3),
    plan=steps,
)
def test_no_sequence_of_steps_breaks_the_capacity_or_the_gate(count, capacity, failing, plan):
    try:
        with transaction.atomic():
            capacity = min(capacity, count - 1)
            applications = published_cohort(count, capacity=capacity)
            cohort = applications[0].cohort
            # Reserves that fail the gate (the selected ones passed it to be selected).
            for index in failing:
                if capacity + index < len(applications):
                    fail_gate(applications[capacity + index])
            _check_invariants(cohort, applications)
            for action, index, late in plan:
                before = _state(cohort)
                try:
                    with transaction.atomic():
                        _step(action, index, late, cohort, applications, capacity)
                    event(f"{action} done")
                except DecisionError:
                    event(f"{action} refused")
                    assert _state(cohort) == before, (action, index, late)
                _check_invariants(cohort, applications)
            raise Rollback
    except Rollback:
        pass
