"""After publication, until the formal start: the selected municipalities confirm or decline
their place by the answer deadline, a place that becomes free goes to the office's next reserve
(or is left empty, with a reason). One function for each state change, in a transaction, with
an audit event. Every change of an office's places takes the lock on the office's schedule in
the cohort, so that two of them never overlap."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from laeringsmiljo.audit import record
from laeringsmiljo.conflicts import person
from laeringsmiljo.models import OfficeSchedule, deadline_end
from laeringsmiljo.times import date_and_time, long_date
from selection.process import decisions
from selection.process.errors import DecisionError
from selection.process.models import (
    AnswerDeadline,
    Decision,
    Outcome,
    Participation,
    Place,
    Publication,
)
from selection.process.signals import place_freed, reserve_promoted

# A municipality taken from the reserve list has at least this long to answer.
PROMOTED_ANSWER_DAYS = 14
# The reminder goes out this many days before the answer deadline.
REMINDER_DAYS = 7

LEAVING = {
    Participation.Status.DECLINED: "participation.declined",
    Participation.Status.NO_ANSWER: "participation.no_answer",
    Participation.Status.WITHDRAWN: "participation.withdrawn",
}


def _day(value):
    return long_date(value)


def cohort_deadline(cohort):
    """The cohort's answer deadline, or None while admin has not set it."""
    row = AnswerDeadline.objects.filter(cohort=cohort).first()
    return row.date if row else None


def answer_deadline(participation, cohort_date=None):
    """The date by which the participation must be answered: its own (a promotion's) or the
    cohort's; None while neither is set."""
    if participation.answer_by:
        return participation.answer_by
    return cohort_date if cohort_date is not None else cohort_deadline(participation.place.cohort)


def _lock(cohort, office):
    OfficeSchedule.objects.select_for_update().filter(cohort=cohort, office=office).first()


def _locked_participation(participation):
    place = participation.place
    _lock(place.cohort_id, place.office_id)
    return Participation.objects.select_related(
        "place__cohort", "place__office", "application__municipality__county__office", "changed_by"
    ).get(pk=participation.pk)


def _name(participation):
    return participation.application.municipality.name


def _not_holding(participation):
    return DecisionError(
        _("%(name)s har ikke lenger plassen: %(status)s (%(when)s, %(by)s).")
        % {
            "name": _name(participation),
            "status": participation.get_status_display().lower(),
            "when": date_and_time(participation.changed_at, "lang"),
            "by": person(participation.changed_by) if participation.changed_by else _("ukjent"),
        }
    )


@transaction.atomic
def confirm(*, participation, contact_name, contact_email="", contact_phone="", actor, now=None):
    """The municipality confirms its place by the answer deadline and names its contact for
    the guidance period."""
    now = now or timezone.now()
    participation = _locked_participation(participation)
    if participation.status == Participation.Status.CONFIRMED:
        raise DecisionError(
            _("%(name)s har allerede bekreftet plassen %(when)s.")
            % {"name": _name(participation), "when": date_and_time(participation.answered_at)}
        )
    if participation.status != Participation.Status.WAITING:
        raise _not_holding(participation)
    deadline = answer_deadline(participation)
    if deadline is not None and now >= deadline_end(deadline):
        raise DecisionError(
            _(
                "Svarfristen var %(date)s. Plassen kan ikke bekreftes etter fristen; ta kontakt "
                "med embetet."
            )
            % {"date": _day(deadline)}
        )
    if not contact_name.strip():
        raise DecisionError(_("Skriv navnet på kommunens kontaktperson i veiledningsperioden."))
    participation.status = Participation.Status.CONFIRMED
    participation.contact_name = contact_name.strip()
    participation.contact_email = contact_email.strip()
    participation.contact_phone = contact_phone.strip()
    participation.answered_at = now
    participation.changed_by = actor
    participation.changed_at = now
    participation.save()
    record(
        actor=actor,
        action="participation.confirmed",
        obj=participation.application,
        before={"status": Participation.Status.WAITING},
        after={
            "status": participation.status,
            "contact_name": participation.contact_name,
            "contact_email": participation.contact_email,
            "contact_phone": participation.contact_phone,
        },
    )
    return participation


