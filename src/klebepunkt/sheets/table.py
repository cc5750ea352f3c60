"""The sheet engine: a kind of sheet is a declaration of its columns; a table reads one.

A :class:`Layout` names the columns of a kind of sheet (the German header klebepunkt
writes, the aliases a person may write instead), which are required, and the message
when one is missing. :func:`read_table` finds the header row of a CSV or XLSX file,
matches its cells to the columns (case, spaces and a trailing colon do not matter) and
streams the data rows; the :class:`Table` turns cells into values (text, points,
numbers, dates, yes/no) and every error into a :class:`SheetError` naming file, row and
column as the spreadsheet shows them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Generic, TypeVar

from klebepunkt.domain import Location, Message, gettext_noop
from klebepunkt.domain.limits import DATE_OUT_OF_RANGE, MAX_POINTS, is_sensible_date
from klebepunkt.domain.model import normalise_text
from klebepunkt.sheets.errors import SheetError
from klebepunkt.sheets.source import Row, cell_text, header_row, is_blank, sheet_rows

C = TypeVar("C", bound=StrEnum)

YES = frozenset({"ja", "j", "x", "yes", "y", "true", "wahr", "1", "✓", "✔"})
NO = frozenset({"", "nein", "n", "no", "false", "falsch", "0", "-"})


def header_key(text: str) -> str:
    """A header as matched: spaces and underscores alike, any case, no trailing colon."""
    return " ".join(text.replace("_", " ").split()).casefold().rstrip(":")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the label a spreadsheet shows."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Layout(Generic[C]):
    """A kind of sheet, declared by its columns.

    ``missing`` is the message when a required column is not in the header row, with
    ``%(column)s`` (the first missing), ``%(found)s`` (the headers there are) and
    ``%(expected)s`` (``expected``). ``any_of``: at least one of these columns (the first
    is named when none is there). ``recognised_by``: the columns that pick a worksheet of
    a workbook (default: the required ones).
    """

    headers: Mapping[C, str]
    aliases: Mapping[C, Sequence[str]]
    required: tuple[C, ...]
    missing: str
    any_of: tuple[C, ...] = ()
    expected: str = ""
    recognised_by: tuple[C, ...] | None = None
    by_key: dict[str, C] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key = {
            header_key(alias): column for column, names in self.aliases.items() for alias in names
        }
        for column, header in self.headers.items():
            by_key.setdefault(header_key(header), column)
        object.__setattr__(self, "by_key", by_key)

    def match(self, text: str) -> C | None:
        """The column a header cell names."""
        return self.by_key.get(header_key(text))

    def is_header(self, cells: Sequence[object]) -> bool:
        found = {self.match(cell_text(cell)) for cell in cells}
        wanted = self.required if self.recognised_by is None else self.recognised_by
        return all(column in found for column in wanted)


class Table(Generic[C]):
    """A sheet's header matched to a layout, its data rows, and its cells as values."""

    def __init__(self, filename: str, layout: Layout[C], header: Row, rows: Iterator[Row]) -> None:
        self.filename = filename
        self.layout = layout
        self.header_number, cells = header
        self.columns: dict[C, int] = {}
        self.headers: dict[C, str] = {}
        for index, cell in enumerate(cells):
            text = cell_text(cell)
            column = layout.match(text)
            if column is None:
                continue
            if column in self.columns:
                raise SheetError(
                    Message(
                        gettext_noop("The column “%(column)s” appears twice."), {"column": text}
                    ),
                    Location(
                        file=filename,
                        row=self.header_number,
                        column=text,
                        column_letter=column_letter(index),
                    ),
                )
            self.columns[column] = index
            self.headers[column] = text
        missing = [column for column in layout.required if column not in self.columns]
        if layout.any_of and not any(column in self.columns for column in layout.any_of):
            missing.append(layout.any_of[0])
        if missing:
            found = [cell_text(cell) for cell in cells if cell_text(cell)]
            raise SheetError(
                Message(
                    layout.missing,
                    {
                        "column": layout.headers[missing[0]],
                        "found": ", ".join(found) or "–",
                        "expected": layout.expected,
                    },
                ),
                Location(file=filename, row=self.header_number),
            )
        self._rows = rows

    def rows(self) -> Iterator[Row]:
        """The data rows after the header that show any text, read as they are needed."""
        for row in self._rows:
            cells = row[1]
            first = cells[0] if cells else None
            if type(first) is str and first.strip():
                yield row  # the usual row: its first cell shows text
                continue
            try:  # a row of text (CSV): one C call
                if "".join(cells).strip():  # type: ignore[arg-type]
                    yield row
                continue
            except TypeError:
                pass
            if not is_blank(cells):
                yield row

    def has(self, column: C) -> bool:
        return column in self.columns

    def where(self, row: int, column: C) -> Location:
        index = self.columns.get(column)
        return Location(
            file=self.filename,
            row=row,
            column=self.headers.get(column, self.layout.headers[column]),
            column_letter=column_letter(index) if index is not None else None,
        )

    def raw(self, cells: Sequence[object], column: C) -> object:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def cell(self, cells: Sequence[object], column: C) -> str:
        """The cell as text, as written (trimmed)."""
        return cell_text(self.raw(cells, column))

    def text(self, cells: Sequence[object], column: C) -> str:
        """The cell as text with its spaces normalised (a name)."""
        return normalise_text(cell_text(self.raw(cells, column)))

    def long_text(self, cells: Sequence[object], column: C) -> str:
        """Text that keeps its line breaks (a comment), trimmed."""
        raw = self.raw(cells, column)
        return cell_text(raw).strip().replace("\r\n", "\n") if raw is not None else ""

    def points(self, row: int, cells: Sequence[object], column: C) -> int | None:
        raw = self.raw(cells, column)
        if raw is None:
            return None
        return parse_points(raw, lambda: self.where(row, column))

    def number(self, row: int, cells: Sequence[object], column: C) -> Decimal | None:
        return parse_number(self.raw(cells, column), self.where(row, column))

    def date(self, row: int, cells: Sequence[object], column: C) -> date | None:
        return parse_date(self.raw(cells, column), self.where(row, column))

    def yes_no(self, row: int, cells: Sequence[object], column: C) -> bool:
        """A yes/no cell: ja, x, 1, ✓ … or empty, nein, 0 …"""
        text = self.cell(cells, column)
        folded = text.casefold()
        if folded in YES:
            return True
        if folded in NO:
            return False
        raise SheetError(
            Message(
                gettext_noop("“%(value)s” is not a yes/no value (write ja or leave it empty)."),
                {"value": text},
            ),
            self.where(row, column),
        )


