"""After publication: the selected municipality answers, a freed place goes to the next
reserve, and every refusal changes nothing."""

import datetime

import pytest
from django.utils import timezone

from laeringsmiljo.models import AuditEvent
from selection.models import Letter, Participation, Place
from selection.process import settlement
from selection.process.errors import DecisionError
from tests.factories import udir_user
from tests.selection.process.helpers import fail_gate, published_cohort


def _participation(application):
    return Participation.objects.get(application=application)


def _refused(call, message):
    events = AuditEvent.objects.count()
    with pytest.raises(DecisionError) as excinfo:
        call()
    assert message in " ".join(excinfo.value.messages)
    assert AuditEvent.objects.count() == events
    return excinfo.value


def test_publication_gives_each_selected_municipality_a_place_waiting_for_its_answer(db):
    selected, reserve, _other = published_cohort(3)
    participation = _participation(selected)
    assert participation.status == "venter"
    assert participation.place.status == "tatt"
    assert settlement.answer_deadline(participation) == timezone.localdate() + datetime.timedelta(
        days=10
    )
    assert not Participation.objects.filter(application=reserve).exists()


def test_confirming_names_the_contact_and_is_audited_once(db):
    selected, *_ = published_cohort(2)
    participation = settlement.confirm(
        participation=_participation(selected),
        contact_name="Kari Kontakt",
        contact_email="kari@kommune.no",
        actor=None,
    )
    assert (participation.status, participation.contact_name) == ("bekreftet", "Kari Kontakt")
    assert AuditEvent.objects.filter(action="participation.confirmed").count() == 1
    _refused(
        lambda: settlement.confirm(participation=participation, contact_name="Ola", actor=None),
        f"{selected.municipality.name} har allerede bekreftet plassen",
    )
    assert _participation(selected).contact_name == "Kari Kontakt"


def test_confirming_without_a_contact_or_after_the_deadline_is_refused(db):
    selected, *_ = published_cohort(2, answer_in_days=1)
    participation = _participation(selected)
    _refused(
        lambda: settlement.confirm(participation=participation, contact_name=" ", actor=None),
        "Skriv navnet på kommunens kontaktperson",
    )
    later = timezone.now() + datetime.timedelta(days=3)
    _refused(
        lambda: settlement.confirm(
            participation=participation, contact_name="Kari", actor=None, now=later
        ),
        "Plassen kan ikke bekreftes etter fristen",
    )
    assert _participation(selected).status == "venter"


def test_declining_frees_the_place_and_orders_the_confirmation_letter(db):
    selected, reserve, _other = published_cohort(3)
    settlement.decline(participation=_participation(selected), reason="Ikke kapasitet.", actor=None)
    participation = _participation(selected)
    assert participation.status == "takket_nei"
    assert participation.place.status == "ledig"
    assert Letter.objects.filter(application=selected, kind="withdrawal").count() == 1
    proposal = settlement.propose_reserve(cohort=selected.cohort, office=participation.place.office)
    assert proposal.proposed.application == reserve
    assert "neste reserve" in proposal.reason


def test_declining_after_confirming_is_only_a_withdrawal(db):
    selected, *_ = published_cohort(2)
    participation = settlement.confirm(
        participation=_participation(selected), contact_name="Kari", actor=None
    )
    _refused(
        lambda: settlement.decline(participation=participation, reason="Likevel ikke.", actor=None),
        "registrer at den trekker seg, med dato og begrunnelse",
    )
    assert _participation(selected).status == "bekreftet"


def test_a_withdrawal_needs_a_date_from_publication_until_today_and_a_reason(db):
    selected, *_ = published_cohort(2)
    participation = _participation(selected)
    today = timezone.localdate()
    _refused(
        lambda: settlement.withdraw(
            participation=participation,
            left_on=today - datetime.timedelta(days=1),
            reason="Vi trekker oss.",
            actor=None,
        ),
        "Datoen kan ikke være før utvalget ble publisert",
    )
    _refused(
        lambda: settlement.withdraw(
            participation=participation,
            left_on=today + datetime.timedelta(days=1),
            reason="Vi trekker oss.",
            actor=None,
        ),
        "Datoen kan ikke være fram i tid.",
    )
    _refused(
        lambda: settlement.withdraw(
            participation=participation, left_on=today, reason="", actor=None
        ),
        "Skriv hvorfor kommunen trekker seg.",
    )
    assert _participation(selected).status == "venter"
    settlement.withdraw(participation=participation, left_on=today, reason="Ny rektor.", actor=None)
    participation = _participation(selected)
    assert (participation.status, participation.left_on) == ("trukket", today)
    assert participation.place.status == "ledig"


