import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from laeringsmiljo.env import database_from_url, env_bool, env_int

BASE_DIR = Path(__file__).resolve().parents[2]


def test_no_database_url_means_sqlite(tmp_path):
    config = database_from_url(None, base_dir=tmp_path, conn_max_age=60)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "db.sqlite3"


@pytest.mark.parametrize("url", [None, "sqlite:///var/lm.sqlite3"])
def test_sqlite_takes_its_write_lock_when_a_transaction_begins(url, tmp_path):
    config = database_from_url(url, base_dir=tmp_path, conn_max_age=60)
    assert config["OPTIONS"] == {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }


def test_the_sqlite_test_database_is_a_file_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
    assert connection.transaction_mode == "IMMEDIATE"


def test_a_postgres_url_is_parsed():
    config = database_from_url(
        "postgres://bruker:hemmelig%40@db.example:5433/lm?sslmode=require",
        base_dir=BASE_DIR,
        conn_max_age=60,
    )
    assert config == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "lm",
        "USER": "bruker",
        "PASSWORD": "hemmelig@",
        "HOST": "db.example",
        "PORT": "5433",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"sslmode": "require"},
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x@y/z", "må begynne med postgres://"),
        ("postgres://x@y:5432/", "mangler databasenavn"),
        ("postgres://x@y:port/z", "ugyldig portnummer"),
    ],
)
def test_a_malformed_database_url_is_refused(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        database_from_url(url, base_dir=BASE_DIR, conn_max_age=0)


def test_a_malformed_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "kanskje")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG må være en sannhetsverdi"):
        env_bool("DJANGO_DEBUG")


def test_a_malformed_integer_is_refused(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "tjuefem")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT må være et heltall"):
        env_int("EMAIL_PORT", 25)


def _load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import laeringsmiljo.settings"],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = _load_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY må være satt" in result.stderr


def test_a_bad_database_url_stops_start_up():
    result = _load_settings(DJANGO_DEBUG="1", DATABASE_URL="oracle://x/y")
    assert result.returncode != 0
    assert "DATABASE_URL må begynne med postgres://" in result.stderr


IDPORTEN = {
    "IDPORTEN_ISSUER": "https://idporten.example/",
    "IDPORTEN_CLIENT_ID": "laeringsmiljo",
    "IDPORTEN_CLIENT_SECRET": "hemmelig",
    "PID_HMAC_KEY": "k" * 32,
}


def _providers(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean = {k: v for k, v in clean.items() if not k.startswith(("IDPORTEN_", "STAFF_OIDC_"))}
    clean.update(DJANGO_DEBUG="1", **env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, laeringsmiljo.settings as s; print(json.dumps(s.OIDC_PROVIDERS))",
        ],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_the_providers_are_read_from_the_environment():
    import json

    result = _providers(
        **IDPORTEN,
        IDPORTEN_ACR="idporten-loa-high",
        STAFF_OIDC_ISSUER="https://login.microsoftonline.example/tenant/v2.0",
        STAFF_OIDC_CLIENT_ID="ansatt",
        STAFF_OIDC_CLIENT_SECRET="hemmelig-ogsa",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "idporten": {
            "issuer": "https://idporten.example",
            "client_id": "laeringsmiljo",
            "client_secret": "hemmelig",
            "client_key": "",
            "client_key_id": "",
            "scopes": "openid profile",
            "acr": "idporten-loa-high",
        },
        "staff": {
            "issuer": "https://login.microsoftonline.example/tenant/v2.0",
            "client_id": "ansatt",
            "client_secret": "hemmelig-ogsa",
            "client_key": "",
            "client_key_id": "",
            "scopes": "openid profile email",
            "acr": "",
        },
    }
    assert json.loads(_providers().stdout) == {}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {**IDPORTEN, "IDPORTEN_CLIENT_SECRET": ""},
            "IDPORTEN_CLIENT_ID og enten IDPORTEN_CLIENT_SECRET eller IDPORTEN_CLIENT_KEY_FILE",
        ),
        ({**IDPORTEN, "IDPORTEN_ACR": "idporten-loa-low"}, "IDPORTEN_ACR må være"),
        ({**IDPORTEN, "PID_HMAC_KEY": "kort"}, "PID_HMAC_KEY må være minst 32 tegn"),
        (
            {"STAFF_OIDC_ISSUER": "https://login.example", "STAFF_OIDC_CLIENT_ID": "x"},
            "STAFF_OIDC_CLIENT_ID og enten STAFF_OIDC_CLIENT_SECRET eller",
        ),
    ],
)
def test_a_provider_half_set_up_stops_start_up(env, message):
    result = _providers(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_client_key_file_is_read_for_private_key_jwt(tmp_path):
    import json

    from joserfc.jwk import RSAKey

    pem = RSAKey.generate_key(2048).as_pem(private=True).decode()
    (tmp_path / "idporten.pem").write_text(pem)
    env = {**IDPORTEN, "IDPORTEN_CLIENT_SECRET": ""}
    result = _providers(
        **env,
        IDPORTEN_CLIENT_KEY_FILE=str(tmp_path / "idporten.pem"),
        IDPORTEN_CLIENT_KEY_ID="nokkel-1",
    )
    assert result.returncode == 0, result.stderr
    provider = json.loads(result.stdout)["idporten"]
    assert provider["client_key"] == pem
    assert provider["client_key_id"] == "nokkel-1"
    assert provider["client_secret"] == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "nøkkelfila"),
        ("-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n", "ikke en privat nøkkel"),
    ],
)
def test_a_client_key_file_that_is_not_a_private_key_stops_start_up(tmp_path, content, message):
    path = tmp_path / "idporten.pem"
    if content is not None:
        path.write_text(content)
    result = _providers(
        **{**IDPORTEN, "IDPORTEN_CLIENT_SECRET": ""}, IDPORTEN_CLIENT_KEY_FILE=str(path)
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_a_secret_and_a_key_both_set_stops_start_up(tmp_path):
    (tmp_path / "k.pem").write_text("-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n")
    result = _providers(**IDPORTEN, IDPORTEN_CLIENT_KEY_FILE=str(tmp_path / "k.pem"))
    assert result.returncode != 0
    assert "ikke begge" in result.stderr


def test_production_settings_pass_the_deployment_check():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 20 + "x9!Q" * 12,
        DJANGO_ALLOWED_HOSTS="laeringsmiljo.example",
        DJANGO_SETTINGS_MODULE="laeringsmiljo.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_migration_is_pending(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_manage_py_without_debug_setting_runs_in_development_mode():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_production_shape_runs_with_debug_off():
    import yaml

    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    assert compose["x-app"]["environment"]["DJANGO_DEBUG"] == "0"