def read_table(content: bytes, filename: str, layout: Layout[C]) -> Table[C]:
    """The table of a CSV or XLSX file of this layout; refused by its header row before any
    other row is read."""
    rows = sheet_rows(content, filename, layout.is_header)
    header = header_row(rows)
    if header is None:
        raise SheetError(Message(gettext_noop("The file is empty.")), Location(file=filename))
    return Table(filename, layout, header, rows)


# --- numbers and dates -----------------------------------------------------------------------


def parse_points(raw: object, where: Location | Callable[[], Location]) -> int | None:
    """A cell of points as a whole number of 0 or more; None for an empty cell."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if type(raw) is int and 0 <= raw <= MAX_POINTS:
        return raw
    if type(raw) is str:
        text = raw.strip()
        if text.isascii() and text.isdigit() and len(text) <= 7 and int(text) <= MAX_POINTS:
            return int(text)
    return _checked_points(raw, where() if callable(where) else where)


def _checked_points(raw: object, where: Location) -> int:
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


_DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[ T]\d{1,2}:\d{2}(:\d{2})?$"),
)


def parse_date(raw: object, where: Location) -> date | None:
    """A date from a cell (an Excel date, 31.12.2026 or 2026-12-31) from 1900 to 2200;
    None when empty."""
    day = _parse_date(raw, where)
    if day is not None and not is_sensible_date(day):
        raise SheetError(Message(DATE_OUT_OF_RANGE, {"value": f"{day:%d.%m.%Y}"}), where)
    return day


def _parse_date(raw: object, where: Location) -> date | None:
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = cell_text(raw)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        found = pattern.match(text)
        if found:
            try:
                return date(int(found["y"]), int(found["m"]), int(found["d"]))
            except ValueError:
                break
    raise SheetError(
        Message(
            gettext_noop("“%(value)s” is not a date. Write it as 31.12.2026."), {"value": text}
        ),
        where,
    )


_GERMAN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


def parse_number(raw: object, where: Location) -> Decimal | None:
    """A number from a cell: a spreadsheet number, or text as German (1.234,5) or English
    (1234.5) writes it; None when empty. "1.234" is read the German way, as 1234."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise SheetError(_not_a_number(str(raw)), where)
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    text = cell_text(raw).replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _GERMAN_THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise SheetError(_not_a_number(cell_text(raw)), where) from None
    if not value.is_finite():
        raise SheetError(_not_a_number(cell_text(raw)), where)
    return value


def _not_a_number(text: str) -> Message:
    return Message(gettext_noop("“%(value)s” is not a number."), {"value": text})
