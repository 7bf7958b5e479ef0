"""The follow-up's Celery tasks and the helper that queues a reminder: a reminder reaches the
broker only through queue_reminder(), which queues on commit and leaves the reminder waiting,
with the reason, when the broker cannot be reached."""

from celery import shared_task
from django.utils.translation import gettext as _

from laeringsmiljo.queue import enqueue_on_commit
from selection.followup import reminders, schedule


@shared_task(
    name="selection.tasks.send_reminder_task", bind=True, max_retries=5, default_retry_delay=60
)
def send_reminder_task(self, reminder_id):
    """Send one reminder e-mail; retried if the mail server fails."""
    try:
        return reminders.deliver(reminder_id=reminder_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task(name="selection.tasks.send_scheduled_reminders_task")
def send_scheduled_reminders_task():
    """The reminders whose step has come (run by Celery beat, see CELERY_BEAT_SCHEDULE);
    each is made once however often, and by however many beats, this runs."""
    return schedule.send_due_reminders()


def queue_reminder(reminder):
    """Send the reminder in the background once the transaction commits; if that cannot be
    queued, the reminder keeps the reason and the board shows it."""
    enqueue_on_commit(
        send_reminder_task,
        reminder.pk,
        when_away=lambda error: reminders.note_not_queued(
            reminder_id=reminder.pk,
            reason=_("Køen for bakgrunnsjobber kunne ikke nås (%(error)s).") % {"error": error},
        ),
    )
