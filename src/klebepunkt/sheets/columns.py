"""The columns of a tally sheet: German headers as the seed prints them, English aliases."""

from __future__ import annotations

from enum import StrEnum


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

_BY_NAME: dict[str, Column] = {
    alias: column for column, names in ALIASES.items() for alias in names
}

REQUIRED: tuple[Column, ...] = (Column.THEME_FIELD, Column.DOTS)


def _header_key(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold().rstrip(":")


def match_header(text: str) -> Column | None:
    """The column a header cell names, matched case- and space-insensitively."""
    key = _header_key(text)
    return _BY_NAME.get(key) or _BY_NAME.get(key.replace(" ", "_"))


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

_BALLOT_BY_NAME: dict[str, BallotColumn] = {
    _header_key(alias): column for column, names in BALLOT_ALIASES.items() for alias in names
}

BALLOT_REQUIRED: tuple[BallotColumn, ...] = (
    BallotColumn.VOTER,
    BallotColumn.THEME_FIELD,
    BallotColumn.DOTS,
)


def match_ballot_header(text: str) -> BallotColumn | None:
    """The ballots-sheet column a header cell names, matched like :func:`match_header`."""
    return _BALLOT_BY_NAME.get(_header_key(text))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the label a spreadsheet shows."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
