"""Nynorsk is complete: every message has a translation, and the catalogue is up to date."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parents[1]
CATALOGUE = BASE_DIR / "locale" / "nn" / "LC_MESSAGES" / "django.po"


def untranslated(po):
    return [
        entry.msgid
        for entry in po
        if not entry.obsolete
        and (
            "fuzzy" in entry.flags
            or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
            or (not entry.msgid_plural and not entry.msgstr)
        )
    ]


def test_every_message_has_a_nynorsk_translation():
    assert untranslated(polib.pofile(str(CATALOGUE))) == []


def test_the_nynorsk_catalogue_holds_every_message_in_the_code(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "var", "*.sqlite3", "__pycache__", "tests"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nn", "--no-location", "-v0"],
        cwd=copy,
        env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "nn" / "LC_MESSAGES" / "django.po"))
    committed = {entry.msgid for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    new = sorted(
        entry.msgid for entry in fresh if not entry.obsolete and entry.msgid not in committed
    )
    assert new == [], "Kjør makemessages -l nn og omset dei nye meldingane"
