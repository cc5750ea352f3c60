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


def match_header(text: str) -> Column | None:
    """The column a header cell names, matched case- and space-insensitively."""
    key = " ".join(text.replace("_", " ").split()).casefold().rstrip(":")
    return _BY_NAME.get(key) or _BY_NAME.get(key.replace(" ", "_"))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the label a spreadsheet shows."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
