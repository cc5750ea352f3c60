"""Read a ballots sheet (CSV or XLSX): per-voter dots, for support and stability.

One row per voter and card: ``Mitglied`` (a name, code or pseudonym), optional
``Bereich`` (stakeholder group), ``Themenfeld``, ``Handlungsempfehlung`` (the card's
text as in the tally sheet; for a dot on the goal itself leave it empty and name
the ``Ziel``) and ``Punkte``. Several rows for the same voter and card add up.

The card is found by its text in that theme field (case and spaces do not
matter); the goal tells apart two cards with the same text. The ballots must
agree with the tally and the rules: they never give a card more dots than it
carries, and no voter spends more than the dots per voter (or the cap per card).
Every error names the file, the row and the column, as for a tally sheet.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from klebepunkt.domain import (
    Ballot,
    BallotField,
    Card,
    Location,
    Message,
    Rules,
    Tally,
    ballot_problems,
    gettext_noop,
)
from klebepunkt.domain.model import normalise_text
from klebepunkt.sheets.columns import (
    BALLOT_REQUIRED,
    BallotColumn,
    column_letter,
    match_ballot_header,
)
from klebepunkt.sheets.reader import (
    Row,
    SheetError,
    cell_text,
    header_row,
    parse_points,
    read_file,
    sheet_rows,
)

_COLUMN_OF_FIELD = {
    BallotField.VOTER: BallotColumn.VOTER,
    BallotField.STAKEHOLDER_GROUP: BallotColumn.STAKEHOLDER_GROUP,
    BallotField.CARD: BallotColumn.RECOMMENDATION,
    BallotField.DOTS: BallotColumn.DOTS,
}


def read_ballots(path: str | Path, tally: Tally, rules: Rules | None = None) -> tuple[Ballot, ...]:
    path = Path(path)
    return read_ballots_bytes(read_file(path), path.name, tally, rules)


def read_ballots_bytes(
    content: bytes, filename: str, tally: Tally, rules: Rules | None = None
) -> tuple[Ballot, ...]:
    """The ballots of a sheet, matched to the tally's cards and checked against the rules."""
    rows = sheet_rows(content, filename, _is_ballots_header)
    reader = _BallotReader(filename, rows, tally)
    ballots = reader.ballots()
    problems = ballot_problems(tally, ballots, rules or Rules())
    if problems:
        problem = problems[0]
        row = problem.ballot.row if problem.ballot.row is not None else 0
        raise SheetError(problem.message, reader.location(row, _COLUMN_OF_FIELD[problem.field]))
    return ballots


def _is_ballots_header(cells: Sequence[object]) -> bool:
    found = {match_ballot_header(cell_text(cell)) for cell in cells}
    return all(column in found for column in BALLOT_REQUIRED)


def _key(text: str) -> str:
    return normalise_text(text).casefold()


