"""Read a tally sheet (CSV or XLSX) into a Tally: the columns of :data:`columns.TALLY` on the
sheet engine (:mod:`klebepunkt.sheets.table`).

Merged cells count for every cell they cover, as the spreadsheet shows them. Every error
is a :class:`SheetError` naming the file, the row as a spreadsheet shows it, and the
column. Reading either succeeds completely or raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from klebepunkt.domain import Card, Goal, Location, Message, Tally, gettext_noop
from klebepunkt.domain.limits import MAX_GOAL_NR, MAX_NAME, has_forbidden_character
from klebepunkt.domain.model import normalise_text
from klebepunkt.sheets.columns import TALLY, Column
from klebepunkt.sheets.errors import MAX_CELLS, MAX_UNPACKED_BYTES, SheetError
from klebepunkt.sheets.source import (
    FORMULA_PREFIXES,
    Row,
    cell_text,
    decode_text,
    detect_delimiter,
    header_row,
    read_file,
    sheet_rows,
)
from klebepunkt.sheets.table import NO, YES, Table, parse_points, read_table

__all__ = [
    "FORMULA_PREFIXES",
    "MAX_CELLS",
    "MAX_UNPACKED_BYTES",
    "NO",
    "YES",
    "Row",
    "Sheet",
    "SheetError",
    "cell_text",
    "decode_text",
    "detect_delimiter",
    "header_row",
    "parse_points",
    "read_file",
    "read_sheet",
    "read_sheet_bytes",
    "sheet_rows",
]


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


def read_sheet(path: str | Path) -> Sheet:
    path = Path(path)
    return read_sheet_bytes(read_file(path), path.name)


def read_sheet_bytes(content: bytes, filename: str) -> Sheet:
    """Read a sheet from its bytes; ``filename`` names it in messages and tells its kind."""
    table = read_table(content, filename, TALLY)
    builder = _TallyBuilder(table)
    for number, cells in table.rows():
        builder.add_row(number, cells)
    if not builder.cards and not builder.goals:
        raise SheetError(
            Message(gettext_noop("The sheet has a header row but no cards.")),
            Location(file=filename),
        )
    tally = Tally(goals=tuple(builder.goals.values()), cards=tuple(builder.cards))
    return Sheet(name=filename, tally=tally, columns=dict(table.headers))


# the text columns of a card row, in the order of a sheet (the writer adds the dots after them)
TEXT_COLUMNS = (
    Column.THEME_FIELD,
    Column.NR,
    Column.GOAL,
    Column.RECOMMENDATION,
    Column.INDICATOR,
    Column.RESPONSIBLE,
)


_ABSENT = 1 << 30  # the index of a column the sheet does not have: beyond every row


class _TallyBuilder:
    def __init__(self, table: Table[Column]):
        self.table = table
        self.goals: dict[tuple[str, str], Goal] = {}
        self.cards: list[Card] = []
        # looked up once, read for every row: the index of each text column (or _ABSENT)
        self.text_indices = tuple(table.columns.get(column, _ABSENT) for column in TEXT_COLUMNS)
        self.dots = table.columns.get(Column.DOTS, _ABSENT)
        self.goal_points = table.columns.get(Column.GOAL_POINTS, _ABSENT)
        self.topic_store = Column.TOPIC_STORE in table.columns
        self.normal: dict[str, str] = {}  # theme field and goal texts, normalised once each

    def _check_texts(self, row: int, cells: Sequence[object], texts: Sequence[str]) -> None:
        if has_forbidden_character("".join(texts)):  # neither CSV nor XLSX can carry one
            for column, text in zip(TEXT_COLUMNS, texts, strict=True):
                if has_forbidden_character(text):
                    raise SheetError(
                        Message(
                            gettext_noop(
                                "The text contains a null character, which cannot be stored."
                            )
                        ),
                        self.table.where(row, column),
                    )
        for column, text, limit in (
            (Column.THEME_FIELD, texts[0], MAX_NAME),
            (Column.NR, texts[1], MAX_GOAL_NR),
        ):
            if len(text) > limit and len(normalise_text(text)) > limit:
                raise SheetError(
                    Message(
                        gettext_noop("This text is longer than %(max)s characters."), {"max": limit}
                    ),
                    self.table.where(row, column),
                )

    def _points(self, row: int, cells: Sequence[object], index: int, column: Column) -> int | None:
        if index >= len(cells):
            return None
        raw = cells[index]
        if type(raw) is str and len(raw) <= 6 and raw.isascii() and raw.isdigit():
            return int(raw)  # the usual cell of a CSV, at most 999999 points
        if type(raw) is int and 0 <= raw <= 999_999:
            return raw  # the usual cell of an XLSX
        return parse_points(raw, lambda: self.table.where(row, column))

    def add_row(self, row: int, cells: Sequence[object]) -> None:
        width = len(cells)
        texts = [
            (
                value.strip()
                if type(value := cells[index]) is str
                else (str(value) if type(value) is int else cell_text(value))  # a number (XLSX)
            )
            if index < width
            else ""
            for index in self.text_indices
        ]
        joined = "".join(texts)
        if "'" in joined:  # a neutralised formula: the slow way
            texts = [
                cell_text(cells[index]) if index < width else "" for index in self.text_indices
            ]
        if "\x00" in joined or len(texts[0]) > MAX_NAME or len(texts[1]) > MAX_GOAL_NR:
            self._check_texts(row, cells, texts)
        field_text, nr, goal_text, text, indicator, responsible = texts
        theme_field = self.normal.get(field_text)
        if theme_field is None:
            theme_field = self.normal[field_text] = normalise_text(field_text)
        if not theme_field:
            raise SheetError(
                Message(gettext_noop("This row has text but no theme field.")),
                self.table.where(row, Column.THEME_FIELD),
            )
        dots = self._points(row, cells, self.dots, Column.DOTS) or 0
        stated_points = (
            self._points(row, cells, self.goal_points, Column.GOAL_POINTS)
            if self.goal_points < width
            else None
        )
        in_topic_store = (
            self.table.yes_no(row, cells, Column.TOPIC_STORE) if self.topic_store else None
        )
        if not text and not goal_text:
            missing = (
                Column.RECOMMENDATION
                if Column.RECOMMENDATION in self.table.columns
                else Column.GOAL
            )
            raise SheetError(
                Message(gettext_noop("This row has neither a recommendation nor a goal.")),
                self.table.where(row, missing),
            )
        goal = self._goal(theme_field, goal_text, nr, stated_points)
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
        key = self.normal.get(text)
        if key is None:
            key = self.normal[text] = normalise_text(text)
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
        else:
            return goal
        self.goals[(theme_field, key)] = goal
        return goal
