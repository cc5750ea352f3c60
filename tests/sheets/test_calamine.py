"""The calamine path of the XLSX reader (sheets/calamine.py) gives the rows the streaming reader
gives, and leaves every sheet whose grid it cannot bound beforehand to the streaming reader."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.utils import get_column_letter as column_letters

from klebepunkt.sheets import SheetError, calamine
from klebepunkt.sheets.errors import MAX_CELLS
from klebepunkt.sheets.workbook import (
    Workbook,
    _lowest_row,
    _row_above,
    _Rows,
    _widest_column,
    calamine_grid_fits,
    column_number,
)


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


def _listed(data: bytes) -> tuple[int, int] | None:
    """The widest column and the lowest row from a list of every cell's place (the way
    ``calamine_grid_fits`` measured before it searched), or None for a place that is not plain."""
    import re

    region = data[data.find(b"<sheetData") : data.rfind(b"</sheetData>")]
    places = re.findall(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"', region)
    if len(places) != region.count(b"<c"):
        return None
    return max(column_number(c) for c, _ in places), max(int(r) for _, r in places)


COLUMNS = st.sampled_from(["A", "B", "G", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"])
PLACES = st.lists(
    st.tuples(
        st.one_of(COLUMNS, st.from_regex(r"[A-Z]{1,3}", fullmatch=True)),
        st.one_of(st.integers(0, 120), st.integers(0, 9_999_999)),
        st.sampled_from(["", "0", "00"]),  # leading zeros
    ),
    min_size=1,
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(places=PLACES)
@example(places=[("A", row, "") for row in (*range(1, 41), 1)])  # more larger rows than _FEW
@example(places=[(column_letters(n), 1, "") for n in range(1, 41)])  # more columns than _FEW
def test_the_grid_is_bounded_as_a_list_of_every_place_bounds_it(places):
    """Rows in any order, leading zeros, more columns and rows out of order than are searched
    one at a time (``_FEW``): the same widest column and lowest row as listing every place."""
    cells = "".join(f'<c r="{c}{zeros}{r}"><v>1</v></c>' for c, r, zeros in places)
    data = f"<worksheet><sheetData><row>{cells}</row></sheetData></worksheet>".encode()
    listed = _listed(data)
    if listed is None:  # a row of more than seven digits (leading zeros included)
        assert not calamine_grid_fits(data)
        return
    start, end = data.find(b"<sheetData"), data.rfind(b"</sheetData>")
    assert (_widest_column(data, start, end), _lowest_row(data, start, end)) == listed
    assert calamine_grid_fits(data) == (listed[0] * listed[1] <= MAX_CELLS)


@pytest.mark.parametrize("row", [0, 1, 9, 10, 99, 100, 109, 1_048_576, 9_999_999])
def test_a_row_above_is_found_and_no_other(row):
    pattern = _row_above(row)
    for other in {0, 1, row - 1, row, row + 1, row + 10, row * 10, 10_000_000} - {-1}:
        for zeros in ("", "00"):
            found = pattern.search(f'<c r="AB{zeros}{other}">'.encode())
            assert (found is not None) == (other > row), (row, other, zeros)


def _shared_workbook(strings: bytes, *, declaration: bool = True, encoding: str = "") -> bytes:
    """A workbook whose one row takes two shared strings from ``strings`` (the inside of
    ``<sst>``), as Excel writes text; ``encoding``: the shared strings' part in another."""
    from tests.security.hostile_workbooks import CONTENT_TYPES, MAIN, WORKBOOK, WORKBOOK_RELS

    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        part = b'<sst xmlns="' + MAIN.encode() + b'">' + strings + b"</sst>"
        if encoding:
            part = f'<?xml version="1.0" encoding="{encoding}"?>'.encode() + part
            part = part.decode().encode(encoding)
        elif declaration:
            part = b'<?xml version="1.0"?>' + part
        archive.writestr("xl/sharedStrings.xml", part)
    return buffer.getvalue()


PACKAGE_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)


def _read(content: bytes, monkeypatch) -> tuple[list, bool]:
    """The rows as ``Workbook.rows`` gives them, and whether calamine read them."""
    read_by_calamine = []

    def spy(*args, **kwargs):
        found = calamine_rows(*args, **kwargs)
        read_by_calamine.append(found is not None)
        return found

    calamine_rows = calamine.rows
    monkeypatch.setattr(calamine, "rows", spy)
    workbook = Workbook(content, "liste.xlsx")
    return list(workbook.rows(workbook.sheets[0])), read_by_calamine == [True]


@pytest.mark.parametrize(
    ("strings", "outcome"),
    [
        (b"<si><t>a</t></si>" * 4, "too large"),  # counted by their start tags
        (b"<si><t>a</t></si>" * 3 + b"<si/>", "too large"),
        (b'<x:si xmlns:x="urn:x"><x:t>a</x:t></x:si>' * 4, "too large"),  # any prefix
        (b"<si><t>a</t></si>" * 3, "read"),
        (b"<si><t>a</t></si><si><t>b</t></si><sis/><s/>", "read"),  # not a string's tag
        (b"<!-- <si><t>x</t></si> --><si><t>a</t></si>" * 3, "read"),  # in a comment: expat
        (b"<si><t>a</t></si><si><t><![CDATA[<si><si>]]></t></si>", "read"),
        (b"<si><t>a</t></si><?x <si><si><si>?><si><t>b</t></si>", "read"),
        (b"<?x <si><si><si><si>?><si><t>a</t></si><si><t>b</t></si>", "read"),
        (b"<!-- --><si><t>a</t></si>" * 4, "too large"),  # counted by expat
        (b"<si><t>a</t></si><si><t>b</t>", "unreadable"),  # not well-formed
        (b"<!-- --><si><t>a</t></si><si><t>b</t>", "unreadable"),
    ],
)
@pytest.mark.parametrize("form", ["declared", "undeclared", "utf-16"])
def test_shared_strings_are_checked_as_the_streaming_reader_would(
    monkeypatch, strings, outcome, form
):
    """Before calamine reads the shared strings itself, they are checked as the streaming
    reader's parse would: well-formed, at most ``MAX_CELLS`` of them (here 3), whether the
    part declares itself or not, in UTF-8 or in UTF-16 (which calamine leaves to the
    streaming reader, so the check must not rely on calamine)."""
    from klebepunkt.sheets import errors

    monkeypatch.setattr(errors, "MAX_CELLS", 3)
    if form == "utf-16":
        content = _shared_workbook(strings, encoding=form)
        if outcome == "read":
            outcome = "read by either"
    else:
        content = _shared_workbook(strings, declaration=form == "declared")
    if outcome == "read by either":
        workbook = Workbook(content, "liste.xlsx")
        assert workbook._shared_strings_sound()  # the check lets it through, as the parse does
        rows = list(workbook.rows(workbook.sheets[0]))
        assert rows[0][1][0] == "a"
        return
    if outcome == "read":
        rows, by_calamine = _read(content, monkeypatch)
        assert by_calamine
        assert rows[0][0] == 1
        assert rows[0][1][0] == "a"
        return
    with pytest.raises(SheetError) as raised:
        _read(content, monkeypatch)
    expected = errors.too_large if outcome == "too large" else errors.unreadable
    assert raised.value.message == expected("liste.xlsx").message, raised.value
