"""Starting and running an archive extract: one at a time per cohort (Udir) or per office's
part, made by a worker, with its progress and its ZIP kept for download."""

import hashlib
import tempfile

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laeringsmiljo.audit import record
from laeringsmiljo.models import Cohort
from laeringsmiljo.times import date_and_time
from selection.archive.extract import ChecksumMismatch, posts_of, write_extract
from selection.archive.models import ArchiveExport

PROGRESS_EVERY = 10


class ExportRefused(Exception):
    """An extract that cannot start; the message says why, in Norwegian."""


def _running_message(export):
    return _(
        "Et arkivuttrekk av %(scope)s pågår allerede (bestilt %(at)s). Vent til det er ferdig, "
        "og last det ned der."
    ) % {
        "scope": export.office.name if export.office else _("hele puljen"),
        "at": date_and_time(export.created_at),
    }


def start_export(*, cohort, office, actor):
    """Order an extract of the cohort (office None: all of it) and queue its task. Refused,
    with nothing changed, while another extract of the same cohort or office runs."""
    # The task's module queues through the helper there: a real cycle, so imported here.
    from selection.archive.tasks import queue_export

    scope = ArchiveExport.scope_of(cohort=cohort, office=office)
    with transaction.atomic():
        # The cohort's row serialises two starts at the same moment; the unique constraint on
        # a running scope holds even where the lock is not taken (SQLite locks the database).
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        running = (
            ArchiveExport.objects.select_related("office")
            .filter(scope=scope, status=ArchiveExport.Status.RUNNING)
            .first()
        )
        if running is not None:
            raise ExportRefused(_running_message(running))
        try:
            with transaction.atomic():
                export = ArchiveExport.objects.create(
                    cohort=cohort,
                    office=office,
                    scope=scope,
                    total=posts_of(cohort=cohort, office=office).count(),
                    requested_by=actor,
                )
        except IntegrityError as error:
            running = ArchiveExport.objects.select_related("office").get(
                scope=scope, status=ArchiveExport.Status.RUNNING
            )
            raise ExportRefused(_running_message(running)) from error
        record(
            actor=actor,
            action="archive.export_started",
            obj=export,
            after={"cohort": cohort.pk, "office": office.pk if office else None},
        )
        queue_export(export)
    return export


def fail_export(*, export_id, reason, actor=None):
    """Mark a running extract failed with the reason; the next one may start."""
    with transaction.atomic():
        export = ArchiveExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status != ArchiveExport.Status.RUNNING:
            return export
        export.status = ArchiveExport.Status.FAILED
        export.failure = reason
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "failure", "finished_at"])
        record(actor=actor, action="archive.export_failed", obj=export, after={"reason": reason})
    return export


def run_export(*, export_id):
    """Make the extract's ZIP: each document is checked against its checksum as it is
    written; a mismatch stops the extract and names the document. Safe to run again: a
    finished or failed extract is left as it is."""
    export = ArchiveExport.objects.select_related("cohort", "office").filter(pk=export_id).first()
    if export is None or export.status != ArchiveExport.Status.RUNNING:
        return export

    def progress(done):
        # Every tenth document is enough for the page's «n av N», and keeps the writes few.
        if done % PROGRESS_EVERY == 0:
            ArchiveExport.objects.filter(pk=export.pk).update(done=done)

    with tempfile.TemporaryFile() as handle:
        try:
            total = write_extract(
                handle, cohort=export.cohort, office=export.office, progress=progress
            )
        except ChecksumMismatch as mismatch:
            return fail_export(export_id=export.pk, reason=str(mismatch))
        handle.seek(0)
        digest = hashlib.file_digest(handle, "sha256")
        handle.seek(0)
        name = f"arkivuttrekk-pulje-{export.cohort.number}"
        if export.office is not None:
            name += f"-{export.office.code}"
        with transaction.atomic():
            locked = ArchiveExport.objects.select_for_update().get(pk=export.pk)
            if locked.status != ArchiveExport.Status.RUNNING:
                return locked
            locked.file.save(f"{name}.zip", File(handle), save=False)
            locked.sha256 = digest.hexdigest()
            locked.status = ArchiveExport.Status.DONE
            locked.total = total
            locked.done = total
            locked.finished_at = timezone.now()
            locked.save(update_fields=["file", "sha256", "status", "total", "done", "finished_at"])
            record(
                actor=None,
                action="archive.export_finished",
                obj=locked,
                after={"documents": total, "sha256": locked.sha256},
            )
    return locked
