"""Fuzzing the tally-sheet reader: any bytes, any cells, only a SheetError that names its place.

Random bytes under every file name, CSV files of random cells (unicode, control
characters, formulas, huge and negative numbers, every delimiter and encoding),
workbooks of random cells (formulas, floats, dates, merged cells), and broken
zips (a real workbook with bytes flipped or cut off). The reader either returns a
tally within the limits or raises ``SheetError`` with a German message that
names the file, and the row and column where a cell is at fault. Nothing else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from klebepunkt.domain.limits import MAX_GOAL_NR, MAX_NAME, MAX_POINTS
from klebepunkt.domain.messages import DomainError
from klebepunkt.i18n import translator
from klebepunkt.sheets import SheetError, read_ballots_bytes, read_sheet_bytes
from klebepunkt.sheets.columns import ALIASES, BallotColumn, Column
from klebepunkt.sheets.reader import Sheet
from tests.security.fuzzing import fuzz

GERMAN = translator("de")

# errors about the file as a whole: they name the file (and at most a row)
FILE_LEVEL = {
    "The file is empty.",
    "This is an old Excel file (.xls). Please save it as .xlsx or as CSV.",
    "This file is named .xlsx but is not an Excel workbook.",
    "This is not a CSV or Excel (.xlsx) file (“%(suffix)s”).",
    "This is not a CSV or Excel (.xlsx) file (binary content).",
    "The text is neither UTF-8 nor Windows-1252 (German Excel).",
    "The CSV file is malformed: %(reason)s",
    "This file is not a readable Excel workbook (.xlsx).",
    "The workbook is too large: more than %(cells)s cells or %(megabytes)s MB unpacked.",
    "Required column “%(column)s” is missing. The header row has: %(found)s. Expected: "
    "Themenfeld, Punkte, and Handlungsempfehlung or Ziel.",
    "The sheet has a header row but no cards.",
    "The ballots sheet has a header row but no ballots.",
    "Required column “%(column)s” is missing. The header row has: %(found)s. Expected: "
    "Mitglied, Themenfeld, Handlungsempfehlung (or Ziel) and Punkte; Bereich if known.",
}


def assert_clean(error: DomainError, filename: str) -> None:
    """A German message that names the file, and the row and column of a faulty cell."""
    assert isinstance(error, SheetError), type(error)
    msgid = error.message.msgid
    assert GERMAN(msgid) != msgid, f"no German translation for {msgid!r}"
    text = error.render(GERMAN)
    assert text and "Traceback" not in text
    assert error.location.file == filename
    if msgid not in FILE_LEVEL:
        assert error.location.row is not None, msgid
        assert error.location.column, msgid


def assert_within_limits(sheet: Sheet) -> None:
    for card in sheet.tally.cards:
        assert card.theme_field.strip()
        assert 0 <= card.dots <= MAX_POINTS
        assert len(card.theme_field) <= MAX_NAME
        for text in (card.theme_field, card.text, card.indicator, card.responsible):
            assert "\x00" not in text
    for goal in sheet.tally.goals:
        assert len(goal.nr) <= MAX_GOAL_NR
        assert goal.stated_points is None or 0 <= goal.stated_points <= MAX_POINTS


def read(content: bytes, filename: str) -> None:
    try:
        sheet = read_sheet_bytes(content, filename)
    except SheetError as error:
        assert_clean(error, filename)
    else:
        assert_within_limits(sheet)


FILENAMES = st.sampled_from(
    [
        "liste.csv",
        "liste.CSV",
        "liste.xlsx",
        "liste.txt",
        "liste.tsv",
        "liste",
        "liste.xls",
        "x.pdf",
    ]
)

# --- cells ---------------------------------------------------------------------------------------

FORMULAS = st.sampled_from(
    [
        "=1+1",
        '=HYPERLINK("http://x","y")',
        "=cmd|' /C calc'!A0",
        "+49 261",
        "-3",
        "@SUM(A1)",
        "'=1+1",
        "\t=1",
        "\r=1",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=0, max_value=12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1,5", "1.000", "1e400", "−2", "٣", "²", "0x10", "9" * 5000, " 3 "]),
)
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40
) | st.sampled_from(["", " ", "ja", "nein", "x", "Pflege", "Wohnen", "ÄÖÜß€", "🎉", "a\x00b"])
CELL = st.one_of(TEXT, FORMULAS, NUMBERS, st.just("x" * (MAX_NAME + 1)))

ALL_HEADERS = [alias for aliases in ALIASES.values() for alias in aliases[:2]]
HEADER = st.lists(st.sampled_from(ALL_HEADERS) | TEXT, min_size=0, max_size=10)
VALID_HEADER = st.permutations(["Themenfeld", "Ziel", "Handlungsempfehlung", "Punkte", "Nr"])


def grid(header):
    return st.tuples(header, st.lists(st.lists(CELL, max_size=10), max_size=8))


def csv_bytes(header, rows, delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


# --- the targets ---------------------------------------------------------------------------------


@fuzz("sheets: random bytes", 400)
@given(content=st.binary(max_size=3000), filename=FILENAMES)
@example(content=b"PK\x03\x04" + b"\x00" * 40, filename="liste.xlsx")
@example(content=b"\xd0\xcf\x11\xe0", filename="liste.xls")
@example(content=b"\xff\xfe\x00T\x00h", filename="liste.csv")
@example(content=b'Themenfeld;Punkte\n"x;1', filename="liste.csv")
def test_random_bytes_give_a_sheet_error_or_a_sheet(content, filename):
    read(content, filename)


@fuzz("sheets: CSV of random cells", 500)
@given(
    data=grid(HEADER | VALID_HEADER),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
    cut=st.none() | st.integers(min_value=0, max_value=400),
)
def test_csv_of_random_cells(data, delimiter, encoding, cut):
    header, rows = data
    content = csv_bytes(header, rows, delimiter, encoding)
    if cut is not None:
        content = content[:cut]
    read(content, "liste.csv")


XLSX_CELL = st.one_of(
    TEXT,
    FORMULAS,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.none(),
)


def xlsx_bytes(header, rows, merges) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def storable(value):  # XML cannot hold most control characters; openpyxl refuses them
        return ILLEGAL_CHARACTERS_RE.sub("?", value) if isinstance(value, str) else value

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([storable(value) for value in header])
    for row in rows:
        sheet.append([storable(value) for value in row])
    for top, left, height, width in merges:
        sheet.merge_cells(
            start_row=top, start_column=left, end_row=top + height, end_column=left + width
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MERGES = st.lists(
    st.tuples(st.integers(1, 12), st.integers(1, 12), st.integers(0, 3), st.integers(0, 3)).filter(
        lambda m: m[2] or m[3]
    ),
    max_size=2,
)


@fuzz("sheets: XLSX of random cells", 200)
@given(
    header=HEADER | VALID_HEADER,
    rows=st.lists(st.lists(XLSX_CELL, max_size=8), max_size=6),
    merges=MERGES,
)
def test_workbook_of_random_cells(header, rows, merges):
    read(xlsx_bytes(header, rows, merges), "liste.xlsx")


@pytest.fixture(scope="module")
def workbook() -> bytes:
    return xlsx_bytes(
        ["Themenfeld", "Ziel", "Handlungsempfehlung", "Punkte"],
        [["Pflege", "Fachkräfte", "Duales System", 3], ["Wohnen", "", "Mehr Wohnraum", 0]],
        [],
    )


@fuzz("sheets: broken zips", 300)
@given(
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=6),
    cut=st.none() | st.integers(min_value=4),
)
def test_broken_workbooks(workbook, flips, cut):
    content = bytearray(workbook)
    for position, value in flips:
        content[position % len(content)] = value
    if cut is not None:
        content = content[: cut % len(content)]
    read(bytes(content), "liste.xlsx")


# --- the ballots sheet, read against a small tally -----------------------------------------------


@fuzz("sheets: ballots of random cells", 200)
@given(
    header=st.lists(
        st.sampled_from(
            ["Mitglied", "Bereich", "Themenfeld", "Handlungsempfehlung", "Ziel", "Punkte"]
        )
        | TEXT,
        max_size=7,
    ),
    rows=st.lists(
        st.lists(CELL | st.sampled_from(["Pflege", "Duales System", "A"]), max_size=7), max_size=6
    ),
    as_xlsx=st.booleans(),
)
def test_ballots_of_random_cells(header, rows, as_xlsx):
    tally = read_sheet_bytes(
        b"Themenfeld;Handlungsempfehlung;Punkte\nPflege;Duales System;3\n", "liste.csv"
    ).tally
    filename = "stimmen.xlsx" if as_xlsx else "stimmen.csv"
    content = xlsx_bytes(header, rows, []) if as_xlsx else csv_bytes(header, rows, ";", "utf-8")
    try:
        ballots = read_ballots_bytes(content, filename, tally)
    except SheetError as error:
        assert_clean(error, filename)
    else:
        assert all(0 < ballot.dots <= MAX_POINTS for ballot in ballots)


def test_the_columns_the_fuzzer_uses_are_the_readers():
    assert {Column.THEME_FIELD, Column.DOTS} <= set(ALIASES)
    assert BallotColumn.VOTER.value == "voter"


# --- workbooks built to exhaust the server are refused quickly ----------------------------------


def _rezip(
    content: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            for old, new in (replace or {}).items():
                data = data.replace(old.encode(), new)
            target.writestr(item.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return buffer.getvalue()


def _refused_quickly(content: bytes) -> SheetError:
    import time

    started = time.perf_counter()
    with pytest.raises(SheetError) as caught:
        read_sheet_bytes(content, "liste.xlsx")
    assert time.perf_counter() - started < 5
    assert_clean(caught.value, "liste.xlsx")
    return caught.value


def test_a_cell_at_the_far_corner_of_the_sheet_is_refused(workbook):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook))
    book.active.cell(row=1_048_576, column=16_384, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    assert len(buffer.getvalue()) < 20_000
    assert "zu groß" in _refused_quickly(buffer.getvalue()).render(GERMAN)


def test_a_merge_over_the_whole_sheet_is_refused_before_it_is_unpacked(workbook):
    merged = xlsx_bytes(["Themenfeld", "Punkte"], [["Pflege", 1]], [(2, 1, 1, 1)])
    bomb = _rezip(merged, replace={'ref="A2:B3"': b'ref="A2:XFD1048576"'})
    import zipfile

    assert b"A2:XFD1048576" in zipfile.ZipFile(io.BytesIO(bomb)).read("xl/worksheets/sheet1.xml")
    assert "zu groß" in _refused_quickly(bomb).render(GERMAN)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(workbook, monkeypatch):
    from klebepunkt.sheets import errors

    monkeypatch.setattr(errors, "MAX_UNPACKED_BYTES", 1 << 20)
    bomb = _rezip(workbook, add={"xl/media/padding.bin": b"\0" * (2 << 20)})
    assert len(bomb) < 20_000
    assert "zu groß" in _refused_quickly(bomb).render(GERMAN)


def test_a_merge_beyond_the_filled_cells_is_read():
    content = xlsx_bytes(
        ["Themenfeld", "Handlungsempfehlung", "Punkte"],
        [["Pflege", "Duales System", 2]],
        [(2, 1, 5, 0)],
    )
    sheet = read_sheet_bytes(content, "liste.xlsx")
    assert [card.theme_field for card in sheet.tally.cards] == ["Pflege"]


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("9" * 5000, "Punkte können höchstens 1.000.000 sein."),
        ("1000001", "Punkte können höchstens 1.000.000 sein."),
        ("-" + "9" * 5000, "Punkte können nicht negativ sein („-99999999999…“)."),
        ("1e400", "Punkte müssen eine ganze Zahl"),
    ],
)
def test_numbers_beyond_any_working_group_are_refused_with_their_cell(points, message):
    content = f"Themenfeld;Handlungsempfehlung;Punkte\nPflege;Duales System;{points}\n".encode()
    with pytest.raises(SheetError) as caught:
        read_sheet_bytes(content, "liste.csv")
    text = caught.value.render(GERMAN)
    assert text.startswith("liste.csv, Zeile 2, Spalte „Punkte“ (C): ")
    assert message in text
    assert len(text) < 200
