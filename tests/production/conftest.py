"""The production-settings layer: tests that run with the values production runs with.

The test suite's own settings keep DEBUG on while Django starts, serve static files from the
finders and check every signal receiver's signature, so it cannot see what goes wrong only in
production. Here the values come from laeringsmiljo/settings.py itself, read with the
environment of docker-compose.yml (DJANGO_DEBUG=0): DEBUG off, WhiteNoise's manifest storage
over static files collected by it, HTTPS-only cookies and the error pages Django
shows a real user. The database, mail, private media and Celery stay the test suite's.
"""

import gc
import hashlib
import os
import runpy
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import inspect as django_inspect

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS_FILE = BASE_DIR / "laeringsmiljo" / "settings.py"

PRODUCTION_ENVIRONMENT = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "produksjonslag-" + "ikke-hemmelig-" * 4,
    "DJANGO_ALLOWED_HOSTS": "testserver",
}

# What the test suite keeps as its own: where data, mail and tasks go, and how fast it hashes.
KEPT = {
    "DATABASES",
    "EMAIL_BACKEND",
    "EMAIL_FILE_PATH",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "PASSWORD_HASHERS",
    "SECRET_KEY",
    "LOGGING",
}


def production_values():
    """Every setting laeringsmiljo/settings.py gives under the production environment, except
    those the test suite keeps."""
    saved = {name: os.environ.get(name) for name in PRODUCTION_ENVIRONMENT}
    os.environ.update(PRODUCTION_ENVIRONMENT)
    try:
        namespace = runpy.run_path(str(SETTINGS_FILE))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return {
        name: value
        for name, value in namespace.items()
        if name.isupper() and name not in KEPT and not name.startswith("CELERY_")
    }


def _static_sources_key():
    """A digest of every static file the finders collect, and of the collecting code: the
    collected files of an earlier session are used again only if none of it changed."""
    from importlib.metadata import version

    from django.contrib.staticfiles import finders

    digest = hashlib.sha256(f"{version('django')} {version('whitenoise')}".encode())
    sources = sorted(
        (path, storage.path(path))
        for finder in finders.get_finders()
        for path, storage in finder.list([])
    )
    for path, full_path in sources:
        digest.update(path.encode() + b"\0" + Path(full_path).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def production_static():
    """STATIC_ROOT with the static files collected by the production storage, as the
    Dockerfile does at build time: hashed names, a manifest and compressed copies.

    Compressing them takes half a minute, so the result is kept in var/test-static under a
    digest of the sources and collected again only when a static file or a package changes.
    """
    cache = BASE_DIR / "var" / "test-static"
    root = cache / _static_sources_key()
    if not (root / "staticfiles.json").exists():
        cache.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(dir=cache, prefix="samles-"))
        with override_settings(STATIC_ROOT=building, STORAGES=production_values()["STORAGES"]):
            call_command("collectstatic", "--no-input", verbosity=0)
        for old in cache.iterdir():  # the files of older sources; not others still collecting
            if not old.name.startswith("samles-"):
                shutil.rmtree(old, ignore_errors=True)
        try:
            building.rename(root)
        except OSError:  # another session got there first
            shutil.rmtree(building, ignore_errors=True)
    return root


@pytest.fixture
def production_settings(settings, production_static):
    """The production values applied through pytest-django's `settings` fixture."""
    values = production_values()
    assert values["DEBUG"] is False
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    for name, value in values.items():
        setattr(settings, name, value)
    settings.STATIC_ROOT = production_static
    # With DEBUG on while Django started, Signal.connect checked each receiver's signature,
    # and that check's cache holds a reference to every receiver. A production process never
    # makes it, so a receiver connected weakly to a function nobody else holds is gone there.
    django_inspect._get_func_parameters.cache_clear()
    gc.collect()
    return settings


@pytest.fixture
def production_client(production_settings):
    """A test client built after the production values are in place (so WhiteNoise serves the
    collected files), speaking HTTPS through the proxy header as gunicorn sees it."""
    return Client(headers={"X-Forwarded-Proto": "https"})