def test_no_answer_is_marked_only_after_the_deadline(db):
    selected, *_ = published_cohort(2, answer_in_days=1)
    participation = _participation(selected)
    _refused(
        lambda: settlement.mark_no_answer(
            participation=participation, reason="Ikke svar.", actor=None
        ),
        "Svarfristen er ikke ute ennå",
    )
    later = timezone.now() + datetime.timedelta(days=3)
    settlement.mark_no_answer(
        participation=participation, reason="Ikke svar.", actor=None, now=later
    )
    assert _participation(selected).status == "ikke_svart"


def test_the_proposed_reserve_is_promoted_in_one_step_with_its_letter(db):
    udir = udir_user()
    selected, reserve, _other = published_cohort(3)
    settlement.decline(participation=_participation(selected), reason="Nei takk.", actor=None)
    place = _participation(selected).place
    promoted = settlement.promote(place=place, application=reserve, actor=udir)
    assert promoted.promoted and promoted.status == "venter"
    assert promoted.answer_by == timezone.localdate() + datetime.timedelta(days=14)
    assert Place.objects.get(pk=place.pk).status == "tatt"
    assert Letter.objects.filter(application=reserve, kind="decision_promoted").count() == 1
    assert AuditEvent.objects.filter(action="reserve.promoted").count() == 1
    _refused(
        lambda: settlement.promote(place=place, application=_other, reason="Annen.", actor=udir),
        "Plassen er ikke ledig",
    )


def test_another_reserve_needs_a_reason_and_a_gate_failing_one_is_refused(db):
    selected, first, second, third = published_cohort(4)
    fail_gate(third)
    settlement.decline(participation=_participation(selected), reason="Nei.", actor=None)
    place = _participation(selected).place
    _refused(
        lambda: settlement.promote(place=place, application=second, actor=None),
        f"Skriv hvorfor du tar opp {second.municipality.name} og ikke {first.municipality.name}",
    )
    _refused(
        lambda: settlement.promote(place=place, application=third, reason="Best.", actor=None),
        "oppfyller ikke kravet om full deltakelse",
    )
    assert Place.objects.get(pk=place.pk).status == "ledig"
    participation = settlement.promote(
        place=place, application=second, reason="Nærmere embetet.", actor=None
    )
    assert participation.written_promotion_reason() == "Nærmere embetet."


def test_the_gate_failing_next_reserve_is_skipped_with_the_reason_on_screen(db):
    selected, first, second = published_cohort(3)
    fail_gate(first)
    settlement.decline(participation=_participation(selected), reason="Nei.", actor=None)
    proposal = settlement.propose_reserve(
        cohort=selected.cohort, office=_participation(selected).place.office
    )
    assert proposal.proposed.application == second
    assert f"{first.municipality.name} (plass 2) er hoppet over" in proposal.reason


def test_a_reserve_of_another_office_is_refused(db):
    from tests.selection.process.helpers import add_office

    selected, _reserve = published_cohort(2)
    other = add_office(selected.cohort, 1)[0]
    settlement.decline(participation=_participation(selected), reason="Nei.", actor=None)
    _refused(
        lambda: settlement.promote(
            place=_participation(selected).place, application=other, reason="x", actor=None
        ),
        "hører ikke til",
    )


def test_a_free_place_left_empty_needs_a_reason_and_is_then_not_free(db):
    selected, reserve = published_cohort(2)
    settlement.decline(participation=_participation(selected), reason="Nei.", actor=None)
    place = _participation(selected).place
    _refused(
        lambda: settlement.leave_empty(place=place, reason="", actor=None),
        "Skriv hvorfor plassen skal stå tom.",
    )
    settlement.leave_empty(place=place, reason="Veilederne er opptatt.", actor=udir_user())
    _refused(
        lambda: settlement.promote(place=place, application=reserve, actor=None),
        "satte den til å stå tom",
    )
    assert not Participation.objects.filter(application=reserve).exists()


def test_the_capacity_holds_when_a_place_was_over_it(db):
    """A place freed in an office that still holds its capacity (Udir selected over it) cannot
    be filled."""
    selected, reserve = published_cohort(2)
    from laeringsmiljo.models import OfficeSchedule

    OfficeSchedule.objects.filter(cohort=selected.cohort).update(capacity=0)
    settlement.decline(participation=_participation(selected), reason="Nei.", actor=None)
    _refused(
        lambda: settlement.promote(
            place=_participation(selected).place, application=reserve, actor=None
        ),
        "ingen reserve kan tas opp",
    )
