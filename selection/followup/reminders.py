"""Reminders to the invited municipalities that have not sent their application: one sent by
hand from the follow-up board, listing exactly what is missing, and (later) the scheduled
ones. The text is filled in when the reminder is ordered, in the municipality's written
standard, and kept as sent; a thin task only sends it."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.access import contact_person_of
from applications.completeness import SECTIONS_BY_SLUG, problems
from applications.models import Application
from laeringsmiljo.audit import record
from laeringsmiljo.emails import send_email
from laeringsmiljo.models import deadline_end
from laeringsmiljo.placeholders import fill
from laeringsmiljo.times import date_and_time, long_date, month_and_year
from selection.followup.models import Reminder, ReminderKind, ReminderTemplate
from selection.process.errors import DecisionError
from selection.process.models import Invitation

ORDERED = "reminder.ordered"
SENT = "reminder.sent"
NOT_QUEUED = "reminder.not_queued"


def _date(value):
    return long_date(value)


def missing_lines(application, schools=None, kindergartens=None, commitments=None):
    """What the application lacks before it can be sent, one line per problem with its part,
    in the active language; for a municipality that has not started, that it has not."""
    if application is None:
        return [_("- Søknaden er ikke påbegynt. Logg inn i tjenesten og start den.")]
    return [
        f"- {SECTIONS_BY_SLUG[problem.section].title}: {problem.message}"
        for problem in problems(application, schools, kindergartens, commitments)
    ]


def application_recipients(municipality, application, contact=None):
    """Where a reminder about the application goes: the contact person (their account and
    the address on the application) and the municipality's registered address."""
    addresses = [
        contact.email if contact else "",
        application.contact_email if application else "",
        municipality.email,
    ]
    return list(dict.fromkeys(address.strip().lower() for address in addresses if address))


def reason_not_to_remind(*, application, deadline, recipients, now=None):
    """Why no reminder about the application may go now, or "": it is sent in, its deadline
    has passed, or there is nobody to send to."""
    now = now or timezone.now()
    if application is not None and application.is_submitted:
        return _("Kommunen har sendt inn søknaden, så den trenger ingen påminnelse.")
    if deadline is None:
        return _("Embetet har ingen søknadsfrist i puljen, så det er ingen frist å minne om.")
    if now >= deadline_end(deadline):
        return _("Fristen var %(deadline)s, så det er for sent for en påminnelse.") % {
            "deadline": long_date(deadline)
        }
    if not recipients:
        return _(
            "Kommunen har verken kontaktperson med e-post eller registrert postmottak, så "
            "påminnelsen kan ikke sendes. Legg inn postmottaket på invitasjonssiden."
        )
    return ""


def _common_values(municipality, cohort):
    office = municipality.county.office
    return {
        "municipality": municipality.name,
        "municipality_number": municipality.number,
        "office": office.name_on(timezone.localdate()),
        "office_email": office.email,
        "cohort": cohort.name,
        "kickoff_date": _date(cohort.kickoff_date),
        "start_date": month_and_year(cohort.start_date),
        "end_date": month_and_year(cohort.end_date),
        "semesters": cohort.semesters,
        "service_url": settings.SITE_URL + "/",
    }


def _template(kind, language):
    template = ReminderTemplate.objects.filter(kind=kind, language=language).first()
    if template is None:
        raise DecisionError(
            _("Det finnes ingen mal for påminnelsen på %(language)s. Legg den inn i admin.")
            % {"language": _("nynorsk") if language == "nn" else _("bokmål")}
        )
    return template


def order_reminder(
    *,
    kind,
    cohort,
    municipality,
    application,
    deadline,
    recipients,
    values,
    missing,
    actor=None,
    days_before=None,
    own_deadline=False,
    language=None,
):
    """Make a reminder of the kind with its text filled in now from the kind's template in
    the municipality's written standard (`values` are the kind's own placeholders), keep it
    as it is to be sent, and queue its sending. Call it inside the transaction that decided
    it should go."""
    language = language or municipality.letter_language()
    with translation.override(language):
        template = _template(kind, language)
        values = {**_common_values(municipality, cohort), "deadline": _date(deadline), **values}
        subject, body = fill(template.subject, values), fill(template.body, values)
    reminder = Reminder.objects.create(
        cohort=cohort,
        municipality=municipality,
        kind=kind,
        days_before=days_before,
        own_deadline=own_deadline,
        deadline=deadline,
        language=language,
        recipients="\n".join(recipients),
        subject=subject,
        body=body,
        missing=missing,
        requested_by=actor,
    )
    record(
        actor=actor,
        action=ORDERED,
        obj=application or municipality,
        after={
            "reminder": reminder.pk,
            "kind": reminder.kind,
            "days_before": days_before,
            "own_deadline": own_deadline,
            "deadline": deadline.isoformat(),
            "recipients": recipients,
            "missing": missing,
        },
    )
    from selection.followup.tasks import queue_reminder  # the task calls back into this module

    queue_reminder(reminder)
    return reminder


