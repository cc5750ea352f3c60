"""The status sheet as a file: XLSX with a status drop-down and German dates, or Excel CSV."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from klebepunkt.monitoring.sheet import STATUS_CHOICES_GERMAN, StatusColumn
from klebepunkt.sheets.writer import csv_bytes
from klebepunkt.sheets.xlsx import workbook_bytes

SHEET_TITLE = "Umsetzungsstand"
SHEET_FORMATS = ("xlsx", "csv")
SHEET_MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def sheet_bytes(fmt: str, header: list[str], rows: Sequence[Sequence[object]]) -> bytes:
    if fmt == "csv":
        return csv_bytes(header, [list(row) for row in rows])
    return _with_choices(workbook_bytes([(SHEET_TITLE, header, rows)]), header, len(rows))


def _with_choices(content: bytes, header: list[str], count: int) -> bytes:
    """The workbook with a drop-down of the statuses, dates shown as 31.12.2026, and the
    read-only columns shaded, so the bodies see what to fill in."""
    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert sheet is not None
    last = max(count + 1, 2)
    if StatusColumn.STATUS.header in header:
        letter = get_column_letter(header.index(StatusColumn.STATUS.header) + 1)
        choices = ",".join(STATUS_CHOICES_GERMAN)
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        validation.error = "Bitte einen Status aus der Liste wählen: " + ", ".join(
            STATUS_CHOICES_GERMAN
        )
        validation.errorTitle = "Status"
        validation.add(f"{letter}2:{letter}{last + 200}")
        sheet.add_data_validation(validation)
    shade = PatternFill("solid", fgColor="EEEEEE")
    read_only = {
        StatusColumn.KEY.header,
        StatusColumn.THEME_FIELD.header,
        StatusColumn.GOAL.header,
        StatusColumn.RECOMMENDATION.header,
        StatusColumn.INDICATOR.header,
        StatusColumn.UNIT.header,
        StatusColumn.BASELINE.header,
        StatusColumn.TARGET.header,
    }
    for index, name in enumerate(header, start=1):
        for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "DD.MM.YYYY"
                if name in read_only:
                    cell.fill = shade
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
