from celery import shared_task

from applications.notifications import send_receipt_email


@shared_task(
    name="applications.tasks.send_receipt", bind=True, max_retries=5, default_retry_delay=60
)
def send_receipt(self, application_id):
    """Send the receipt e-mail of an application; retried if the mail server fails."""
    try:
        return send_receipt_email(application_id=application_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc
