"""The archive's Celery tasks and the helpers that queue them, through the one door to the
broker (laeringsmiljo.queue)."""

from celery import shared_task
from django.utils.translation import gettext as _

from laeringsmiljo.audit import record
from laeringsmiljo.queue import enqueue_on_commit
from selection.archive import exports, journal


def _broker_away(error):
    return _("Køen for bakgrunnsjobber kunne ikke nås (%(error)s).") % {"error": error}


@shared_task(
    name="selection.tasks.journal_submission_task", bind=True, max_retries=5, acks_late=True
)
def journal_submission_task(self, application_id):
    """Journal a submitted application and its attachments; each post is made once."""
    try:
        return len(journal.journal_submission(application_id=application_id))
    except OSError as exc:
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(name="selection.tasks.export_archive_task", acks_late=True)
def export_archive_task(export_id):
    """Make one archive extract; a finished or failed one is left as it is."""
    export = exports.run_export(export_id=export_id)
    return export.status if export is not None else None


def queue_journal_submission(application):
    """Journal the application once the submission commits; if that cannot be queued, the
    audit log says why (the backfill journals it later)."""
    enqueue_on_commit(
        journal_submission_task,
        application.pk,
        when_away=lambda error: record(
            actor=None,
            action="journal.not_queued",
            obj=application,
            after={"reason": _broker_away(error)},
        ),
    )


def queue_export(export):
    """Make the extract once the order commits; if that cannot be queued, the extract is
    marked failed with the reason, and a new one can be ordered."""
    enqueue_on_commit(
        export_archive_task,
        export.pk,
        when_away=lambda error: exports.fail_export(
            export_id=export.pk, reason=_broker_away(error)
        ),
    )
