"""The German catalogue is complete and its compiled form is current."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "src/klebepunkt/locale/de/LC_MESSAGES"


def test_every_message_has_a_german_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [entry.msgid for entry in catalogue if not entry.translated()]
    assert untranslated == []
    assert [entry.msgid for entry in catalogue if "fuzzy" in entry.flags] == []


def test_compiled_catalogue_matches_the_po_file():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue:
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_placeholders_survive_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    import re

    pattern = re.compile(r"%\(\w+\)s|\{[^}]*\}")
    for entry in catalogue:
        if entry.msgid_plural:
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), (
            entry.msgid
        )
