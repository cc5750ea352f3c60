"""The Typst path to a tagged PDF/UA-1: a template of ours, the document's content as data.

The template (``reports/templates/*.typ``) is compiled with the content as one JSON
value in ``sys.inputs``; it reads it with ``json(bytes(sys.inputs.document))`` and
places its strings as text, so no character of a user's text is ever read as markup.
Fonts come only from the Debian directories below (Liberation Sans with DejaVu Sans for
every glyph it lacks), never from the system's font lookup; the template reads no file
and Typst fetches no package. A character neither font has is written as U+FFFD (PDF/UA
refuses a glyph that no font can show).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from klebepunkt.domain import gettext_noop
from klebepunkt.i18n import Translate
from klebepunkt.reports.kit.formats import StepCallback

PDF_STANDARDS = ["ua-1"]
FONT_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/dejavu")
# The faces the templates use: regular, bold, italic and bold italic of both families.
FONT_FACES = (
    ("LiberationSans-Regular.ttf", "DejaVuSans.ttf"),
    ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Italic.ttf", "DejaVuSans-Oblique.ttf"),
    ("LiberationSans-BoldItalic.ttf", "DejaVuSans-BoldOblique.ttf"),
)
MISSING_GLYPH = "\ufffd"
_EVICTION_AGE = 11  # typst-py calls comemo::evict(10) after each compilation
_KEEP = {"\n", "\t"}

_lock = threading.Lock()  # the one compiler, shared by a process's threads


def missing_faces() -> list[str]:
    """The font files of ``FONT_FACES`` found in none of ``FONT_DIRS`` (for ``klebepunkt doctor``)."""
    return [
        name
        for faces in FONT_FACES
        for name in faces
        if not any(Path(directory, name).exists() for directory in FONT_DIRS)
    ]


def _font(name: str) -> Path:
    for directory in FONT_DIRS:
        path = Path(directory, name)
        if path.exists():
            return path
    raise FileNotFoundError(f"font {name} not found in {', '.join(FONT_DIRS)}")


@cache
def shown_characters() -> frozenset[int]:
    """The code points every face of the template's fonts can show (one family or the other)."""
    from fontTools.ttLib import TTFont

    covered: set[int] | None = None
    for faces in FONT_FACES:
        face_set: set[int] = set()
        for name in faces:
            face_set.update(TTFont(_font(name), lazy=True).getBestCmap())
        covered = face_set if covered is None else covered & face_set
    return frozenset(covered or ())


@cache
def _kept_as_they_are() -> frozenset[str]:
    """The characters ``printable`` keeps: those the fonts show, and line breaks and tabs."""
    return frozenset(map(chr, shown_characters())) | _KEEP


def printable(text: str) -> str:
    """``text`` with every character the fonts cannot show replaced, control characters dropped."""
    kept = _kept_as_they_are()
    if (text.isascii() and text.isprintable()) or kept.issuperset(text):
        return text  # the usual text: one test in C (German text is not ASCII)
    out = []
    for char in text:
        if char in kept:
            out.append(char)
        elif char.isprintable() and not char.isspace():
            out.append(MISSING_GLYPH)
        elif char.isspace():
            out.append(" ")
    return "".join(out)


def _printable_value(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list | tuple):
        return [_printable_value(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _printable_value(item) for key, item in value.items()}
    return value


@cache
def _template(template: str) -> bytes:
    return resources.files("klebepunkt.reports").joinpath("templates", template).read_bytes()


@cache
def _compiler() -> Any:
    """One compiler per process: it loads the fonts once and keeps what it laid out before.

    Its root is the templates' directory (the template reads no file, but nothing outside
    that directory could be read in any case).
    """
    import typst

    fonts = typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=False,
        font_paths=[directory for directory in FONT_DIRS if Path(directory).is_dir()],
    )
    root = Path(str(resources.files("klebepunkt.reports").joinpath("templates")))
    return typst.Compiler(root=root, font_paths=fonts, ignore_system_fonts=True)


def document_json(data: Mapping[str, Any]) -> str:
    """The content as the template reads it: every string printable with the fonts."""
    return json.dumps(_printable_value(data), ensure_ascii=False, separators=(",", ":"))


def typst_to_pdf(
    template: str,
    data: Mapping[str, Any],
    *,
    on_step: StepCallback | None = None,
    translate: Translate | None = None,
) -> bytes:
    """Compile ``template`` with ``data`` (JSON-able) as ``sys.inputs.document``: a tagged
    PDF/UA-1. ``on_step`` hears of the layout, in the language of ``translate``."""
    document = document_json(data)
    if on_step is not None:
        msgid = gettext_noop("Laying out the pages")
        on_step(translate(msgid) if translate else msgid)
    with _lock:
        compiler = _compiler()
        pdf: bytes = compiler.compile(
            input=_template(template),
            format="pdf",
            sys_inputs={"document": document},
            pdf_standards=PDF_STANDARDS,
        )
        _forget(compiler)
    return pdf


def _forget(compiler: Any) -> None:
    """Let Typst drop what it memoised while laying this document out.

    Typst's memo cache is global to the process and the ``typst`` package evicts from it
    only what went unused for ``AGE`` compilations; in a long-lived worker every report
    would otherwise stay in memory for the next ten (about 270 MB each for 1,000 cards).
    ``AGE`` empty compilations (about 1 ms each) age it out now. A new report's content
    differs anyway, so the cache saved next to nothing (BENCHMARKS.md).
    """
    for _ in range(_EVICTION_AGE):
        compiler.compile(input=b"", format="pdf", sys_inputs={})
