"""Typed readers for settings from environment variables.

Each helper fails loudly with ImproperlyConfigured, naming the variable, when a value is
malformed, so a mistyped deployment stops at start-up instead of running half configured.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nei", ""}


def env_str(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"Miljøvariabelen {name} må være satt.")
        return default
    return value


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Miljøvariabelen {name} må være en sannhetsverdi (1/0, true/false), ikke {value!r}."
    )


def env_int(name, default, *, minimum=None):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Miljøvariabelen {name} må være et heltall, ikke {value!r}."
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"Miljøvariabelen {name} må være minst {minimum}.")
    return number


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# SQLite takes its write lock when a transaction begins, not when the first write in it comes:
# two requests that both write (a double click on «Send inn») then wait their turn for up to
# `timeout` seconds, where with the default (DEFERRED) the second one, holding a read lock it
# cannot upgrade, fails at once with "database is locked". WAL lets reads go on during a write.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}


def _sqlite(name):
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": dict(SQLITE_OPTIONS)}


def database_from_url(url, *, base_dir, conn_max_age):
    """Turn a DATABASE_URL into a Django DATABASES entry (PostgreSQL or SQLite)."""
    if not url:
        return _sqlite(base_dir / "db.sqlite3")
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(
                "DATABASE_URL mangler databasenavn, for eksempel postgres://bruker@vert:5432/navn."
            )
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured("DATABASE_URL har et ugyldig portnummer.") from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    if parts.scheme == "sqlite":
        path = unquote(url.split("://", 1)[1])
        return _sqlite(path or base_dir / "db.sqlite3")
    raise ImproperlyConfigured(
        f"DATABASE_URL må begynne med postgres:// eller sqlite://, ikke {parts.scheme!r}."
    )
