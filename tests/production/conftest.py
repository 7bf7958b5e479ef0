"""The production-settings layer: tests that run with the values production runs with.

The test suite's own settings keep DEBUG on while Django starts, serve static files from the
finders and check every signal receiver's signature, so it cannot see what goes wrong only in
production. Here the values come from laeringsmiljo/settings.py itself, read with the
environment of docker-compose.yml (DJANGO_DEBUG=0): DEBUG off, WhiteNoise's manifest storage
over static files collected once per session, HTTPS-only cookies and the error pages Django
shows a real user. The database, mail, private media and Celery stay the test suite's.
"""

import gc
import os
import runpy
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import inspect as django_inspect

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "laeringsmiljo" / "settings.py"

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


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """STATIC_ROOT with the static files collected by the production storage, as the
    Dockerfile does at build time: hashed names, a manifest and compressed copies."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=production_values()["STORAGES"]):
        call_command("collectstatic", "--no-input", verbosity=0)
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
