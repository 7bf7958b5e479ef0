"""With CELERY_BROKER_URL set (CI: Redis and PostgreSQL), a real Celery worker makes a batch of
letters: each a task loaded by id, then the ZIP of the batch; a batch whose worker is killed
in the middle finishes by itself."""

import email
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.db import transaction
from pypdf import PdfReader

from laeringsmiljo.models import AuditEvent
from selection.letters.batches import start_invitation_letters
from selection.letters.outbox import send_batch
from selection.models import Invitation, Letter
from tests.factories import MunicipalityFactory, OfficeScheduleFactory

BASE_DIR = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not (os.environ.get("CELERY_BROKER_URL") and os.environ.get("DATABASE_URL")),
        reason="needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis), as in CI",
    ),
]


# The sweep of stranded letters, quick enough for a test: every second, after five seconds.
SWEEP = {"LETTER_SWEEP_INTERVAL": "1", "LETTER_STRANDED_AFTER": "5"}


class Celery:
    """Real Celery processes on the test database and broker, started from the project folder;
    what is still running at the end of the test is stopped."""

    def __init__(self, env, tmp_path):
        self.env = env
        self.tmp_path = tmp_path
        self.mail_dir = Path(env["EMAIL_FILE_PATH"])
        self.processes = []

    def _start(self, *arguments):
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "--quiet", "--app", "laeringsmiljo",
             *arguments],
            cwd=BASE_DIR,
            env=self.env,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def worker(self):
        from laeringsmiljo.celery import app

        process = self._start(
            "worker", "--concurrency", "2", "--without-gossip", "--without-mingle",
            "--loglevel", "WARNING",
        )  # fmt: skip
        for _ in range(60):
            if app.control.ping(timeout=0.5):
                break
            assert process.poll() is None, "the worker stopped"
        return process

    def beat(self):
        return self._start(
            "beat", "--schedule", str(self.tmp_path / "celerybeat-schedule"), "--loglevel",
            "WARNING",
        )  # fmt: skip

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def celery(migration_data, settings, tmp_path, monkeypatch):
    from laeringsmiljo.celery import app

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laeringsmiljo.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DATABASE_CONN_MAX_AGE": "0",
        "PRIVATE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "e-post"),
        **SWEEP,
    }
    processes = Celery(env, tmp_path)
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    try:
        yield processes
    finally:
        processes.stop()


@pytest.fixture
def worker(celery):
    celery.worker()
    return celery.mail_dir


def _invitations(count):
    """An office with `count` invited municipalities."""
    schedule = OfficeScheduleFactory()
    county = MunicipalityFactory().county
    county.office = schedule.office
    county.save()
    for _ in range(count):
        Invitation.objects.create(
            cohort=schedule.cohort, municipality=MunicipalityFactory(county=county)
        )
    return schedule.cohort, schedule.office


def messages_in(mail_dir):
    """Every e-mail the workers sent, as parsed messages.

    Django's file backend names its file by the second and the connection's id(); two pool
    processes forked from one worker can get the same name and append to one file, so a file
    holds one or more messages, each ended by a line of 79 dashes."""
    separator = b"\n" + b"-" * 79 + b"\n"
    return [
        email.message_from_bytes(raw)
        for path in mail_dir.glob("*.log")
        for raw in path.read_bytes().split(separator)
        if raw.strip()
    ]


def _attachments(mail_dir):
    """The PDF attachments of every e-mail the workers sent."""
    return [
        part.get_filename()
        for message in messages_in(mail_dir)
        for part in message.walk()
        if part.get_content_type() == "application/pdf"
    ]