def _leave(participation, *, status, reason, left_on, actor, now):
    before = {"status": participation.status}
    participation.status = status
    participation.reason = reason.strip()
    participation.left_on = left_on
    participation.changed_by = actor
    participation.changed_at = now
    if status == Participation.Status.DECLINED:
        participation.answered_at = now
    participation.save()
    place = participation.place
    place.status = Place.Status.FREE
    place.freed_at = now
    place.save(update_fields=["status", "freed_at"])
    record(
        actor=actor,
        action=LEAVING[status],
        obj=participation.application,
        before=before,
        after={
            "status": status,
            "reason": participation.reason,
            "left_on": left_on.isoformat() if left_on else None,
            "place": place.pk,
        },
    )
    # The letters part confirms it to the municipality and tells the office.
    place_freed.send(sender=Participation, participation=participation, actor=actor)
    return participation


@transaction.atomic
def decline(*, participation, reason, actor, now=None):
    """The municipality declines its place, with a reason; the place becomes free."""
    now = now or timezone.now()
    participation = _locked_participation(participation)
    if participation.status == Participation.Status.CONFIRMED:
        raise DecisionError(
            _(
                "%(name)s har bekreftet plassen og kan ikke takke nei nå. Vil kommunen likevel "
                "ikke delta, registrer at den trekker seg, med dato og begrunnelse."
            )
            % {"name": _name(participation)}
        )
    if participation.status != Participation.Status.WAITING:
        raise _not_holding(participation)
    if not reason.strip():
        raise DecisionError(_("Skriv hvorfor kommunen takker nei."))
    return _leave(
        participation,
        status=Participation.Status.DECLINED,
        reason=reason,
        left_on=timezone.localdate(now),
        actor=actor,
        now=now,
    )


@transaction.atomic
def mark_no_answer(*, participation, reason, actor, now=None):
    """Udir marks that the municipality did not answer by the deadline; the place becomes free."""
    now = now or timezone.now()
    participation = _locked_participation(participation)
    if participation.status != Participation.Status.WAITING:
        raise (
            _not_holding(participation)
            if not participation.holds_place
            else DecisionError(
                _("%(name)s har bekreftet plassen.") % {"name": _name(participation)}
            )
        )
    deadline = answer_deadline(participation)
    if deadline is None or now < deadline_end(deadline):
        raise DecisionError(
            _("Svarfristen er ikke ute ennå (%(date)s); %(name)s kan fortsatt svare.")
            % {
                "date": _day(deadline) if deadline else _("ikke satt"),
                "name": _name(participation),
            }
        )
    if not reason.strip():
        raise DecisionError(_("Skriv en begrunnelse for at plassen blir ledig."))
    return _leave(
        participation,
        status=Participation.Status.NO_ANSWER,
        reason=reason,
        left_on=timezone.localdate(now),
        actor=actor,
        now=now,
    )


@transaction.atomic
def withdraw(*, participation, left_on, reason, actor, now=None):
    """The municipality withdraws from its place after all (registered by itself, its office
    or Udir), with the date and the reason; the place becomes free."""
    now = now or timezone.now()
    participation = _locked_participation(participation)
    if not participation.holds_place:
        raise _not_holding(participation)
    if left_on is None:
        raise DecisionError(_("Skriv datoen kommunen trakk seg."))
    publication = Publication.objects.get(cohort_id=participation.place.cohort_id)
    published_on = timezone.localdate(publication.published_at)
    if left_on < published_on:
        raise DecisionError(
            _("Datoen kan ikke være før utvalget ble publisert (%(date)s).")
            % {"date": _day(published_on)}
        )
    if left_on > timezone.localdate(now):
        raise DecisionError(_("Datoen kan ikke være fram i tid."))
    if not reason.strip():
        raise DecisionError(_("Skriv hvorfor kommunen trekker seg."))
    return _leave(
        participation,
        status=Participation.Status.WITHDRAWN,
        reason=reason,
        left_on=left_on,
        actor=actor,
        now=now,
    )


