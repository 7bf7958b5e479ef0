"""With CELERY_BROKER_URL set (CI: Redis and PostgreSQL), a real Celery worker makes a batch
that waits in the outbox; a template is fixed, the batch made again, «Send alle» pressed twice
with the worker stopped in between: each municipality gets one e-mail, with the corrected
text, and the first version stays in each letter's history."""

import hashlib
import io
import time

from pypdf import PdfReader

from laeringsmiljo.models import AuditEvent
from selection.letters.batches import start_invitation_letters
from selection.letters.outbox import remake_batch, send_batch
from selection.models import Letter, LetterTemplate, LetterVersion
from tests.factories import office_user
from tests.selection.letters.test_letters_worker import (  # noqa: F401 - a fixture
    _invitations,
    celery,
    messages_in,
    pytestmark,
    wait_until_finished,
    wait_until_sent,
)

WRONG = "Denne setningen er feil."
RIGHT = "Denne setningen er rettet."


def _pdf_text(content):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _set_sentence(old, new):
    for template in LetterTemplate.objects.filter(kind="invitation"):
        template.body = template.body.replace(old, new) if old else f"{template.body}\n\n{new}"
        template.save()


def test_a_fixed_template_reaches_every_municipality_once_through_a_restarted_worker(
    celery,  # noqa: F811 - the fixture
):
    cohort, office = _invitations(3)
    user = office_user(office, first_name="Siri", last_name="Saksbehandler")
    _set_sentence(None, WRONG)
    worker = celery.worker()
    batch = start_invitation_letters(cohort=cohort, office=office, actor=user)
    wait_until_finished(batch)
    first = dict(batch.letters.values_list("pk", "sha256"))
    assert len(first) == 3
    # Made, the letters wait in the outbox: nothing has gone out.
    assert set(batch.letters.values_list("send_status", flat=True)) == {"ikke_sendt"}
    assert messages_in(celery.mail_dir) == []

    _set_sentence(WRONG, RIGHT)
    assert remake_batch(batch=batch, actor=user, revision=0) == 3
    # A second press on the same page finds the batch made again already.
    assert remake_batch(batch=batch, actor=user, revision=0) == 0
    wait_until_finished(batch)
    versions = list(LetterVersion.objects.filter(letter__batch=batch))
    assert sorted((v.letter_id, v.sha256) for v in versions) == sorted(first.items())
    for version in versions:
        assert (version.reason, version.replaced_by) == ("laget_paa_nytt", user)
        with version.file.open("rb") as handle:
            content = handle.read()
        assert hashlib.sha256(content).hexdigest() == version.sha256
        assert WRONG in _pdf_text(content)
    assert messages_in(celery.mail_dir) == []

    # The worker stops; «Send alle» is pressed twice meanwhile; a new worker takes the queue.
    worker.terminate()
    worker.wait(timeout=60)
    assert send_batch(batch=batch, actor=user) == 3
    assert send_batch(batch=batch, actor=user) == 0
    celery.worker()
    wait_until_sent(batch, 3)
    assert send_batch(batch=batch, actor=user) == 0
    time.sleep(3)  # time for a second e-mail, were there one

    letters = {
        letter.municipality.email: letter for letter in batch.letters.select_related("municipality")
    }
    sent = messages_in(celery.mail_dir)
    assert sorted(message["To"] for message in sent) == sorted(letters)
    for message in sent:
        letter = letters[message["To"]]
        [pdf] = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
        content = pdf.get_payload(decode=True)
        assert hashlib.sha256(content).hexdigest() == letter.sha256 != first[letter.pk]
        text = _pdf_text(content)
        assert RIGHT in text and WRONG not in text
    assert set(Letter.objects.filter(batch=batch).values_list("released_by", flat=True)) == {
        user.pk
    }
    assert AuditEvent.objects.filter(action="letters.batch_remade").count() == 1
    assert AuditEvent.objects.filter(action="letters.batch_sent").count() == 1