def wait_until_finished(batch, *, seconds=120):
    """Until every letter of the batch is made (or failed) and its ZIP is there."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.finished_at:
            return
        time.sleep(0.5)
    progress = sorted(Letter.objects.filter(batch=batch).values_list("status", "send_status"))
    raise AssertionError(f"the batch was not made within {seconds} s: {progress}")


def wait_until_sent(batch, count, *, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if Letter.objects.filter(batch=batch, send_status="sendt").count() == count:
            return
        time.sleep(0.5)
    progress = sorted(Letter.objects.filter(batch=batch).values_list("status", "send_status"))
    raise AssertionError(f"the batch was not sent within {seconds} s: {progress}")


def _wait_until_finished_and_sent(batch, count, *, seconds=120):
    """Until the batch is made, then (the letters wait in the outbox, none sent) «Send alle»,
    until every letter is sent."""
    wait_until_finished(batch, seconds=seconds)
    assert not Letter.objects.filter(batch=batch, send_status="sendt").exists()
    send_batch(batch=batch, actor=None)
    wait_until_sent(batch, count, seconds=seconds)


def test_a_worker_makes_sends_and_zips_a_batch_of_invitation_letters(worker):
    cohort, office = _invitations(3)
    batch = start_invitation_letters(cohort=cohort, office=office, actor=None)
    _wait_until_finished_and_sent(batch, 3)
    letters = list(Letter.objects.filter(batch=batch).select_related("municipality"))
    assert [letter.status for letter in letters] == ["laget"] * 3
    for letter in letters:
        with letter.file.open("rb") as handle:
            text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
        assert f"{letter.municipality.name} kommune" in text
    with batch.zip_file.open("rb") as handle:
        assert len(zipfile.ZipFile(io.BytesIO(handle.read())).namelist()) == 3
    assert sorted(_attachments(worker)) == sorted(f"{letter.reference}.pdf" for letter in letters)


def _being_made(batch):
    """How many of the batch's letters are waiting, and how many of those a worker is making
    right now (it holds the letter's row lock until the letter is stored)."""
    with transaction.atomic():
        waiting = list(
            Letter.objects.filter(batch=batch, status="venter").values_list("pk", flat=True)
        )
        free = Letter.objects.filter(pk__in=waiting).select_for_update(skip_locked=True)
        return len(waiting), len(waiting) - len(list(free))


def _wait_until_mid_batch(batch, *, seconds=60):
    """Until some letters are made, one is being made and at least one more waits in the queue
    (before every sending task, which is queued after the letters)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        waiting, being_made = _being_made(batch)
        made = Letter.objects.filter(batch=batch, status="laget").count()
        if made >= 1 and being_made >= 1 and waiting >= 3:
            return
        time.sleep(0.02)
    raise AssertionError("the worker never was in the middle of the batch")


def _pool_processes(pid):
    """The worker's pool processes: the processes whose parent it is."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _assert_one_letter_and_one_email_each(batch, count, mail_dir):
    letters = list(Letter.objects.filter(batch=batch).select_related("municipality"))
    invited = Invitation.objects.filter(cohort=batch.cohort).values_list("municipality", flat=True)
    assert sorted(letter.municipality_id for letter in letters) == sorted(invited)
    assert len(letters) == count
    assert {(letter.status, letter.send_status) for letter in letters} == {("laget", "sendt")}
    assert sorted(_attachments(mail_dir)) == sorted(f"{letter.reference}.pdf" for letter in letters)
    with batch.zip_file.open("rb") as handle:
        assert len(zipfile.ZipFile(io.BytesIO(handle.read())).namelist()) == count


def test_a_batch_finishes_by_itself_after_its_worker_is_killed_in_the_middle(celery):
    cohort, office = _invitations(12)
    first = celery.worker()
    batch = start_invitation_letters(cohort=cohort, office=office, actor=None)
    _wait_until_mid_batch(batch)
    # The whole worker dies at once, as when its container or machine goes: the letters it
    # was making stay unacknowledged in Redis until the visibility timeout (10 minutes).
    for pid in [first.pid, *_pool_processes(first.pid)]:
        os.kill(pid, signal.SIGKILL)
    first.wait()
    waiting, _being = _being_made(batch)
    assert waiting >= 1
    celery.worker()
    celery.beat()
    # Redelivered later, the lost tasks find their letters made and do nothing: stale
    # messages left in the broker are harmless.
    _wait_until_finished_and_sent(batch, 12)
    _assert_one_letter_and_one_email_each(batch, 12, celery.mail_dir)
    assert AuditEvent.objects.filter(action="letter.requeued").exists()


def test_letters_whose_pool_process_is_killed_are_made_by_another_at_once(celery):
    # No beat: the broker gets the tasks back because the worker rejects them when its pool
    # process is lost, instead of acknowledging them as failed.
    cohort, office = _invitations(12)
    worker = celery.worker()
    batch = start_invitation_letters(cohort=cohort, office=office, actor=None)
    _wait_until_mid_batch(batch)
    for pid in _pool_processes(worker.pid):
        os.kill(pid, signal.SIGKILL)
    _wait_until_finished_and_sent(batch, 12, seconds=60)
    _assert_one_letter_and_one_email_each(batch, 12, celery.mail_dir)
    assert not AuditEvent.objects.filter(action="letter.requeued").exists()