@dataclass
class ReserveProposal:
    """Who the free places of an office should go to, and why."""

    office: object
    capacity: int
    holding: int
    proposed: object = None  # the ranked row of the next reserve, or None
    reserves: list = field(default_factory=list)  # every reserve still waiting, ranked
    skipped: list = field(default_factory=list)  # (row, why) passed over before the proposed
    reason: str = ""

    @property
    def room(self):
        return self.capacity - self.holding


def _reserve_rows(cohort, office):
    """The office's reserves still waiting, in the office's ranking."""
    rows = decisions.ranking(cohort=cohort, office_ids=[office.pk])
    reserve_ids = set(
        Decision.objects.filter(
            application__cohort=cohort,
            application__municipality__county__office=office,
            outcome=Outcome.RESERVE,
            application__participation__isnull=True,
        ).values_list("application_id", flat=True)
    )
    return [row for row in rows if row.application.pk in reserve_ids]


def propose_reserve(*, cohort, office):
    """The next reserve in the office's ranking for a free place: it must pass the
    participation gate (criterion 6), and the office must have room under its capacity."""
    schedule = OfficeSchedule.objects.get(cohort=cohort, office=office)
    holding = Participation.objects.filter(
        place__cohort=cohort, place__office=office, status__in=Participation.HOLDING
    ).count()
    result = ReserveProposal(office=office, capacity=schedule.capacity, holding=holding)
    result.reserves = _reserve_rows(cohort, office)
    for row in result.reserves:
        if row.eligible:
            result.proposed = row
            break
        result.skipped.append(
            (
                row,
                _("oppfyller ikke kravet om full deltakelse (kriterium 6) eller er ikke beregnet"),
            )
        )
    skipped = "; ".join(
        _("%(name)s (plass %(rank)s) er hoppet over: %(why)s")
        % {"name": row.application.municipality.name, "rank": row.position, "why": why}
        for row, why in result.skipped
    )
    if result.room <= 0:
        result.reason = _(
            "%(office)s har allerede %(holding)s kommuner med plass, og kapasiteten er "
            "%(capacity)s: ingen reserve kan tas opp."
        ) % {"office": office.name, "holding": holding, "capacity": schedule.capacity}
        result.proposed = None
    elif result.proposed is None:
        result.reason = _("%(office)s har ingen reserve igjen som oppfyller kravene.") % {
            "office": office.name
        }
    else:
        result.reason = _(
            "%(name)s er neste reserve i rangeringen til %(office)s (plass %(rank)s) og oppfyller "
            "kravet om full deltakelse."
        ) % {
            "name": result.proposed.application.municipality.name,
            "office": office.name,
            "rank": result.proposed.position,
        }
    if skipped:
        result.reason += " " + skipped + "."
    return result


def _locked_place(place):
    _lock(place.cohort_id, place.office_id)
    return Place.objects.select_related("cohort", "office", "settled_by").get(pk=place.pk)


def _not_free(place):
    if place.status == Place.Status.EMPTY:
        return DecisionError(
            _("Plassen er ikke ledig: %(by)s satte den til å stå tom %(when)s.")
            % {
                "by": person(place.settled_by) if place.settled_by else _("en annen"),
                "when": date_and_time(place.settled_at, "lang"),
            }
        )
    holder = place.participations.filter(status__in=Participation.HOLDING).first()
    name = holder.application.municipality.name if holder else "?"
    if place.settled_by is not None:
        return DecisionError(
            _("Plassen er ikke ledig: %(by)s tok opp %(name)s %(when)s. Siden viser det nå.")
            % {
                "by": person(place.settled_by),
                "name": name,
                "when": date_and_time(place.settled_at, "lang"),
            }
        )
    return DecisionError(_("Plassen er ikke ledig: %(name)s har den.") % {"name": name})


