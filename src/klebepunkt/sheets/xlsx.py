"""Excel workbooks that open cleanly: bold frozen header, filters, sensible widths, no formulas."""

from __future__ import annotations

import io
from collections.abc import Sequence

WIDE_COLUMNS = 60
NARROW_COLUMNS = 14


def workbook_bytes(
    sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]],
    *,
    title: str = "",
    language: str = "",
) -> bytes:
    """One worksheet per (title, header, rows). Text is always stored as text, never a formula.

    Every sheet has its header row frozen and filters on; ``title`` and ``language``
    go into the workbook's properties.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        worksheet = workbook.create_sheet(title=_sheet_title(title))
        worksheet.append(list(header))
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            worksheet.append([_value(value) for value in row])
            for cell in worksheet[worksheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        worksheet.freeze_panes = "A2"
        worksheet.auto_filter.ref = worksheet.dimensions
        for index, name in enumerate(header, start=1):
            longest = max((len(str(row[index - 1] or "")) for row in rows), default=0)
            width = WIDE_COLUMNS if longest > 40 else max(NARROW_COLUMNS, len(name) + 2)
            worksheet.column_dimensions[get_column_letter(index)].width = width
    if title:
        workbook.properties.title = title
    if language:
        workbook.properties.language = language
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _value(value: object) -> object:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return ""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return (cleaned or "Tabelle")[:31]
