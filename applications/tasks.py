"""The receipt e-mail's Celery task and the helper that queues it: the e-mail reaches the
broker only through queue_receipt_email(), which queues on commit and leaves the e-mail
waiting, with the reason, when the broker cannot be reached."""

from celery import shared_task
from django.utils.translation import gettext as _

from applications.notifications import note_receipt_not_queued, send_receipt_email
from laeringsmiljo.queue import enqueue_on_commit


@shared_task(
    name="applications.tasks.send_receipt", bind=True, max_retries=5, default_retry_delay=60
)
def send_receipt(self, application_id):
    """Send the receipt e-mail of an application; retried if the mail server fails."""
    try:
        return send_receipt_email(application_id=application_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


def queue_receipt_email(application):
    """Send the receipt of the application's current submission in the background once the
    transaction commits; if that cannot be queued, the receipt page says why and offers to
    send it again."""
    enqueue_on_commit(
        send_receipt,
        application.pk,
        when_away=lambda error: note_receipt_not_queued(
            application=application,
            reason=_("Køen for bakgrunnsjobber kunne ikke nås (%(error)s).") % {"error": error},
        ),
    )


@shared_task(
    name="applications.tasks.send_access_link", bind=True, max_retries=5, default_retry_delay=60
)
def send_access_link(self, link_id):
    """E-mail the link to take on the contact role; retried if the mail server fails."""
    from applications.access_links import send_access_link_email

    try:
        return send_access_link_email(link_id=link_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


def queue_access_link_email(link):
    """Send the link's e-mail in the background once the transaction commits; if that cannot
    be queued, the reason is recorded and the office can send the link again."""
    from applications.access_links import note_access_link_not_queued

    enqueue_on_commit(
        send_access_link,
        link.pk,
        when_away=lambda error: note_access_link_not_queued(
            link=link,
            reason=_("Køen for bakgrunnsjobber kunne ikke nås (%(error)s).") % {"error": error},
        ),
    )


@shared_task(
    name="applications.tasks.send_commitment_request",
    bind=True,
    max_retries=5,
    default_retry_delay=60,
)
def send_commitment_request(self, commitment_id, round):
    """E-mail a signatory the link to confirm their unit's commitment; retried if the mail
    server fails."""
    from applications.commitments import send_commitment_email

    try:
        return send_commitment_email(commitment_id=commitment_id, round=round)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


def queue_commitment_email(commitment):
    """Send the request's e-mail in the background once the transaction commits; if that
    cannot be queued, the reason is recorded and the part offers to send it again."""
    from applications.commitments import note_not_queued

    enqueue_on_commit(
        send_commitment_request,
        commitment.pk,
        commitment.round,
        when_away=lambda error: note_not_queued(
            commitment=commitment,
            reason=_("Køen for bakgrunnsjobber kunne ikke nås (%(error)s).") % {"error": error},
        ),
    )


@shared_task(
    name="applications.tasks.send_office_question",
    bind=True,
    max_retries=5,
    default_retry_delay=60,
)
def send_office_question(self, question_id):
    """E-mail the municipality about the office's question; retried if the mail server fails."""
    from applications.office_questions import send_question_email

    try:
        return send_question_email(question_id=question_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


def queue_office_question_email(question):
    """Tell the municipality of the question in the background once the transaction commits;
    if that cannot be queued, the audit log says why."""
    from applications.office_questions import note_not_queued

    enqueue_on_commit(
        send_office_question,
        question.pk,
        when_away=lambda error: note_not_queued(
            question=question,
            reason=_("Køen for bakgrunnsjobber kunne ikke nås (%(error)s).") % {"error": error},
        ),
    )