def _check_before_start(cohort, now):
    if timezone.localdate(now) >= cohort.start_date:
        raise DecisionError(
            _("Formell oppstart var %(date)s; plassen kan ikke lenger fylles.")
            % {"date": _day(cohort.start_date)}
        )


@transaction.atomic
def promote(*, place, application, reason="", actor, now=None):
    """Udir takes a reserve from the office's reserve list into a free place, in one step.
    Another reserve than the one proposed needs a reason. The promoted municipality answers by
    the cohort's deadline, but gets at least PROMOTED_ANSWER_DAYS days."""
    now = now or timezone.now()
    place = _locked_place(place)
    if place.status != Place.Status.FREE:
        raise _not_free(place)
    _check_before_start(place.cohort, now)
    application = Application.objects.select_related("municipality__county__office").get(
        pk=application.pk
    )
    name = application.municipality.name
    if (
        application.cohort_id != place.cohort_id
        or application.municipality.county.office_id != place.office_id
    ):
        raise DecisionError(
            _("%(name)s hører ikke til %(office)s og kan ikke ta en plass der.")
            % {"name": name, "office": place.office.name}
        )
    proposal = propose_reserve(cohort=place.cohort, office=place.office)
    row = next((r for r in proposal.reserves if r.application.pk == application.pk), None)
    if row is None:
        raise DecisionError(
            _("%(name)s står ikke på reservelisten (eller er allerede tatt opp).") % {"name": name}
        )
    if not row.eligible:
        raise DecisionError(
            _(
                "%(name)s oppfyller ikke kravet om full deltakelse (kriterium 6) og kan ikke tas "
                "opp."
            )
            % {"name": name}
        )
    if proposal.room <= 0:
        raise DecisionError(proposal.reason)
    is_proposed = (
        proposal.proposed is not None and proposal.proposed.application.pk == row.application.pk
    )
    if not is_proposed and not reason.strip():
        raise DecisionError(
            _("Skriv hvorfor du tar opp %(name)s og ikke %(proposed)s, som er neste i rangeringen.")
            % {"name": name, "proposed": proposal.proposed.application.municipality.name}
        )
    cohort_date = cohort_deadline(place.cohort)
    earliest = timezone.localdate(now) + timedelta(days=PROMOTED_ANSWER_DAYS)
    participation = Participation.objects.create(
        application=application,
        place=place,
        answer_by=max(cohort_date, earliest) if cohort_date else earliest,
        promoted=True,
        promotion_reason="" if is_proposed else reason.strip(),
        promoted_rank=row.position,
        changed_by=actor,
        changed_at=now,
    )
    place.status = Place.Status.HELD
    place.settled_by = actor
    place.settled_at = now
    place.save(update_fields=["status", "settled_by", "settled_at"])
    record(
        actor=actor,
        action="reserve.promoted",
        obj=application,
        after={
            "place": place.pk,
            "proposed": proposal.proposed.application.pk if proposal.proposed else None,
            "reason": participation.promotion_reason or proposal.reason,
            "answer_by": participation.answer_by.isoformat(),
        },
    )
    # The letters part sends the decision letter and tells the office.
    reserve_promoted.send(sender=Participation, participation=participation, actor=actor)
    return participation


@transaction.atomic
def leave_empty(*, place, reason, actor, now=None):
    """Udir leaves a free place empty, with a reason."""
    now = now or timezone.now()
    place = _locked_place(place)
    if place.status != Place.Status.FREE:
        raise _not_free(place)
    if not reason.strip():
        raise DecisionError(_("Skriv hvorfor plassen skal stå tom."))
    place.status = Place.Status.EMPTY
    place.empty_reason = reason.strip()
    place.settled_by = actor
    place.settled_at = now
    place.save(update_fields=["status", "empty_reason", "settled_by", "settled_at"])
    record(actor=actor, action="place.left_empty", obj=place, after={"reason": place.empty_reason})
    return place
