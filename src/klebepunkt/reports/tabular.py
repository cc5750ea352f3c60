"""The report as tables: CSV (German Excel), XLSX (a sheet per part) and JSON."""

from __future__ import annotations

import json
from typing import Any

from klebepunkt.domain import gettext_noop
from klebepunkt.reports.content import OVERVIEW_COLUMNS, Report
from klebepunkt.reports.result import evaluation_dict
from klebepunkt.sheets.writer import csv_bytes
from klebepunkt.sheets.xlsx import workbook_bytes

Table = tuple[str, list[str], list[list[object]]]


def _yes(report: Report, value: bool) -> str:
    return report.t(gettext_noop("yes")) if value else report.t(gettext_noop("no"))


def overview_table(report: Report) -> Table:
    header = [
        report.t(gettext_noop("Theme field")),
        *(report.t(name) for name in OVERVIEW_COLUMNS),
        report.t(gettext_noop("Priority")),
    ]
    rows: list[list[object]] = [
        [
            table.theme_field,
            row.nr,
            row.goal,
            row.recommendation,
            row.indicator,
            row.responsible,
            row.card_dots,
            row.goal_points,
            _yes(report, row.is_priority),
        ]
        for table in report.overview
        for row in table.rows
    ]
    return report.t(gettext_noop("Overview")), header, rows


def priorities_table(report: Report) -> Table:
    header = [
        report.t(gettext_noop("Theme field")),
        report.t(gettext_noop("No.")),
        report.t(gettext_noop("Goal")),
        report.t(gettext_noop("Points for the goal")),
        report.t(gettext_noop("Recommendation")),
        report.t(gettext_noop("Indicator")),
        report.t(gettext_noop("Responsible body")),
        report.t(gettext_noop("Points for the recommendation")),
    ]
    rows: list[list[object]] = [
        [
            goal.theme_field,
            goal.goal.nr,
            goal.goal.text,
            goal.points,
            card.text,
            card.indicator,
            card.responsible,
            card.dots,
        ]
        for goal in report.priorities
        for card in goal.cards
    ]
    return report.t(gettext_noop("Priorities")), header, rows


def topic_store_table(report: Report) -> Table:
    header = [
        report.t(gettext_noop("Theme field")),
        report.t(gettext_noop("Recommendation")),
        report.t(gettext_noop("Reason")),
        report.t(gettext_noop("Goal")),
        report.t(gettext_noop("Points for the goal")),
        report.t(gettext_noop("Indicator")),
        report.t(gettext_noop("Responsible body")),
    ]
    rows: list[list[object]] = [
        [
            section.theme_field,
            entry.text,
            entry.reason.label.render(report.translate),
            entry.goal.text if entry.goal else "",
            entry.goal_points if entry.goal_points is not None else "",
            entry.card.indicator,
            entry.card.responsible,
        ]
        for section in report.topic_store
        for entry in section.entries
    ]
    return report.t(gettext_noop("Topic store")), header, rows


def render_csv(report: Report) -> bytes:
    """One table for German Excel: the overview rows, then the topic store rows.

    The first column names the part; "Priority" marks the priorities; "Reason" tells
    why an entry is in the topic store.
    """
    header = [
        report.t(gettext_noop("Part")),
        report.t(gettext_noop("Theme field")),
        *(report.t(name) for name in OVERVIEW_COLUMNS),
        report.t(gettext_noop("Priority")),
        report.t(gettext_noop("Reason")),
    ]
    overview = report.t(gettext_noop("Overview"))
    store = report.t(gettext_noop("Topic store"))
    rows: list[list[object]] = [
        [
            overview,
            table.theme_field,
            row.nr,
            row.goal,
            row.recommendation,
            row.indicator,
            row.responsible,
            row.card_dots,
            row.goal_points,
            _yes(report, row.is_priority),
            "",
        ]
        for table in report.overview
        for row in table.rows
    ]
    rows.extend(
        [
            store,
            section.theme_field,
            entry.goal.nr if entry.goal else "",
            entry.goal.text if entry.goal else "",
            entry.card.text,
            entry.card.indicator,
            entry.card.responsible,
            entry.card.dots,
            entry.goal_points if entry.goal_points is not None else "",
            _yes(report, False),
            entry.reason.label.render(report.translate),
        ]
        for section in report.topic_store
        for entry in section.entries
    )
    return csv_bytes(header, rows)


def render_xlsx(report: Report) -> bytes:
    return workbook_bytes(
        [overview_table(report), priorities_table(report), topic_store_table(report)]
    )


def report_dict(report: Report) -> dict[str, Any]:
    document: dict[str, Any] = {
        "title": report.title,
        "subtitle": report.subtitle,
        **evaluation_dict(report.evaluation, report.translate),
        "overview": [
            {
                "theme_field": table.theme_field,
                "rows": [
                    {
                        "nr": row.nr,
                        "goal": row.goal,
                        "recommendation": row.recommendation,
                        "indicator": row.indicator,
                        "responsible": row.responsible,
                        "card_dots": row.card_dots,
                        "goal_points": row.goal_points,
                        "priority": row.is_priority,
                    }
                    for row in table.rows
                ],
            }
            for table in report.overview
        ],
    }
    return document


def render_json(report: Report) -> bytes:
    return (json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
