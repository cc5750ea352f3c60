"""Write a tally as a sheet that klebepunkt (and a person with Excel) can read back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from klebepunkt.domain import Card, Goal, Tally
from klebepunkt.sheets.columns import Column
from klebepunkt.sheets.reader import FORMULA_PREFIXES, TEXT_COLUMNS


def neutralise(value: object) -> object:
    """Text that a spreadsheet would take for a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def tally_rows(tally: Tally) -> tuple[list[Column], list[list[object]]]:
    """Header and rows: per theme field, each goal with its cards, then the unclustered cards."""
    columns = [*TEXT_COLUMNS, Column.DOTS]
    if tally.states_goal_points:
        columns.append(Column.GOAL_POINTS)
    if tally.states_topic_store:
        columns.append(Column.TOPIC_STORE)
    rows: list[list[object]] = []
    for theme_field in tally.ordered_theme_fields():
        goals = [goal for goal in tally.goals if goal.theme_field == theme_field]
        cards = [card for card in tally.cards if card.theme_field == theme_field]
        for goal in goals:
            goal_cards: list[Card | None] = [card for card in cards if card.goal_id == goal.id]
            for card in goal_cards or [None]:
                rows.append(_row(columns, theme_field, goal, card))
        for card in cards:
            if card.goal_id is None:
                rows.append(_row(columns, theme_field, None, card))
    return columns, rows


def _row(
    columns: list[Column], theme_field: str, goal: Goal | None, card: Card | None
) -> list[object]:
    values: dict[Column, object] = {
        Column.THEME_FIELD: theme_field,
        Column.NR: goal.nr if goal else "",
        Column.GOAL: goal.text if goal else "",
        Column.RECOMMENDATION: card.text if card else "",
        Column.INDICATOR: card.indicator if card else "",
        Column.RESPONSIBLE: card.responsible if card else "",
        Column.DOTS: card.dots if card else 0,
        Column.GOAL_POINTS: goal.stated_points if goal and goal.stated_points is not None else "",
        Column.TOPIC_STORE: "ja" if card and card.stated_in_topic_store else "",
    }
    return [values[column] for column in columns]


def csv_bytes(header: list[str], rows: list[list[object]], encoding: str = "utf-8-sig") -> bytes:
    """CSV for German Excel: semicolons, UTF-8 with BOM, formulas neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return buffer.getvalue().encode(encoding)


def write_sheet(tally: Tally, path: str | Path, *, encoding: str = "utf-8-sig") -> None:
    """Write a tally sheet as .csv or .xlsx, by the path's suffix."""
    path = Path(path)
    columns, rows = tally_rows(tally)
    header = [column.header for column in columns]
    if path.suffix.casefold() == ".xlsx":
        from klebepunkt.sheets.xlsx import workbook_bytes

        path.write_bytes(workbook_bytes([("Punkte", header, rows)]))
    else:
        path.write_bytes(csv_bytes(header, rows, encoding))
