"""Swedish is the default language and must be complete: every message in the code has a Swedish text."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "tillit"
CATALOGUE = PACKAGE / "locale" / "sv" / "LC_MESSAGES"


def untranslated(po: polib.POFile) -> list[str]:
    return [entry.msgid for entry in po if not entry.translated() or "fuzzy" in entry.flags]


def test_the_swedish_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert untranslated(po) == []
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(CATALOGUE / "django.mo"))
    }
    written = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in po if not e.obsolete}
    assert compiled == written, "django.mo is out of date: run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (make test installs it)")
def test_every_message_in_the_code_is_in_the_catalogue(tmp_path):
    # makemessages writes into the catalogue beside the code it reads, so it reads a copy of the code.
    copy = tmp_path / "tillit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    locale = copy / "locale"
    env = {**os.environ, "TILLIT_LOCALE_DIR": str(locale), "DEBUG": "1"}
    subprocess.run(
        [sys.executable, "-m", "tillit", "makemessages", "-l", "sv", "--no-obsolete", "-i", "*/demo/*"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    missing = untranslated(polib.pofile(str(locale / "sv" / "LC_MESSAGES" / "django.po")))
    assert missing == [], "messages without Swedish text: run `make messages` and translate them"
