"""The production shape without Docker: the compose file's gunicorn and Celery worker commands,
started directly against the local PostgreSQL and Redis. Runs where CI provides them."""

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

needs_servers = pytest.mark.skipif(
    not (os.environ.get("CELERY_BROKER_URL") and os.environ.get("DATABASE_URL")),
    reason="needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis), as in CI",
)
pytestmark = [pytest.mark.integration, needs_servers]


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


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_the_app_from_the_compose_command(registry, tmp_path):
    env = server_env()
    env["STATIC_ROOT"] = str(tmp_path / "static")
    # As the Dockerfile does at build time.
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
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/konto/logg-inn/", timeout=5) as r:
            page = r.read().decode()
        assert '<html lang="nb">' in page
        assert "Logg inn" in page
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/bootstrap/css/bootstrap.min.css", timeout=5
        ) as r:
            assert r.status == 200
    finally:
        stop(web)


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_from_the_compose_command_runs_a_task(registry, monkeypatch):
    from laeringsmiljo.celery import app
    from laeringsmiljo.tasks import health_check

    monkeypatch.setitem(app.conf, "task_always_eager", False)

    command = compose_command("worker")
    assert command[:2] == ["celery", "--app"]
    command[command.index("--concurrency") + 1] = "1"
    worker = subprocess.Popen(
        [*command, "--without-gossip", "--without-mingle", "--pool", "solo"],
        cwd=BASE_DIR,
        env=server_env(),
    )
    try:
        result = health_check.apply_async()
        assert result.get(timeout=60) == 10
        assert result.state == "SUCCESS"  # answered by the worker through the result backend
    finally:
        stop(worker)
