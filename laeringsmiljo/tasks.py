"""The core's Celery tasks, and the helper through which the password e-mail is queued."""

from celery import shared_task
from django.utils import translation

from laeringsmiljo.models import GovernorOffice
from laeringsmiljo.passwords import send_password_reset_email
from laeringsmiljo.queue import enqueue_on_commit


@shared_task(name="laeringsmiljo.tasks.health_check")
def health_check():
    """Proves a worker can reach the database: answers how many offices the registry has."""
    return GovernorOffice.objects.count()


@shared_task(
    name="laeringsmiljo.tasks.send_password_reset",
    bind=True,
    max_retries=5,
    default_retry_delay=60,
)
def send_password_reset(self, email, language):
    """Look the address up and mail its users a link to choose a new password, in the language
    of the page where it was asked for; retried if the mail server fails."""
    try:
        with translation.override(language):
            return send_password_reset_email(email=email)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


def queue_password_reset(email, *, when_away):
    """Queue the password e-mail for an address, known or not, once the request commits;
    `when_away(error)` is called if the broker cannot be reached."""
    enqueue_on_commit(send_password_reset, email, translation.get_language(), when_away=when_away)
