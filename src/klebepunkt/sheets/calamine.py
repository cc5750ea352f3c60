"""The rows of a worksheet read by calamine (Rust), within the bounds ``workbook.py`` keeps.

``Workbook.rows`` inflates and checks every part itself (byte budget, no DTD, declared
dimension, cell and row counts) and then hands calamine a *stored* zip of exactly the parts
it checked: calamine never inflates anything and sees no other bytes. calamine builds a
dense grid from the first to the last cell, so the grid's area is bounded before it reads:
every cell must name its place in the plain form ``<c r="B7"`` (Excel and openpyxl write
nothing else), and the widest column times the lowest row must stay within ``MAX_CELLS``.
A sheet that does not meet that, or that calamine cannot read, is read by the streaming
reader instead, which gives the same values and the same errors, only slower (about ten
times for 100,000 cards).

Values come out as the streaming reader gives them: text, int for a whole number, float,
bool, datetime for a date (a time of day as time), None for an empty cell. One difference:
calamine decodes Excel's escapes in text (``_x000D_`` is a carriage return), which the
streaming reader leaves as they are.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from klebepunkt.sheets import errors

if TYPE_CHECKING:
    from klebepunkt.sheets.workbook import Row, Workbook

_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_PREFIXED = re.compile(rb":c[\s>/]")
_WHOLE = 1e15  # whole floats below this come out as int, as the streaming reader's "1" does
PARTS = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")
OPTIONAL = ("xl/sharedStrings.xml", "xl/styles.xml")


def grid_fits(data: bytes | bytearray) -> bool:
    """Whether every cell of the worksheet names its place plainly and the grid from A1 to the
    widest column and the lowest row has at most ``MAX_CELLS`` cells."""
    start, end = data.find(b"<sheetData"), data.rfind(b"</sheetData>")
    if start < 0 or end < start:
        return False
    region = memoryview(data)[start:end]
    cells = data.count(b"<c", start, end)  # within sheetData only cells start so
    if cells == 0 or _PREFIXED.search(region) or data.find(b't="e"', start, end) >= 0:
        return False  # no cells, a prefixed cell tag or an error value (#N/A): streamed
    rows = _CELL_ROW.findall(region)
    if len(rows) != cells:
        return False  # a cell without a plain place (none, an entity, another spelling)
    from klebepunkt.sheets.workbook import column_number

    widest = max(column_number(letters) for letters in set(_CELL_COLUMN.findall(region)))
    return widest * max(map(int, set(rows))) <= errors.MAX_CELLS


def rows(workbook: Workbook, path: str, data: bytes | bytearray) -> Iterator[Row] | None:
    """The rows of the worksheet at ``path`` (``data``: its checked bytes), or None when the
    streaming reader has to read it."""
    from python_calamine import CalamineWorkbook

    name = workbook.sheet_names.get(path)
    if name is None or not grid_fits(data):
        return None
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        for part in PARTS + OPTIONAL:
            content = workbook.part(part)
            if content is None and part in PARTS:
                return None
            if content is not None:
                archive.writestr(part, bytes(content))
        archive.writestr(path, bytes(data))
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(stored.getvalue())).get_sheet_by_name(
            name
        )
        start = sheet.start  # the grid starts at the first filled row and column
        grid = sheet.to_python()  # (iter_rows of 0.9 starts rows at 1 but columns there)
    except Exception:  # calamine's own errors: the streaming reader decides
        return None
    if start is None:
        return None  # an empty sheet
    return _rows(grid, start[0], start[1], _converter(workbook))


def _converter(workbook: Workbook) -> Callable[[object], object]:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if workbook.epoch_1904 else CALENDAR_WINDOWS_1900

    def convert(value: object) -> object:
        if isinstance(value, float):
            return int(value) if value.is_integer() and abs(value) < _WHOLE else value
        if isinstance(value, datetime | time):
            return value
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day)  # noqa: DTZ001 - as openpyxl: naive
        if isinstance(value, timedelta):  # a duration format: as openpyxl reads the number
            return from_excel(value.total_seconds() / 86400, epoch)
        return value

    return convert


def _rows(
    grid: Sequence[Sequence[object]], top: int, left: int, convert: Callable[[object], object]
) -> Iterator[Row]:
    lead: list[object] = [None] * left
    for index, values in enumerate(grid):
        cells = lead + [
            (value or None)
            if type(value) is str  # the common cases first, without a call
            else (value if type(value) is int or type(value) is bool else convert(value))
            for value in values
        ]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            yield top + index + 1, cells
