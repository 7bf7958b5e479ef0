"""The scheduled reminders, computed from the cohort each time Celery beat asks: for every
invited municipality that has not sent its application, the latest step of its cohort whose
time has come (so many days before its deadline, at the step's time of day in Oslo) gets one
reminder to the municipality and one to the signatories who have not answered.

The deadline is the application's own when the office reopened it, otherwise the office's;
a deadline that moves moves every step not yet sent, and a step sent stays sent. Nothing is
kept of the schedule but the reminders themselves: the constraint on them
(one_scheduled_reminder_per_step) makes each once, however many beats or workers run."""

import datetime
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.access import contact_person_of
from applications.commitments import parties
from applications.models import (
    Application,
    ApplicationKindergarten,
    ApplicationSchool,
    Commitment,
)
from laeringsmiljo.models import AuditEvent, OfficeSchedule, deadline_end
from laeringsmiljo.times import long_date
from selection.followup import reminders
from selection.followup.models import Reminder, ReminderKind, ReminderStep
from selection.process.models import Invitation

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def step_time(step, deadline):
    """When the step falls for a deadline: so many days before it, at its time in Oslo (a
    wall-clock time, so 09:00 stays 09:00 across a change to or from summer time)."""
    day = deadline - datetime.timedelta(days=step.days_before)
    return datetime.datetime.combine(day, step.send_time, tzinfo=OSLO)


def due_step(steps, deadline, *, now, not_before):
    """The latest of the steps whose time has come, after `not_before` (the invitation) and
    before the deadline has passed; None if none. An earlier step missed meanwhile is not
    sent as well: the municipality gets one reminder, the latest."""
    if deadline is None or now >= deadline_end(deadline):
        return None
    due = [step for step in steps if not_before <= step_time(step, deadline) <= now]
    return min(due, key=lambda step: step.days_before) if due else None


def waiting_signatories(application):
    """The open requests that were sent and not answered, with their parties' labels, in the
    part's order: [(party label, commitment)]."""
    open_requests = {c.slot: c for c in application.open_requests}
    found = []
    for party in parties(
        application, list(application.schools.all()), list(application.kindergartens.all())
    ):
        commitment = open_requests.get(party.key)
        if commitment is not None and commitment.sent_at and not commitment.answer:
            found.append((party.label, commitment))
    return found


def _applications(cohort_ids, municipality_ids):
    return {
        (a.cohort_id, a.municipality_id): a
        for a in Application.objects.filter(
            cohort_id__in=cohort_ids, municipality_id__in=municipality_ids
        ).prefetch_related(
            Prefetch("schools", queryset=ApplicationSchool.objects.select_related("school")),
            Prefetch(
                "kindergartens",
                queryset=ApplicationKindergarten.objects.select_related("kindergarten"),
            ),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.filter(voided_at__isnull=True).order_by("pk"),
                to_attr="open_requests",
            ),
        )
    }


def send_due_reminders(*, now=None):
    """Order every scheduled reminder whose time has come, once each, and queue again those
    ordered long ago and still not sent. Run by Celery beat; safe to run at any time, as
    often as it likes, from several beats at once. Returns the number ordered."""
    now = now or timezone.now()
    steps = defaultdict(list)
    for step in ReminderStep.objects.filter(cohort__start_date__gte=timezone.localdate(now)):
        steps[step.cohort_id].append(step)
    invitations = list(
        Invitation.objects.filter(cohort_id__in=steps).select_related(
            "cohort", "municipality__county__office"
        )
    )
    applications = _applications(list(steps), [i.municipality_id for i in invitations])
    schedules = {
        (s.cohort_id, s.office_id): s for s in OfficeSchedule.objects.filter(cohort_id__in=steps)
    }
    reopened_at = _reopened_at([a.pk for a in applications.values() if a.deadline_override])
    ordered = 0
    for invitation in invitations:
        municipality = invitation.municipality
        application = applications.get((invitation.cohort_id, municipality.pk))
        if application is not None and application.is_submitted:
            continue
        schedule = schedules.get((invitation.cohort_id, municipality.county.office_id))
        if application is not None:
            deadline = application.deadline(schedule)
        else:
            deadline = schedule.application_deadline if schedule else None
        # A step that fell before the invitation, or before the reopening that gave the
        # application its own deadline, is not sent late.
        not_before = invitation.invited_at
        if application is not None and application.pk in reopened_at:
            not_before = max(not_before, reopened_at[application.pk])
        step = due_step(steps[invitation.cohort_id], deadline, now=now, not_before=not_before)
        if step is None:
            continue
        ordered += _order_step(invitation, application, deadline, step, now=now)
    _requeue_stranded(now)
    return ordered


