"""The receipt e-mail of a submitted application."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from applications.models import Application
from laeringsmiljo.audit import latest_event, record
from laeringsmiljo.emails import send_templated_email, with_email
from laeringsmiljo.times import date_and_time

RECEIPT_NOT_QUEUED = "application.receipt_not_queued"
RECEIPT_REQUEUED = "application.receipt_requeued"


def receipt_recipients(application):
    recipients = [application.contact_email, application.municipality.email]
    return list(dict.fromkeys(address for address in recipients if address))


def send_receipt_email(*, application_id):
    """Send the receipt of the application's current submission once, in the municipality's
    written standard, to the contact person and the municipality. Safe to run again."""
    with transaction.atomic():
        # Lock the application's row alone: PostgreSQL refuses FOR UPDATE on the nullable side
        # of the outer joins that ppt_service and submitted_by bring.
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("cohort", "municipality__county__office", "ppt_service", "submitted_by")
            .get(pk=application_id)
        )
        if not application.is_submitted or application.receipt_sent_for == application.reference:
            return False
        recipients = receipt_recipients(application)
        if not recipients:
            return False
        office = application.municipality.county.office
        language = application.municipality.letter_language()
        send_templated_email(
            "receipt",
            receipt_values(application, language),
            language=language,
            to=recipients,
            reply_to=office.email,
        )
        application.receipt_sent_for = application.reference
        application.save(update_fields=["receipt_sent_for"])
    return True


def _lines(names, none):
    return "\n".join(f"- {name}" for name in names) or none


def receipt_values(application, language):
    """The placeholder values of the receipt e-mail, in the recipient's written standard."""
    office = application.municipality.county.office
    submitter = application.submitted_by
    submitted_at = date_and_time(application.submitted_at)
    if submitter:
        submitted_at += f" ({submitter.get_full_name() or submitter.username})"
    with translation.override(language):
        none = _("ingen")
        return {
            "municipality": application.municipality.name,
            "cohort": application.cohort.name,
            "reference": application.reference,
            "submitted_at": submitted_at,
            "contact": ", ".join(
                part
                for part in (
                    application.contact_name,
                    application.contact_email,
                    application.contact_phone,
                )
                if part
            ),
            "schools": _lines(
                (u.school.name for u in application.schools.select_related("school")), none
            ),
            "kindergartens": _lines(
                (
                    u.kindergarten.name
                    for u in application.kindergartens.select_related("kindergarten")
                ),
                none,
            ),
            "ppt": application.ppt_service.name if application.ppt_service else none,
            "attachments": _lines((a.original_name for a in application.attachments.all()), none),
            "office": office.name,
            "office_contact": with_email(office.name, office.email),
            "service_url": settings.SITE_URL + "/",
        }


def note_receipt_not_queued(*, application, reason):
    """Record that the receipt e-mail of this submission could not be queued, and why."""
    record(
        actor=None,
        action=RECEIPT_NOT_QUEUED,
        obj=application,
        after={"reference": application.reference, "reason": reason},
    )


def receipt_waiting_reason(application):
    """Why the receipt e-mail of the current submission waits, or "" when it is sent or on
    its way."""
    if not application.is_submitted or application.receipt_sent_for == application.reference:
        return ""
    latest = latest_event(
        obj=application,
        actions=[RECEIPT_NOT_QUEUED, RECEIPT_REQUEUED],
        reference=application.reference,
    )
    if latest is None or latest.action != RECEIPT_NOT_QUEUED:
        return ""
    return latest.after["reason"]
