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


def test_a_text_that_starts_with_sendt_is_not_the_imperative_send_in_nynorsk():
    """«Sendt inn» (a status, a label) is not «Send inn» (the button): a participle that starts a
    text keeps its t in nynorsk, where «send» would read as the command."""
    wrong = {
        entry.msgid: entry.msgstr
        for entry in polib.pofile(str(CATALOGUE))
        if not entry.obsolete
        and entry.msgid.split(" ", 1)[0].lower() == "sendt"
        and entry.msgstr.split(" ", 1)[0].lower() != "sendt"
    }
    assert wrong == {}


def test_a_label_with_sendt_after_its_noun_keeps_the_t_in_nynorsk():
    """«Innstilling sendt 1.2.», «Kvittering sendt til»: with no «er» between them, «send» after
    the noun reads as a command; and the status is never the button's «Send inn»."""
    po = {entry.msgid: entry.msgstr for entry in polib.pofile(str(CATALOGUE))}
    labels = [
        "Innstilling sendt %(when)s.",
        "Kvittering sendt til",
        "kvittering sendt for referanse",
    ]
    assert {msgid: po[msgid] for msgid in labels if " sendt " not in f" {po[msgid]} "} == {}
    assert po["Sendt inn"] != po["Send inn"]
