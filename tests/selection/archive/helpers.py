import io
import zipfile

from django.core.files.base import ContentFile

from applications.models import Attachment
from selection.archive import journal
from selection.letters.outbox import send_batch
from selection.models import Letter
from tests.applications.factories import pdf_bytes
from tests.factories import udir_user
from tests.selection.letters.test_decision_letter import _decided_letters


def journaled_cohort(capture, *, language="nb"):
    """A practice cohort of three submitted applications (one with an attachment), each with
    its decision letter made and sent by Udir, and everything journaled. Returns the sent
    letters by outcome."""
    made = _decided_letters(language, django_capture_on_commit_callbacks=capture)
    letter = made["valgt"]
    cohort = letter.cohort
    cohort.is_practice = True
    cohort.save()
    Attachment.objects.create(
        application=letter.application,
        file=ContentFile(pdf_bytes(2), name="vedlegg.pdf"),
        original_name="Handlingsplan Kari Nordmann.pdf",
        size=len(pdf_bytes(2)),
        description="Handlingsplan",
    )
    # The applications were submitted before the journal was told: the backfill takes them.
    journal.backfill(cohort=cohort)
    with capture(execute=True):
        send_batch(batch=letter.batch, actor=udir_user())
    for value in made.values():
        value.refresh_from_db()
        assert value.send_status == Letter.SendStatus.SENT
    return made


def read_zip(export):
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))
