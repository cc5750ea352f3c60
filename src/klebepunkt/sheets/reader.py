"""Read a tally sheet (CSV or XLSX) into a Tally.

CSV: delimiter ``;``, ``,`` or tab, detected from the header line; UTF-8, UTF-8
with BOM or Windows-1252 (German Excel's default), detected; quoted cells with
line breaks. XLSX: the first worksheet with a recognisable header row; merged
cells count for every cell they cover, as the spreadsheet shows them.

Every error is a :class:`SheetError` naming the file, the row as a spreadsheet
shows it, and the column. Reading either succeeds completely or raises.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from klebepunkt.domain import Card, DomainError, Goal, Location, Message, Tally, gettext_noop
from klebepunkt.domain.limits import MAX_GOAL_NR, MAX_NAME, MAX_POINTS, has_forbidden_character
from klebepunkt.domain.model import normalise_text
from klebepunkt.sheets.columns import REQUIRED, Column, column_letter, match_header

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

YES = frozenset({"ja", "j", "x", "yes", "y", "true", "wahr", "1", "✓", "✔"})
NO = frozenset({"", "nein", "n", "no", "false", "falsch", "0", "-"})


class SheetError(DomainError):
    """A tally sheet that cannot be read, with file, row and column."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """A tally sheet that was read: its name, the tally, and the columns it has."""

    name: str
    tally: Tally
    columns: dict[Column, str]  # column → header as written in the file

    @property
    def states_goal_points(self) -> bool:
        return Column.GOAL_POINTS in self.columns

    @property
    def states_topic_store(self) -> bool:
        return Column.TOPIC_STORE in self.columns


Row = tuple[int, Sequence[object]]  # (row number as a spreadsheet shows it, cells)


def read_sheet(path: str | Path) -> Sheet:
    path = Path(path)
    return read_sheet_bytes(read_file(path), path.name)


def read_file(path: Path) -> bytes:
    """The bytes of a file, or a :class:`SheetError` that names it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SheetError(
            Message(gettext_noop("File not found.")), Location(file=path.name)
        ) from None
    except IsADirectoryError:
        raise SheetError(
            Message(gettext_noop("This is a folder, not a file.")), Location(file=path.name)
        ) from None
    except OSError as error:
        raise SheetError(
            Message(
                gettext_noop("The file cannot be read: %(reason)s"), {"reason": error.strerror}
            ),
            Location(file=path.name),
        ) from None


def read_sheet_bytes(content: bytes, filename: str) -> Sheet:
    """Read a sheet from its bytes; ``filename`` names it in messages and tells its kind."""
    return _sheet_from_rows(sheet_rows(content, filename, _is_tally_header), filename)


HeaderTest = Callable[[Sequence[object]], bool]


def sheet_rows(content: bytes, filename: str, is_header: HeaderTest) -> list[Row]:
    """The rows of a CSV or XLSX file; of a workbook, the first worksheet whose first
    non-empty row passes ``is_header`` (else the first worksheet)."""
    where = Location(file=filename)
    if not content.strip():
        raise SheetError(Message(gettext_noop("The file is empty.")), where)
    suffix = Path(filename).suffix.casefold()
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content, filename, is_header)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(
            Message(
                gettext_noop("This is an old Excel file (.xls). Please save it as .xlsx or as CSV.")
            ),
            where,
        )
    if suffix in {".xlsx", ".xlsm"}:
        raise SheetError(
            Message(gettext_noop("This file is named .xlsx but is not an Excel workbook.")), where
        )
    if suffix in {".csv", ".txt", ".tsv", ""}:
        return _csv_rows(content, filename)
    raise SheetError(
        Message(
            gettext_noop("This is not a CSV or Excel (.xlsx) file (“%(suffix)s”)."),
            {"suffix": suffix},
        ),
        where,
    )


# --- CSV -------------------------------------------------------------------


