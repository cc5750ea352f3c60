"""The file formats of every document, with their media types: one table.

A document (result report, progress report, card sheet, code sheet) offers some of
these; ``media_type(fmt)`` and ``is_binary(fmt)`` answer for any of them.
"""

from __future__ import annotations

from collections.abc import Callable

from klebepunkt.domain.formats import BINARY_FORMATS, FORMATS_TABLE, MEDIA_TYPES, Format

__all__ = ["BINARY_FORMATS", "FORMATS_TABLE", "MEDIA_TYPES", "Format", "StepCallback", "media_type"]

# Told, in the reader's language, the name of each long step before it starts.
StepCallback = Callable[[str], None]


def media_type(fmt: str) -> str:
    return FORMATS_TABLE[fmt].media_type
