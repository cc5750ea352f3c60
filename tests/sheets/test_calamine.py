"""The calamine path of the XLSX reader (sheets/calamine.py) gives the rows the streaming reader
gives, and leaves every sheet whose grid it cannot bound beforehand to the streaming reader."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook

from klebepunkt.sheets import SheetError, calamine
from klebepunkt.sheets.workbook import Workbook, _Rows, calamine_grid_fits


def _fast(workbook: Workbook, path: str, data):
    if not calamine_grid_fits(data):
        return None
    name = workbook.sheet_names[path]
    return calamine.rows(workbook.part, name, path, data, epoch_1904=workbook.epoch_1904)


def _xlsx(fill) -> bytes:
    book = OpenpyxlWorkbook()
    fill(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _both(content: bytes):
    workbook = Workbook(content, "liste.xlsx")
    path = workbook.sheets[0]
    data = workbook.part(path)
    fast = _fast(workbook, path, data)
    return list(_Rows(workbook, data, [])), None if fast is None else list(fast)


def _typed(sheet) -> None:  # naive dates, as a spreadsheet holds them
    sheet.append(["Themenfeld", "Nr", "Punkte", "Datum", "ja", "leer", "Uhrzeit"])
    sheet.append(["Pflege ä", 1, 1.5, datetime(2024, 3, 1), True, None, time(12, 30)])  # noqa: DTZ001
    sheet.append([None, 2.0, -3, date(2024, 3, 2), False, "", 3])
    sheet.append(["  Rand ", 10**20, 2.5e-7, datetime(2024, 3, 1, 13, 5)])  # noqa: DTZ001
    sheet["H7"] = "weit rechts"
    sheet["C9"] = 7


@pytest.mark.parametrize(
    "fill",
    [
        _typed,
        lambda sheet: sheet.__setitem__("B3", "nicht ab A1"),
        lambda sheet: [sheet.__setitem__(ref, 1) for ref in ("C2", "A5", "E4")],
    ],
)
def test_calamine_gives_the_rows_of_the_streaming_reader(fill):
    slow, fast = _both(_xlsx(fill))
    assert fast is not None
    assert fast == slow


def test_a_grid_beyond_the_cell_limit_is_left_to_the_streaming_reader():
    def far(sheet) -> None:  # two cells, but calamine would build a grid of 17 billion
        sheet["A1"] = "Themenfeld"
        sheet["XFD1048576"] = 1

    content = _xlsx(far)
    workbook = Workbook(content, "liste.xlsx")
    assert _fast(workbook, workbook.sheets[0], workbook.part(workbook.sheets[0])) is None
    with pytest.raises(SheetError):
        list(workbook.rows(workbook.sheets[0]))


@pytest.mark.parametrize(
    ("original", "changed"),
    [
        (b'<c r="B1"', b'<c  r="B1"'),  # another spelling of the place
        (b'<c r="B1"', b"<c"),  # no place at all
        (b'<c r="B1"', b'<c r="&#66;1"'),  # the place as a character reference
    ],
)
def test_a_cell_without_a_plain_place_is_left_to_the_streaming_reader(original, changed):
    workbook = Workbook(_xlsx(lambda sheet: sheet.append(["a", "b"])), "liste.xlsx")
    data = workbook.part(workbook.sheets[0])
    assert calamine_grid_fits(data)
    assert not calamine_grid_fits(bytes(data).replace(original, changed))
