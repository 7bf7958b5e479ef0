"""The receipt e-mail of a submitted application."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from applications.models import Application
from laeringsmiljo.audit import latest_event, record

RECEIPT_NOT_QUEUED = "application.receipt_not_queued"
RECEIPT_REQUEUED = "application.receipt_requeued"


def send_templated_email(name, context, *, language, to, reply_to=None):
    """Send the e-mail whose subject and body are the templates
    `applications/email/<name>_subject.txt` and `<name>_body.txt`, rendered in `language`
    (the recipient's written standard)."""
    with translation.override(language):
        subject = render_to_string(f"applications/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"applications/email/{name}_body.txt", context)
    EmailMessage(
        subject=subject, body=body, to=to, reply_to=[reply_to] if reply_to else None
    ).send()


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
        context = {
            "application": application,
            "schools": application.schools.select_related("school"),
            "kindergartens": application.kindergartens.select_related("kindergarten"),
            "attachments": application.attachments.all(),
            "office": application.municipality.county.office,
            "deadline": application.deadline(),
            "site_url": settings.SITE_URL,
        }
        send_templated_email(
            "receipt",
            context,
            language=application.municipality.letter_language(),
            to=recipients,
            reply_to=context["office"].email,
        )
        application.receipt_sent_for = application.reference
        application.save(update_fields=["receipt_sent_for"])
    return True


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
