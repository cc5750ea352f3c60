"""The one Markdown escaper, and tables and headings built with it.

Every text from a content model is text: no emphasis, no link or image
(``[x](javascript:…)``), no code span, no HTML, and no line break that would end a
table row. ``text`` escapes a running text, ``table`` a whole table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_MARKUP = str.maketrans({c: "\\" + c for c in "*_[]`"})


def cell(value: object) -> str:
    """A value on one line, with the characters that would break a table escaped."""
    text = str(value) if value is not None else ""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def text(value: object) -> str:
    """Text as text: no emphasis, no link or image, no code span, no HTML, on one line."""
    return cell(value).translate(_MARKUP)


def heading(level: int, title: str) -> str:
    """A heading of an already escaped title."""
    return "#" * level + " " + title


@dataclass(frozen=True)
class Bold:
    """A table cell whose text is set in bold."""

    text: str


def table_cell(value: object) -> str:
    if isinstance(value, Bold):
        return f"**{text(value.text)}**" if value.text else ""
    return text(value) if isinstance(value, str) else cell(value)


def table(header: Sequence[object], rows: Sequence[Sequence[object]]) -> list[str]:
    """A pipe table; every cell escaped (strings as text, numbers as they are)."""
    lines = ["| " + " | ".join(table_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines.extend("| " + " | ".join(table_cell(v) for v in row) + " |" for row in rows)
    return lines


def document(lines: Sequence[str]) -> bytes:
    """The lines as one UTF-8 file ending in exactly one newline."""
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")
