"""The columns of tally and ballots sheets: German headers as the seed prints them, aliases."""

from __future__ import annotations

from enum import StrEnum

from klebepunkt.domain import gettext_noop
from klebepunkt.sheets.table import Layout, column_letter

__all__ = [
    "ALIASES",
    "BALLOTS",
    "BALLOT_ALIASES",
    "BALLOT_HEADERS",
    "BALLOT_REQUIRED",
    "HEADERS",
    "REQUIRED",
    "TALLY",
    "BallotColumn",
    "Column",
    "column_letter",
    "match_ballot_header",
    "match_header",
]


class Column(StrEnum):
    THEME_FIELD = "theme_field"
    NR = "nr"
    GOAL = "goal"
    RECOMMENDATION = "recommendation"
    INDICATOR = "indicator"
    RESPONSIBLE = "responsible"
    DOTS = "dots"
    GOAL_POINTS = "goal_points"
    TOPIC_STORE = "topic_store"

    @property
    def header(self) -> str:
        """The German header klebepunkt writes."""
        return HEADERS[self]


HEADERS: dict[Column, str] = {
    Column.THEME_FIELD: "Themenfeld",
    Column.NR: "Nr",
    Column.GOAL: "Ziel",
    Column.RECOMMENDATION: "Handlungsempfehlung",
    Column.INDICATOR: "Indikator",
    Column.RESPONSIBLE: "Zuständigkeit",
    Column.DOTS: "Punkte für HE",
    Column.GOAL_POINTS: "Punkte für das Ziel",
    Column.TOPIC_STORE: "Themenspeicher",
}

ALIASES: dict[Column, tuple[str, ...]] = {
    Column.THEME_FIELD: ("themenfeld", "theme_field", "theme field"),
    Column.NR: ("nr", "nr.", "nummer", "no", "no.", "number"),
    Column.GOAL: ("ziel", "goal"),
    Column.RECOMMENDATION: ("handlungsempfehlung", "recommendation", "he", "karte", "card"),
    Column.INDICATOR: ("indikator", "indicator"),
    Column.RESPONSIBLE: ("zuständigkeit", "zustaendigkeit", "responsible", "responsible body"),
    Column.DOTS: ("punkte", "punkte für he", "punkte fuer he", "dots", "points"),
    Column.GOAL_POINTS: (
        "punkte für das ziel",
        "punkte fuer das ziel",
        "punkte ziel",
        "goal_points",
        "goal points",
    ),
    Column.TOPIC_STORE: ("themenspeicher", "topic_store", "topic store"),
}

REQUIRED: tuple[Column, ...] = (Column.THEME_FIELD, Column.DOTS)

TALLY = Layout(
    headers=HEADERS,
    aliases=ALIASES,
    required=REQUIRED,
    any_of=(Column.RECOMMENDATION, Column.GOAL),
    missing=gettext_noop(
        "Required column “%(column)s” is missing. "
        "The header row has: %(found)s. Expected: Themenfeld, Punkte, "
        "and Handlungsempfehlung or Ziel."
    ),
)


def match_header(text: str) -> Column | None:
    """The column a header cell names, matched case- and space-insensitively."""
    return TALLY.match(text)


class BallotColumn(StrEnum):
    """The columns of a ballots sheet: one voter's dots on one card per row."""

    VOTER = "voter"
    STAKEHOLDER_GROUP = "stakeholder_group"
    THEME_FIELD = "theme_field"
    GOAL = "goal"
    RECOMMENDATION = "recommendation"
    DOTS = "dots"

    @property
    def header(self) -> str:
        """The German header klebepunkt writes and names in messages."""
        return BALLOT_HEADERS[self]


BALLOT_HEADERS: dict[BallotColumn, str] = {
    BallotColumn.VOTER: "Mitglied",
    BallotColumn.STAKEHOLDER_GROUP: "Bereich",
    BallotColumn.THEME_FIELD: "Themenfeld",
    BallotColumn.GOAL: "Ziel",
    BallotColumn.RECOMMENDATION: "Handlungsempfehlung",
    BallotColumn.DOTS: "Punkte",
}

BALLOT_ALIASES: dict[BallotColumn, tuple[str, ...]] = {
    BallotColumn.VOTER: (
        "mitglied",
        "voter",
        "voter id",
        "name",
        "person",
        "pseudonym",
        "code",
        "teilnehmer",
        "teilnehmerin",
        "teilnehmer:in",
        "teilnehmende",
    ),
    BallotColumn.STAKEHOLDER_GROUP: ("bereich", "stakeholder group", "gruppe", "group"),
    BallotColumn.THEME_FIELD: ALIASES[Column.THEME_FIELD],
    BallotColumn.GOAL: ALIASES[Column.GOAL],
    BallotColumn.RECOMMENDATION: ALIASES[Column.RECOMMENDATION],
    BallotColumn.DOTS: ("punkte", "klebepunkte", "dots", "points"),
}

BALLOT_REQUIRED: tuple[BallotColumn, ...] = (
    BallotColumn.VOTER,
    BallotColumn.THEME_FIELD,
    BallotColumn.DOTS,
)

BALLOTS = Layout(
    headers=BALLOT_HEADERS,
    aliases=BALLOT_ALIASES,
    required=BALLOT_REQUIRED,
    any_of=(BallotColumn.RECOMMENDATION, BallotColumn.GOAL),
    missing=gettext_noop(
        "Required column “%(column)s” is missing. The header row has: "
        "%(found)s. Expected: Mitglied, Themenfeld, Handlungsempfehlung "
        "(or Ziel) and Punkte; Bereich if known."
    ),
)


def match_ballot_header(text: str) -> BallotColumn | None:
    """The ballots-sheet column a header cell names, matched like :func:`match_header`."""
    return BALLOTS.match(text)
