"""The production shape without Docker: the compose file's gunicorn, Celery worker and beat
commands, started directly against the local PostgreSQL and Redis. Runs where CI provides them."""

import contextlib
import http.client
import http.cookies
import io
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse
from pypdf import PdfReader

BASE_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

needs_servers = pytest.mark.skipif(
    not (os.environ.get("CELERY_BROKER_URL") and os.environ.get("DATABASE_URL")),
    reason="needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis), as in CI",
)
# Real commits, so that the servers see the test's rows.
pytestmark = [
    pytest.mark.integration,
    needs_servers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migration_data"),
]


def compose_command(service):
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    return shlex.split(compose["services"][service]["command"])


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env():
    """The test database, in production mode."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="laeringsmiljo.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="integrasjonstest-" + "n0t-s3cret-" * 5,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        PATH=f"{BIN}:{env.get('PATH', '')}",
    )
    return env


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def running_web(env, static_root):
    """The compose file's gunicorn command on a free port, with the static files collected as
    the Dockerfile does at build time; yields the port once /helse/ answers."""
    env = {**env, "STATIC_ROOT": str(static_root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    command = compose_command("web")
    assert command[0] == "gunicorn"
    port = free_port()
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "1"
    web = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    try:
        body = None
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/helse/", timeout=2) as r:
                    body = r.read()
                    break
            except OSError:
                time.sleep(0.5)
        assert body == b"ok"
        yield port
    finally:
        stop(web)


@contextlib.contextmanager
def running_worker(env):
    command = compose_command("worker")
    assert command[:2] == ["celery", "--app"]
    command[command.index("--concurrency") + 1] = "1"
    worker = subprocess.Popen(
        [*command, "--without-gossip", "--without-mingle", "--pool", "solo"],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        yield
    finally:
        stop(worker)


class HttpsSession:
    """A user's browser behind the TLS proxy: the proxy is played by X-Forwarded-Proto, and the
    cookies (Secure in production) are kept by hand."""

    def __init__(self, port):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {"X-Forwarded-Proto": "https", "Origin": self.origin}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **form}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, content


def test_gunicorn_serves_the_app_from_the_compose_command(registry, tmp_path):
    with running_web(server_env(), tmp_path / "static") as port:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/konto/logg-inn/", timeout=5) as r:
            page = r.read().decode()
        assert '<html lang="nb">' in page
        assert "Logg inn" in page
        assert re.search(r'href="/static/css/laeringsmiljo\.[0-9a-f]{12}\.css"', page)
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/bootstrap/css/bootstrap.min.css", timeout=5
        ) as r:
            assert r.status == 200


def test_an_application_sent_over_http_to_gunicorn_gets_its_receipt_letter(tmp_path, settings):
    from applications.models import Application
    from selection.models import Letter, LetterKind
    from tests.applications.factories import complete_application
    from tests.factories import municipality_user

    settings.MEDIA_ROOT = tmp_path / "private"
    env = {**server_env(), "PRIVATE_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    application = complete_application()
    user = municipality_user(application.municipality)
    # The production processes know only the production hashers.
    user.password = PBKDF2PasswordHasher().encode("gunicorn-passord", "saltsalt", iterations=1000)
    user.save()

    with running_web(env, tmp_path / "static") as port, running_worker(env):
        session = HttpsSession(port)
        session.request("GET", reverse("login"))
        response, _ = session.request(
            "POST", reverse("login"), {"username": user.username, "password": "gunicorn-passord"}
        )
        assert (response.status, response.headers["Location"]) == (302, reverse("home"))
        response, _ = session.request(
            "POST", reverse("applications:submit", args=[application.pk]), {"bekreftet": "on"}
        )
        assert response.status == 302
        assert response.headers["Location"] == reverse(
            "applications:receipt", args=[application.pk]
        )
        response, page = session.request(
            "GET", reverse("applications:receipt", args=[application.pk])
        )
        application = Application.objects.get(pk=application.pk)
        assert response.status == 200
        assert application.reference in page

        letter = Letter.objects.get(kind=LetterKind.RECEIPT, application=application)
        for _ in range(120):
            letter.refresh_from_db()
            if letter.status != Letter.Status.PENDING:
                break
            time.sleep(0.5)
    assert (letter.status, letter.failure) == (Letter.Status.GENERATED, "")
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert application.reference in "\n".join(page.extract_text() for page in reader.pages)


def test_a_celery_worker_from_the_compose_command_runs_a_task(registry, monkeypatch):
    from laeringsmiljo.celery import app
    from laeringsmiljo.tasks import health_check

    monkeypatch.setitem(app.conf, "task_always_eager", False)

    with running_worker(server_env()):
        result = health_check.apply_async()
        assert result.get(timeout=60) == 10
        assert result.state == "SUCCESS"  # answered by the worker through the result backend


def _wait_for_line(path, text, *, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        assert process.poll() is None, f"{process.args[:4]} stopped: {path.read_text()}"
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not in the log within {seconds} s: {path.read_text()}")


def test_celery_beat_from_the_compose_command_schedules_the_sweep_the_settlement_and_reminders(
    registry, tmp_path
):
    env = {
        **server_env(),
        "LETTER_SWEEP_INTERVAL": "1",
        "SETTLEMENT_INTERVAL": "1",
        "REMINDER_INTERVAL": "1",
    }
    command = compose_command("beat")
    assert command[:4] == ["celery", "--app", "laeringsmiljo", "beat"]
    command[command.index("--schedule") + 1] = str(tmp_path / "celerybeat-schedule")
    worker_command = compose_command("worker")
    worker_command[worker_command.index("--concurrency") + 1] = "1"
    beat_log, worker_log = tmp_path / "beat.log", tmp_path / "worker.log"
    with beat_log.open("w") as beat_out, worker_log.open("w") as worker_out:
        worker = subprocess.Popen(
            [*worker_command, "--without-gossip", "--without-mingle", "--pool", "solo"],
            cwd=BASE_DIR,
            env=env,
            stdout=worker_out,
            stderr=subprocess.STDOUT,
        )
        beat = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=beat_out, stderr=subprocess.STDOUT
        )
        try:
            _wait_for_line(beat_log, "beat: Starting...", process=beat)
            _wait_for_line(
                beat_log,
                "Sending due task requeue-stranded-letters "
                "(selection.tasks.requeue_stranded_letters_task)",
                process=beat,
            )
            _wait_for_line(
                worker_log, "selection.tasks.requeue_stranded_letters_task[", process=worker
            )
            # The reminders and closing letters after publication run on the same beat.
            _wait_for_line(
                beat_log,
                "Sending due task settle-cohorts (selection.tasks.settle_cohorts_task)",
                process=beat,
            )
            _wait_for_line(worker_log, "selection.tasks.settle_cohorts_task[", process=worker)
            # And the reminders before the application deadline, computed from the cohorts.
            _wait_for_line(
                beat_log,
                "Sending due task send-reminders (selection.tasks.send_scheduled_reminders_task)",
                process=beat,
            )
            _wait_for_line(
                worker_log, "selection.tasks.send_scheduled_reminders_task[", process=worker
            )
            _wait_for_line(worker_log, "succeeded in", process=worker)
        finally:
            stop(beat)
            stop(worker)