def _reopened_at(application_ids):
    """When each of the applications was last reopened (one query)."""
    return {
        int(object_id): at
        for object_id, at in AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id__in=[str(pk) for pk in application_ids],
            action="application.reopened",
        )
        .values_list("object_id")
        .annotate(at=Max("at"))
    }


def _made(invitation, kind, step, own_deadline):
    return Reminder.objects.filter(
        cohort_id=invitation.cohort_id,
        municipality_id=invitation.municipality_id,
        kind=kind,
        days_before=step.days_before,
        own_deadline=own_deadline,
    ).exists()


def _order_step(invitation, application, deadline, step, *, now):
    """The step's reminders for one municipality, each in its own savepoint: a second beat
    that gets there at the same time meets the constraint and orders nothing."""
    own_deadline = application is not None and application.deadline_override is not None
    cohort, municipality = invitation.cohort, invitation.municipality
    ordered = 0
    with transaction.atomic():
        # Two beats take turns per municipality; the constraint holds in any case.
        Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        if not _made(invitation, ReminderKind.APPLICATION, step, own_deadline):
            recipients = reminders.application_recipients(
                municipality, application, contact_person_of(application) if application else None
            )
            if not reminders.reason_not_to_remind(
                application=application, deadline=deadline, recipients=recipients, now=now
            ):
                ordered += _once(
                    lambda: reminders.order_application_reminder(
                        cohort=cohort,
                        municipality=municipality,
                        application=application,
                        deadline=deadline,
                        recipients=recipients,
                        days_before=step.days_before,
                        own_deadline=own_deadline,
                    )
                )
        waiting = waiting_signatories(application) if application is not None else []
        if waiting and not _made(invitation, ReminderKind.SIGNATORY, step, own_deadline):
            ordered += _once(
                lambda: order_signatory_reminder(
                    cohort=cohort,
                    municipality=municipality,
                    application=application,
                    deadline=deadline,
                    waiting=waiting,
                    days_before=step.days_before,
                    own_deadline=own_deadline,
                )
            )
    return ordered


def _once(order):
    try:
        with transaction.atomic():
            order()
    except IntegrityError:  # another beat made it first
        return 0
    return 1


def order_signatory_reminder(
    *, cohort, municipality, application, deadline, waiting, days_before, own_deadline
):
    """The reminder to the signatories who have not answered: one text in the
    municipality's written standard naming who is awaited, e-mailed to each of them alone."""
    language = municipality.letter_language()
    with translation.override(language):
        lines = "\n".join(
            "- "
            + _("%(party)s: %(name)s, spurt %(day)s")
            % {
                "party": label,
                "name": commitment.name,
                "day": long_date(commitment.sent_at),
            }
            for label, commitment in waiting
        )
        return reminders.order_reminder(
            kind=ReminderKind.SIGNATORY,
            cohort=cohort,
            municipality=municipality,
            application=application,
            deadline=deadline,
            recipients=list(dict.fromkeys(c.email.strip().lower() for _label, c in waiting)),
            values={"waiting": lines},
            missing=lines,
            days_before=days_before,
            own_deadline=own_deadline,
            language=language,
        )


def _requeue_stranded(now):
    """A reminder ordered this long ago and not sent has lost its task (a worker that died
    with it, a queue that was away): queue it again; it is sent once in any case."""
    before = now - datetime.timedelta(seconds=settings.LETTER_STRANDED_AFTER)
    from selection.followup.tasks import queue_reminder  # the task calls back into reminders

    for reminder in Reminder.objects.filter(sent_at__isnull=True, created_at__lt=before):
        queue_reminder(reminder)
