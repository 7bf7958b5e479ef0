"""The Celery tasks of selection, where the worker's autodiscovery looks for them. Each task
lives in its part and keeps its name (`selection.tasks.<name>`) wherever it lives."""

from selection.archive.tasks import export_archive_task, journal_submission_task
from selection.followup.tasks import send_reminder_task, send_scheduled_reminders_task
from selection.letters.tasks import (
    email_office_task,
    generate_letter_task,
    generate_letters_task,
    requeue_stranded_letters_task,
    send_letter_task,
    send_test_letter_task,
    settle_cohorts_task,
    start_decision_letters_task,
)

__all__ = [
    "email_office_task",
    "export_archive_task",
    "generate_letter_task",
    "generate_letters_task",
    "journal_submission_task",
    "requeue_stranded_letters_task",
    "send_letter_task",
    "send_reminder_task",
    "send_scheduled_reminders_task",
    "send_test_letter_task",
    "settle_cohorts_task",
    "start_decision_letters_task",
]
