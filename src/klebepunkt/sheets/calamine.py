"""The rows of a worksheet read by calamine (Rust), within the bounds ``workbook.py`` keeps.

``Workbook.rows`` inflates and checks every part itself (byte budget, no DTD, declared
dimension, cell and row counts) and then hands calamine a *stored* zip of exactly the parts
it checked: calamine never inflates anything and sees no other bytes. calamine builds a
dense grid from the first to the last cell, so ``workbook.calamine_grid_fits`` bounds it first:
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
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time, timedelta

Row = tuple[int, list[object]]  # (row number as a spreadsheet shows it, cells)

_WHOLE = 1e15  # whole floats below this come out as int, as the streaming reader's "1" does
PARTS = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")
OPTIONAL = ("xl/sharedStrings.xml", "xl/styles.xml")


def rows(
    part: Callable[[str], bytearray | None],
    sheet_name: str,
    path: str,
    data: bytes | bytearray,
    *,
    epoch_1904: bool,
) -> Iterator[Row] | None:
    """The rows of the worksheet ``sheet_name`` at ``path`` (``data``: its checked bytes, its
    grid bounded by ``workbook.calamine_grid_fits``; ``part``: the workbook's other parts,
    checked as they are read), or None when the streaming reader has to read it."""
    from python_calamine import CalamineWorkbook

    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        for name in PARTS + OPTIONAL:
            content = part(name)
            if content is None and name in PARTS:
                return None
            if content is not None:
                archive.writestr(name, bytes(content))
        archive.writestr(path, bytes(data))
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(stored.getvalue())).get_sheet_by_name(
            sheet_name
        )
        start = sheet.start  # the grid starts at the first filled row and column
        grid = sheet.to_python()  # (iter_rows of 0.9 starts rows at 1 but columns there)
    except Exception:  # calamine's own errors: the streaming reader decides
        return None
    if start is None:
        return None  # an empty sheet
    return _rows(grid, start[0], start[1], _converter(epoch_1904))


def _converter(epoch_1904: bool) -> Callable[[object], object]:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if epoch_1904 else CALENDAR_WINDOWS_1900

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
        # the common cases inline, without a call: text, a number (calamine gives every
        # number as a float; a whole one comes out as int, as ``convert`` does)
        cells = lead + [
            (value or None)
            if type(value) is str
            else (
                (int(value) if value.is_integer() and -_WHOLE < value < _WHOLE else value)
                if type(value) is float
                else (value if type(value) is int or type(value) is bool else convert(value))
            )
            for value in values
        ]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            yield top + index + 1, cells