def decode_text(content: bytes, filename: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else a clear error."""
    if b"\x00" in content:
        raise SheetError(
            Message(gettext_noop("This is not a CSV or Excel (.xlsx) file (binary content).")),
            Location(file=filename),
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise SheetError(
            Message(gettext_noop("The text is neither UTF-8 nor Windows-1252 (German Excel).")),
            Location(file=filename),
        ) from None


def detect_delimiter(text: str) -> str:
    """The delimiter of the header line: the one of ; , TAB it holds most of (; on a tie)."""
    for line in text.splitlines():
        if line.strip():
            counts = {delimiter: line.count(delimiter) for delimiter in (";", ",", "\t")}
            best = max(counts, key=lambda d: (counts[d], d == ";"))
            return best if counts[best] else ";"
    return ";"


def _csv_rows(content: bytes, filename: str) -> list[Row]:
    text = decode_text(content, filename)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text))
    try:
        return [(number, cells) for number, cells in enumerate(reader, start=1)]
    except csv.Error as error:
        raise SheetError(
            Message(gettext_noop("The CSV file is malformed: %(reason)s"), {"reason": str(error)}),
            Location(file=filename, row=reader.line_num),
        ) from None


# --- XLSX ------------------------------------------------------------------


# A workbook is a zip of XML: a few kilobytes can unpack to gigabytes or name a cell at
# XFD1048576 (or merge A1:XFD1048576), which openpyxl and a grid of rows would fill in cell
# by cell. These bounds are far above any tally sheet (5,000 cards of 10 columns are 50,000
# cells) and far below what hurts the server.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_CELLS = 2_000_000
_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})"'
)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _too_large(filename: str) -> SheetError:
    return SheetError(
        Message(
            gettext_noop(
                "The workbook is too large: more than %(cells)s cells or %(megabytes)s MB unpacked."
            ),
            {"cells": f"{MAX_CELLS:,}".replace(",", "."), "megabytes": MAX_UNPACKED_BYTES >> 20},
        ),
        Location(file=filename),
    )


def _check_workbook_size(content: bytes, filename: str) -> None:
    """Refuse a zip bomb before openpyxl unpacks it: sizes as declared (zipfile never reads
    more than declared) and the area of every merged range."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
        if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
            raise _too_large(filename)
        merged = 0
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                for left, top, right, bottom in _MERGE.findall(archive.read(member)):
                    width = abs(_column_number(right) - _column_number(left)) + 1
                    merged += width * (abs(int(bottom) - int(top)) + 1)
                    if merged > MAX_CELLS:
                        raise _too_large(filename)


def _worksheet_grid(worksheet: object, filename: str) -> list[list[object]]:
    """The cells of a worksheet as rows, as far as a cell holds a value; merged cells count
    for every cell they cover."""
    cells = {
        position: cell.value
        for position, cell in worksheet._cells.items()  # type: ignore[attr-defined]
        if cell.value is not None
    }
    rows = max((row for row, _column in cells), default=0)
    columns = max((column for _row, column in cells), default=0)
    if rows * columns > MAX_CELLS:
        raise _too_large(filename)
    grid: list[list[object]] = [[None] * columns for _ in range(rows)]
    for (row, column), value in cells.items():
        grid[row - 1][column - 1] = value
    for merged in worksheet.merged_cells.ranges:  # type: ignore[attr-defined]
        if merged.min_row > rows or merged.min_col > columns:
            continue
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for row in range(merged.min_row, min(merged.max_row, rows) + 1):
            for col in range(merged.min_col, min(merged.max_col, columns) + 1):
                grid[row - 1][col - 1] = value
    return grid


def _xlsx_rows(content: bytes, filename: str, is_header: HeaderTest) -> list[Row]:
    import openpyxl  # imported here: CSV users pay nothing for it

    unreadable = SheetError(
        Message(gettext_noop("This file is not a readable Excel workbook (.xlsx).")),
        Location(file=filename),
    )
    try:
        _check_workbook_size(content, filename)
        workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
        grids = [_worksheet_grid(worksheet, filename) for worksheet in workbook.worksheets]
    except SheetError:
        raise
    except MemoryError:
        raise _too_large(filename) from None
    except Exception:  # openpyxl and zlib raise anything at all on a broken file
        raise unreadable from None
    first: list[Row] | None = None
    for grid in grids:
        rows: list[Row] = [(number, cells) for number, cells in enumerate(grid, start=1)]
        if first is None:
            first = rows
        header = header_row(rows)
        if header is not None and is_header(header[1]):
            return rows
    return first or []


# --- rows to a tally -------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell as text: numbers without a spurious .0, a neutralised formula prefix removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def header_row(rows: Iterable[Row]) -> Row | None:
    """The first row with any text: the header."""
    for number, cells in rows:
        if any(cell_text(cell) for cell in cells):
            return number, cells
    return None


def _is_tally_header(cells: Sequence[object]) -> bool:
    found = {match_header(cell_text(cell)) for cell in cells}
    return all(column in found for column in REQUIRED)


def _sheet_from_rows(rows: list[Row], filename: str) -> Sheet:
    header = header_row(rows)
    if header is None:
        raise SheetError(Message(gettext_noop("The file is empty.")), Location(file=filename))
    header_number, header_cells = header
    columns: dict[Column, int] = {}
    for index, cell in enumerate(header_cells):
        text = cell_text(cell)
        column = match_header(text)
        if column is None:
            continue
        if column in columns:
            raise SheetError(
                Message(gettext_noop("The column “%(column)s” appears twice."), {"column": text}),
                Location(
                    file=filename,
                    row=header_number,
                    column=text,
                    column_letter=column_letter(index),
                ),
            )
        columns[column] = index
    missing = [column for column in REQUIRED if column not in columns]
    if Column.GOAL not in columns and Column.RECOMMENDATION not in columns:
        missing.append(Column.RECOMMENDATION)
    if missing:
        found = [cell_text(cell) for cell in header_cells if cell_text(cell)]
        raise SheetError(
            Message(
                gettext_noop(
                    "Required column “%(column)s” is missing. "
                    "The header row has: %(found)s. Expected: Themenfeld, Punkte, "
                    "and Handlungsempfehlung or Ziel."
                ),
                {"column": missing[0].header, "found": ", ".join(found) or "–"},
            ),
            Location(file=filename, row=header_number),
        )
    headers = {column: cell_text(header_cells[index]) for column, index in columns.items()}
    builder = _TallyBuilder(filename, columns, headers)
    for number, cells in rows:
        if number > header_number:
            builder.add_row(number, cells)
    if not builder.cards and not builder.goals:
        raise SheetError(
            Message(gettext_noop("The sheet has a header row but no cards.")),
            Location(file=filename),
        )
    tally = Tally(goals=tuple(builder.goals.values()), cards=tuple(builder.cards))
    return Sheet(name=filename, tally=tally, columns=headers)


def parse_points(raw: object, where: Location) -> int | None:
    """A cell of points as a whole number of 0 or more; None for an empty cell."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise SheetError(_not_whole(raw), where)
    shown: object = None  # the value as the message shows it, when not the number itself
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise SheetError(_not_whole(raw), where)
        value = int(raw)
    else:
        text = cell_text(raw).replace("\u2212", "-")
        digits = text.lstrip("+-")
        if digits.isascii() and digits.isdigit() and len(digits.lstrip("0")) > len(str(MAX_POINTS)):
            shown = text[:12] + "…"  # thousands of digits: int() refuses them, a message too
            value = -1 if text.startswith("-") else MAX_POINTS + 1
        else:
            try:
                value = int(text)
            except ValueError:
                raise SheetError(_not_whole(text), where) from None
    if value < 0:
        raise SheetError(
            Message(
                gettext_noop("Points cannot be negative (“%(value)s”)."),
                {"value": value if shown is None else shown},
            ),
            where,
        )
    if value > MAX_POINTS:
        raise SheetError(
            Message(
                gettext_noop("Points can be at most %(max)s."),
                {"max": f"{MAX_POINTS:,}".replace(",", ".")},
            ),
            where,
        )
    return value


def _not_whole(value: object) -> Message:
    return Message(
        gettext_noop("Points must be a whole number of 0 or more, not “%(value)s”."),
        {"value": value},
    )


class _TallyBuilder:
    def __init__(self, filename: str, columns: dict[Column, int], headers: dict[Column, str]):
        self.filename = filename
        self.columns = columns
        self.headers = headers
        self.goals: dict[tuple[str, str], Goal] = {}
        self.cards: list[Card] = []

    def _location(self, row: int, column: Column) -> Location:
        return Location(
            file=self.filename,
            row=row,
            column=self.headers.get(column, column.header),
            column_letter=column_letter(self.columns[column]) if column in self.columns else None,
        )

    def _cell(self, cells: Sequence[object], column: Column) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return ""
        return cell_text(cells[index])

    def _points(self, row: int, cells: Sequence[object], column: Column) -> int | None:
        index = self.columns.get(column)
        raw = cells[index] if index is not None and index < len(cells) else None
        return parse_points(raw, self._location(row, column))

    def _yes_no(self, row: int, cells: Sequence[object]) -> bool | None:
        if Column.TOPIC_STORE not in self.columns:
            return None
        text = self._cell(cells, Column.TOPIC_STORE).casefold()
        if text in YES:
            return True
        if text in NO:
            return False
        raise SheetError(
            Message(
                gettext_noop("“%(value)s” is not a yes/no value (write ja or leave it empty)."),
                {"value": self._cell(cells, Column.TOPIC_STORE)},
            ),
            self._location(row, Column.TOPIC_STORE),
        )

    def _check_texts(self, row: int, cells: Sequence[object]) -> None:
        for column in self.columns:
            text = self._cell(cells, column)
            if has_forbidden_character(text):
                raise SheetError(
                    Message(
                        gettext_noop("The text contains a null character, which cannot be stored.")
                    ),
                    self._location(row, column),
                )
        for column, limit in ((Column.THEME_FIELD, MAX_NAME), (Column.NR, MAX_GOAL_NR)):
            if len(normalise_text(self._cell(cells, column))) > limit:
                raise SheetError(
                    Message(
                        gettext_noop("This text is longer than %(max)s characters."), {"max": limit}
                    ),
                    self._location(row, column),
                )

    def add_row(self, row: int, cells: Sequence[object]) -> None:
        if not any(cell_text(cell) for cell in cells):
            return
        self._check_texts(row, cells)
        theme_field = normalise_text(self._cell(cells, Column.THEME_FIELD))
        text = self._cell(cells, Column.RECOMMENDATION)
        goal_text = self._cell(cells, Column.GOAL)
        indicator = self._cell(cells, Column.INDICATOR)
        responsible = self._cell(cells, Column.RESPONSIBLE)
        if not theme_field:
            raise SheetError(
                Message(gettext_noop("This row has text but no theme field.")),
                self._location(row, Column.THEME_FIELD),
            )
        dots = self._points(row, cells, Column.DOTS) or 0
        stated_points = self._points(row, cells, Column.GOAL_POINTS)
        in_topic_store = self._yes_no(row, cells)
        if not text and not goal_text:
            missing = (
                Column.RECOMMENDATION if Column.RECOMMENDATION in self.columns else Column.GOAL
            )
            raise SheetError(
                Message(gettext_noop("This row has neither a recommendation nor a goal.")),
                self._location(row, missing),
            )
        goal = self._goal(theme_field, goal_text, self._cell(cells, Column.NR), stated_points)
        if goal is not None and not text and not indicator and not responsible and dots == 0:
            return  # a row that only names a goal
        self.cards.append(
            Card(
                id=f"r{row}",
                theme_field=theme_field,
                text=text,
                dots=dots,
                goal_id=goal.id if goal else None,
                indicator=indicator,
                responsible=responsible,
                stated_in_topic_store=in_topic_store,
                row=row,
            )
        )

    def _goal(self, theme_field: str, text: str, nr: str, stated: int | None) -> Goal | None:
        key = normalise_text(text)
        if not key:
            return None
        goal = self.goals.get((theme_field, key))
        if goal is None:
            goal = Goal(
                id=f"{theme_field}\x1f{key}",
                theme_field=theme_field,
                text=text,
                nr=nr,
                stated_points=stated,
            )
        elif (not goal.nr and nr) or (goal.stated_points is None and stated is not None):
            goal = Goal(
                id=goal.id,
                theme_field=theme_field,
                text=goal.text,
                nr=goal.nr or nr,
                stated_points=goal.stated_points if goal.stated_points is not None else stated,
            )
        self.goals[(theme_field, key)] = goal
        return goal
