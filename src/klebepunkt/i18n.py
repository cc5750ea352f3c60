"""Translations outside Django (the CLI, reports built from files).

German is the default language, English the second. The catalogue is the same
``locale/<lang>/LC_MESSAGES/django.mo`` that Django uses, read with the standard
library's gettext, so a text is translated once for the web and the terminal.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "django"
LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

Translate = Callable[[str], str]


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """``KLEBEPUNKT_LANG``, else the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).

    German when neither names a language klebepunkt speaks.
    """
    environ = os.environ if environ is None else environ
    explicit = environ.get("KLEBEPUNKT_LANG", "").strip().lower()[:2]
    if explicit in LANGUAGES:
        return explicit
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        for part in value.split(":"):
            code = part.strip().lower()[:2]
            if code in LANGUAGES:
                return code
            if code:
                break
    return DEFAULT_LANGUAGE


@cache
def translation(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def translator(language: str) -> Translate:
    """A function msgid → text in the language ("en" returns the msgid)."""
    if language == "en":
        return _identity
    return translation(language).gettext


def activate_for_process(language: str) -> None:
    """Make the standard library's gettext (used by click for --help) speak the language."""
    os.environ["LANGUAGE"] = language
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)


def _identity(msgid: str) -> str:
    return msgid