def order_application_reminder(
    *,
    cohort,
    municipality,
    application,
    deadline,
    recipients,
    actor=None,
    days_before=None,
    own_deadline=False,
):
    """The reminder to the municipality that lists exactly what its application lacks now,
    in its written standard (see order_reminder)."""
    language = municipality.letter_language()
    with translation.override(language):
        missing = "\n".join(missing_lines(application))
    return order_reminder(
        kind=ReminderKind.APPLICATION,
        cohort=cohort,
        municipality=municipality,
        application=application,
        deadline=deadline,
        recipients=recipients,
        values={"missing": missing},
        missing=missing,
        actor=actor,
        days_before=days_before,
        own_deadline=own_deadline,
        language=language,
    )


@transaction.atomic
def remind_municipality(*, cohort, municipality, actor, expected_count, now=None):
    """Send an invited municipality that has not sent its application a reminder listing
    exactly what it lacks, from the board. `expected_count` is the number of reminders the
    board showed: a second click on the same board sends nothing more. Refused, with the
    reason, for an application sent in meanwhile, a deadline that has passed, or a
    municipality without an address."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(cohort=cohort, municipality=municipality)
        .first()
    )
    if invitation is None:
        raise DecisionError(
            _("%(name)s er ikke invitert til puljen.") % {"name": municipality.name}
        )
    earlier = list(
        Reminder.objects.filter(
            cohort=cohort, municipality=municipality, kind=ReminderKind.APPLICATION
        ).order_by("-created_at", "-pk")
    )
    if len(earlier) != expected_count:
        raise DecisionError(
            _(
                "%(name)s fikk en påminnelse %(at)s, etter at du åpnet siden. Det er ikke sendt "
                "en ny."
            )
            % {
                "name": municipality.name,
                "at": date_and_time(earlier[0].created_at),
            }
            if earlier
            else _("Siden var ikke oppdatert. Se over raden og prøv igjen.")
        )
    application = (
        Application.objects.select_for_update(of=("self",))
        .filter(cohort=cohort, municipality=municipality)
        .first()
    )
    schedule = municipality.county.office.schedules.filter(cohort=cohort).first()
    deadline = (
        application.deadline(schedule)
        if application is not None
        else (schedule.application_deadline if schedule else None)
    )
    recipients = application_recipients(
        municipality, application, contact_person_of(application) if application else None
    )
    reason = reason_not_to_remind(
        application=application, deadline=deadline, recipients=recipients, now=now
    )
    if reason:
        raise DecisionError(
            _("Ingen påminnelse til %(name)s: %(reason)s")
            % {
                "name": municipality.name,
                "reason": reason,
            }
        )
    return order_application_reminder(
        cohort=cohort,
        municipality=municipality,
        application=application,
        deadline=deadline,
        recipients=recipients,
        actor=actor,
    )


def deliver(*, reminder_id):
    """Send one reminder as it was ordered, once; safe to run again. Returns whether it was
    sent now."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("municipality__county__office")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.sent_at is not None:
            return False
        # The municipality's own addresses share one e-mail; each signatory gets their own.
        if reminder.kind == ReminderKind.SIGNATORY:
            addressees = [[address] for address in reminder.recipient_list]
        else:
            addressees = [reminder.recipient_list]
        for to in addressees:
            send_email(
                reminder.subject,
                reminder.body,
                to=to,
                reply_to=reminder.municipality.county.office.email or None,
            )
        reminder.sent_at = timezone.now()
        reminder.failure = ""
        reminder.save(update_fields=["sent_at", "failure"])
        record(
            actor=None,
            action=SENT,
            obj=reminder,
            after={"recipients": reminder.recipient_list},
        )
    return True


def note_not_queued(*, reminder_id, reason):
    """Record why a reminder waits: the queue could not be reached."""
    Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(failure=reason)
