"""The file formats of every document, with their media types: one table (plain data, so
that the process file can name a version's files without importing the report kit)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Format:
    name: str  # also the file extension
    media_type: str
    binary: bool  # never written to a terminal


FORMATS_TABLE: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("md", "text/markdown; charset=utf-8", binary=False),
        Format("csv", "text/csv; charset=utf-8", binary=False),
        Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True),
        Format("json", "application/json", binary=False),
        Format("pdf", "application/pdf", binary=True),
        Format(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            binary=True,
        ),
    )
}
MEDIA_TYPES: dict[str, str] = {name: fmt.media_type for name, fmt in FORMATS_TABLE.items()}
BINARY_FORMATS = frozenset(name for name, fmt in FORMATS_TABLE.items() if fmt.binary)
