"""Documents as tables: an XLSX workbook (a sheet per table) and a CSV for German Excel.

The cells are written by ``sheets`` (the one place that neutralises formula-like
text and sets the number formats), so a report's workbook and a tally sheet
treat a cell the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from klebepunkt.sheets.writer import csv_bytes
from klebepunkt.sheets.xlsx import workbook_bytes

# (sheet title, header, rows)
Table = tuple[str, list[str], list[list[object]]]


def xlsx(tables: Sequence[Table], *, title: str = "", language: str = "de") -> bytes:
    """A sheet per table, in order; every sheet with a frozen header and filters."""
    return workbook_bytes(list(tables), title=title, language=language)


def csv(header: list[str], rows: list[list[object]]) -> bytes:
    """One table as CSV for German Excel (UTF-8 with BOM, semicolons)."""
    return csv_bytes(header, rows)
