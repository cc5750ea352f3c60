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
from klebepunkt.sheets.columns import BALLOTS, BallotColumn
from klebepunkt.sheets.errors import SheetError
from klebepunkt.sheets.source import read_file
from klebepunkt.sheets.table import Table, read_table

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
    reader = _BallotReader(read_table(content, filename, BALLOTS), tally)
    ballots = reader.ballots()
    problems = ballot_problems(tally, ballots, rules or Rules())
    if problems:
        problem = problems[0]
        row = problem.ballot.row if problem.ballot.row is not None else 0
        raise SheetError(problem.message, reader.location(row, _COLUMN_OF_FIELD[problem.field]))
    return ballots


def _key(text: str) -> str:
    return normalise_text(text).casefold()


class _BallotReader:
    def __init__(self, table: Table[BallotColumn], tally: Tally) -> None:
        self.table = table
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
        return self.table.where(row, column)

    def _cell(self, cells: Sequence[object], column: BallotColumn) -> str:
        return self.table.cell(cells, column)

    def ballots(self) -> tuple[Ballot, ...]:
        ballots = [self._ballot(row, cells) for row, cells in self.table.rows()]
        if not ballots:
            raise SheetError(
                Message(gettext_noop("The ballots sheet has a header row but no ballots.")),
                Location(file=self.table.filename),
            )
        return tuple(ballots)

    def _ballot(self, row: int, cells: Sequence[object]) -> Ballot:
        voter = normalise_text(self._cell(cells, BallotColumn.VOTER))
        if not voter:
            raise SheetError(
                Message(gettext_noop("This row has no voter.")),
                self.location(row, BallotColumn.VOTER),
            )
        dots = self.table.points(row, cells, BallotColumn.DOTS)
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
