"""Status and statistics sheets: their columns on the sheet engine, and the status sheet file.

**Status sheet** (XLSX or CSV), one row per priority or recommendation and per
indicator, German headers like the tally sheet:

    Kennung | Themenfeld | Ziel | Handlungsempfehlung | Zuständigkeit | Kontakt | Status |
    Kommentar | Fällig bis | Indikator | Einheit | Ausgangswert | Zielwert | Datum | Wert | Quelle

``Kennung`` is the stable key that matches a row back: ``Z12`` (priority, goal 12),
``HE34`` (recommendation, card 34), ``HE34/I5`` (its indicator 5). Status,
Zuständigkeit, Kontakt, Kommentar and Fällig bis are filled in with the current
state and are read back; Datum, Wert and Quelle carry the latest value and take a
new one. Ziel, Handlungsempfehlung, Indikator, Einheit, Ausgangswert and Zielwert
are for reading only.

**Statistics sheet**: one value per row, ``Indikator`` (its name or key ``I5``),
``Datum``, ``Wert``, ``Quelle``.

The comparison of a sheet with a process's monitoring (what would change) is
``status_plan``; this module knows the columns, the keys and the file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from klebepunkt.domain import gettext_noop
from klebepunkt.domain.monitoring import STATUS_GERMAN, Status
from klebepunkt.sheets.table import Layout, Table, read_table
from klebepunkt.sheets.writer import csv_bytes
from klebepunkt.sheets.xlsx import workbook_bytes


class StatusColumn(StrEnum):
    KEY = "key"
    THEME_FIELD = "theme_field"
    GOAL = "goal"
    RECOMMENDATION = "recommendation"
    RESPONSIBLE = "responsible"
    CONTACT = "contact"
    STATUS = "status"
    COMMENT = "comment"
    DUE = "due"
    INDICATOR = "indicator"
    UNIT = "unit"
    BASELINE = "baseline"
    TARGET = "target"
    DATE = "date"
    VALUE = "value"
    SOURCE = "source"

    @property
    def header(self) -> str:
        return HEADERS[self]


HEADERS: dict[StatusColumn, str] = {
    StatusColumn.KEY: "Kennung",
    StatusColumn.THEME_FIELD: "Themenfeld",
    StatusColumn.GOAL: "Ziel",
    StatusColumn.RECOMMENDATION: "Handlungsempfehlung",
    StatusColumn.RESPONSIBLE: "Zuständigkeit",
    StatusColumn.CONTACT: "Kontakt",
    StatusColumn.STATUS: "Status",
    StatusColumn.COMMENT: "Kommentar",
    StatusColumn.DUE: "Fällig bis",
    StatusColumn.INDICATOR: "Indikator",
    StatusColumn.UNIT: "Einheit",
    StatusColumn.BASELINE: "Ausgangswert",
    StatusColumn.TARGET: "Zielwert",
    StatusColumn.DATE: "Datum",
    StatusColumn.VALUE: "Wert",
    StatusColumn.SOURCE: "Quelle",
}

ALIASES: dict[StatusColumn, tuple[str, ...]] = {
    StatusColumn.KEY: ("kennung", "id", "key", "schlüssel", "schluessel"),
    StatusColumn.THEME_FIELD: ("themenfeld", "theme field"),
    StatusColumn.GOAL: ("ziel", "goal"),
    StatusColumn.RECOMMENDATION: ("handlungsempfehlung", "recommendation", "he"),
    StatusColumn.RESPONSIBLE: (
        "zuständigkeit",
        "zustaendigkeit",
        "responsible body",
        "responsible",
    ),
    StatusColumn.CONTACT: ("kontakt", "ansprechperson", "ansprechpartner", "contact"),
    StatusColumn.STATUS: ("status", "stand", "umsetzungsstand"),
    StatusColumn.COMMENT: ("kommentar", "bemerkung", "anmerkung", "comment"),
    StatusColumn.DUE: ("fällig bis", "faellig bis", "fällig", "frist", "due", "due date", "due by"),
    StatusColumn.INDICATOR: ("indikator", "indicator"),
    StatusColumn.UNIT: ("einheit", "unit"),
    StatusColumn.BASELINE: ("ausgangswert", "baseline"),
    StatusColumn.TARGET: ("zielwert", "target"),
    StatusColumn.DATE: ("datum", "stichtag", "date"),
    StatusColumn.VALUE: ("wert", "value"),
    StatusColumn.SOURCE: ("quelle", "source"),
}

STATUS_SHEET_COLUMNS: tuple[StatusColumn, ...] = tuple(StatusColumn)
STATISTICS_COLUMNS: tuple[StatusColumn, ...] = (
    StatusColumn.INDICATOR,
    StatusColumn.DATE,
    StatusColumn.VALUE,
    StatusColumn.SOURCE,
)
STATUS_CHOICES_GERMAN: tuple[str, ...] = tuple(STATUS_GERMAN[s] for s in Status)

_KEY = re.compile(r"^\s*(Z|HE)\s*(\d+)\s*(?:/\s*I\s*(\d+))?\s*$", re.IGNORECASE)
_INDICATOR_KEY = re.compile(r"^\s*I\s*(\d+)\s*$", re.IGNORECASE)

STATUS_LAYOUT = Layout(
    headers=HEADERS,
    aliases=ALIASES,
    required=(StatusColumn.KEY,),
    missing=gettext_noop(
        "Required column “%(column)s” is missing. The header row has: %(found)s. "
        "Expected: %(expected)s."
    ),
    expected="Kennung, Status, Kommentar, Fällig bis, Datum, Wert, Quelle",
)
STATISTICS_LAYOUT = Layout(
    headers=HEADERS,
    aliases=ALIASES,
    required=(StatusColumn.INDICATOR, StatusColumn.DATE, StatusColumn.VALUE),
    recognised_by=(StatusColumn.INDICATOR, StatusColumn.VALUE),
    missing=STATUS_LAYOUT.missing,
    expected="Indikator, Datum, Wert, Quelle",
)


def match_header(text: str) -> StatusColumn | None:
    return STATUS_LAYOUT.match(text)


def read_status_table(content: bytes, filename: str) -> Table[StatusColumn]:
    return read_table(content, filename, STATUS_LAYOUT)


def read_statistics_table(content: bytes, filename: str) -> Table[StatusColumn]:
    return read_table(content, filename, STATISTICS_LAYOUT)


def parse_key(text: str) -> tuple[str, int | None] | None:
    """``HE34/I5`` → ("HE34", 5), ``z12`` → ("Z12", None); None when it is not a key."""
    found = _KEY.match(text)
    if found is None:
        return None
    return f"{found[1].upper()}{found[2]}", int(found[3]) if found[3] else None


def parse_indicator_key(text: str) -> int | None:
    """``I5`` → 5; None when it is not an indicator's key."""
    found = _INDICATOR_KEY.match(text)
    return int(found[1]) if found else None


# --- the file ----------------------------------------------------------------------------------

SHEET_TITLE = "Umsetzungsstand"
SHEET_FORMATS = ("xlsx", "csv")
SHEET_MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def sheet_bytes(fmt: str, header: list[str], rows: Sequence[Sequence[object]]) -> bytes:
    """The status sheet as a file: XLSX with a status drop-down and German dates, or Excel CSV."""
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
