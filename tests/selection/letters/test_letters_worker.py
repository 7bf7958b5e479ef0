"""With CELERY_BROKER_URL set (CI: Redis and PostgreSQL), a real Celery worker makes a batch of
letters: each a task loaded by id, then the ZIP of the batch."""

import email
import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from selection.letters.batches import start_invitation_letters
from selection.letters.defaults import install
from selection.models import Invitation, Letter, LetterTemplate, SenderSettings
from tests.factories import MunicipalityFactory, OfficeScheduleFactory

BASE_DIR = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not (os.environ.get("CELERY_BROKER_URL") and os.environ.get("DATABASE_URL")),
        reason="needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis), as in CI",
    ),
]


@pytest.fixture
def worker(transactional_db, settings, tmp_path, monkeypatch):
    from laeringsmiljo.celery import app

    db = settings.DATABASES["default"]
    mail_dir = tmp_path / "e-post"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "laeringsmiljo.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DATABASE_CONN_MAX_AGE": "0",
        "PRIVATE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "--quiet", "--app", "laeringsmiljo",
         "worker", "--concurrency", "2", "--without-gossip", "--without-mingle",
         "--loglevel", "WARNING"],
        cwd=BASE_DIR,
        env=env,
    )  # fmt: skip
    for _ in range(60):
        if app.control.ping(timeout=0.5):
            break
        assert process.poll() is None, "the worker stopped"
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    try:
        yield mail_dir
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_worker_makes_sends_and_zips_a_batch_of_invitation_letters(worker):
    # Transactional tests empty the tables between them, data migrations' rows included.
    install(LetterTemplate, SenderSettings)
    schedule = OfficeScheduleFactory()
    office = schedule.office
    municipalities = [MunicipalityFactory(county=MunicipalityFactory().county) for _ in range(3)]
    for municipality in municipalities:
        municipality.county.office = office
        municipality.county.save()
        Invitation.objects.create(cohort=schedule.cohort, municipality=municipality)
    batch = start_invitation_letters(cohort=schedule.cohort, office=office, actor=None)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        sent = Letter.objects.filter(batch=batch, send_status="sendt").count()
        if batch.finished_at and sent == 3:
            break
        time.sleep(0.5)
    assert batch.finished_at is not None
    letters = list(Letter.objects.filter(batch=batch).select_related("municipality"))
    assert [letter.status for letter in letters] == ["laget"] * 3
    for letter in letters:
        with letter.file.open("rb") as handle:
            text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
        assert f"{letter.municipality.name} kommune" in text
    with batch.zip_file.open("rb") as handle:
        assert len(zipfile.ZipFile(io.BytesIO(handle.read())).namelist()) == 3
    messages = [email.message_from_bytes(path.read_bytes()) for path in worker.glob("*.log")]
    attachments = [
        part.get_filename()
        for message in messages
        for part in message.walk()
        if part.get_content_type() == "application/pdf"
    ]
    assert sorted(attachments) == sorted(f"{letter.reference}.pdf" for letter in letters)