class _BallotReader:
    def __init__(self, filename: str, rows: list[Row], tally: Tally) -> None:
        self.filename = filename
        self.rows = rows
        self.columns: dict[BallotColumn, int] = {}
        self.headers: dict[BallotColumn, str] = {}
        self.fields = {_key(name): name for name in tally.ordered_theme_fields()}
        goals = {goal.id: goal for goal in tally.goals}
        self.cards: dict[tuple[str, str], list[Card]] = {}
        self.texts: dict[str, list[str]] = {}  # theme field → card texts, for "did you mean"
        for card in tally.cards:
            self.cards.setdefault((_key(card.theme_field), _key(card.text)), []).append(card)
            if card.text:
                self.texts.setdefault(card.theme_field, []).append(card.text)
        self.goal_text = {
            card.id: _key(goals[card.goal_id].text) if card.goal_id in goals else ""
            for card in tally.cards
        }

    def location(self, row: int, column: BallotColumn) -> Location:
        index = self.columns.get(column)
        return Location(
            file=self.filename,
            row=row,
            column=self.headers.get(column, column.header),
            column_letter=column_letter(index) if index is not None else None,
        )

    def _cell(self, cells: Sequence[object], column: BallotColumn) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return ""
        return cell_text(cells[index])

    def ballots(self) -> tuple[Ballot, ...]:
        header = header_row(self.rows)
        if header is None:
            raise SheetError(Message(gettext_noop("The file is empty.")), Location(self.filename))
        number, cells = header
        for index, cell in enumerate(cells):
            text = cell_text(cell)
            column = match_ballot_header(text)
            if column is None:
                continue
            if column in self.columns:
                raise SheetError(
                    Message(
                        gettext_noop("The column “%(column)s” appears twice."), {"column": text}
                    ),
                    Location(
                        file=self.filename,
                        row=number,
                        column=text,
                        column_letter=column_letter(index),
                    ),
                )
            self.columns[column] = index
            self.headers[column] = text
        missing = [column for column in BALLOT_REQUIRED if column not in self.columns]
        if not {BallotColumn.RECOMMENDATION, BallotColumn.GOAL} & self.columns.keys():
            missing.append(BallotColumn.RECOMMENDATION)
        if missing:
            found = [cell_text(cell) for cell in cells if cell_text(cell)]
            raise SheetError(
                Message(
                    gettext_noop(
                        "Required column “%(column)s” is missing. The header row has: "
                        "%(found)s. Expected: Mitglied, Themenfeld, Handlungsempfehlung "
                        "(or Ziel) and Punkte; Bereich if known."
                    ),
                    {"column": missing[0].header, "found": ", ".join(found) or "–"},
                ),
                Location(file=self.filename, row=number),
            )
        ballots = [
            self._ballot(row, row_cells)
            for row, row_cells in self.rows
            if row > number and any(cell_text(cell) for cell in row_cells)
        ]
        if not ballots:
            raise SheetError(
                Message(gettext_noop("The ballots sheet has a header row but no ballots.")),
                Location(file=self.filename),
            )
        return tuple(ballots)

    def _ballot(self, row: int, cells: Sequence[object]) -> Ballot:
        voter = normalise_text(self._cell(cells, BallotColumn.VOTER))
        if not voter:
            raise SheetError(
                Message(gettext_noop("This row has no voter.")),
                self.location(row, BallotColumn.VOTER),
            )
        index = self.columns[BallotColumn.DOTS]
        dots = parse_points(
            cells[index] if index < len(cells) else None, self.location(row, BallotColumn.DOTS)
        )
        return Ballot(
            voter_id=voter,
            stakeholder_group=normalise_text(self._cell(cells, BallotColumn.STAKEHOLDER_GROUP)),
            card_id=self._card(row, cells).id,
            dots=dots or 0,
            row=row,
        )

    def _card(self, row: int, cells: Sequence[object]) -> Card:
        field_text = self._cell(cells, BallotColumn.THEME_FIELD)
        field = self.fields.get(_key(field_text))
        if field is None:
            raise SheetError(
                Message(
                    gettext_noop("There is no theme field “%(theme_field)s” in the tally sheet."),
                    {"theme_field": field_text},
                ),
                self.location(row, BallotColumn.THEME_FIELD),
            )
        text = self._cell(cells, BallotColumn.RECOMMENDATION)
        goal = _key(self._cell(cells, BallotColumn.GOAL))
        if not text and not goal:
            raise SheetError(
                Message(gettext_noop("This row names neither a recommendation nor a goal.")),
                self.location(row, BallotColumn.RECOMMENDATION),
            )
        candidates = self.cards.get((_key(field), _key(text)), [])
        if goal:
            candidates = [card for card in candidates if self.goal_text[card.id] == goal]
        if len(candidates) == 1:
            return candidates[0]
        column = BallotColumn.RECOMMENDATION if text else BallotColumn.GOAL
        if candidates:
            raise SheetError(
                Message(
                    gettext_noop(
                        "Card “%(card)s” appears more than once in “%(theme_field)s”; "
                        "name its goal in the column “Ziel” to tell them apart."
                    ),
                    {"card": text, "theme_field": field},
                ),
                self.location(row, column),
            )
        if not text:
            message = Message(
                gettext_noop(
                    "In “%(theme_field)s” there is no dot on the goal “%(goal)s” itself; "
                    "name the recommendation."
                ),
                {"goal": self._cell(cells, BallotColumn.GOAL), "theme_field": field},
            )
        else:
            close = difflib.get_close_matches(text, self.texts.get(field, []), n=1, cutoff=0.6)
            message = (
                Message(
                    gettext_noop(
                        "There is no card “%(card)s” in “%(theme_field)s”. "
                        "Did you mean “%(close)s”?"
                    ),
                    {"card": text, "theme_field": field, "close": close[0]},
                )
                if close
                else Message(
                    gettext_noop("There is no card “%(card)s” in “%(theme_field)s”."),
                    {"card": text, "theme_field": field},
                )
            )
        raise SheetError(message, self.location(row, column))
