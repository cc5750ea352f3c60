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
            report.reason_text(entry),
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
            report.reason_text(entry),
        ]
        for section in report.topic_store
        for entry in section.entries
    )
    return csv_bytes(header, rows)


def documentation_tables(report: Report) -> list[Table]:
    """Teil I as tables: composition and meetings (when known), method, figures."""
    doc = report.documentation
    if doc is None:
        return []
    t = report.t
    part = t(gettext_noop("Part I"))
    tables: list[Table] = []
    if doc.composition_lines:
        tables.append(
            (
                part + " – " + t(gettext_noop("Composition")),
                [
                    t(gettext_noop("Stakeholder group")),
                    t(gettext_noop("Who?")),
                    t(gettext_noop("How many?")),
                    t(gettext_noop("Members")),
                    t(gettext_noop("Voting right")),
                ],
                [
                    [
                        line.stakeholder_group,
                        line.who,
                        line.how_many,
                        line.members,
                        line.voting_text,
                    ]
                    for line in doc.composition_lines
                ],
            )
        )
    if doc.meeting_lines:
        tables.append(
            (
                part + " – " + t(gettext_noop("Meetings")),
                [
                    t(gettext_noop("Date and time")),
                    t(gettext_noop("Place")),
                    t(gettext_noop("Focus")),
                ],
                [[line.when, line.place, line.focus] for line in doc.meeting_lines],
            )
        )
    method_rows: list[list[object]] = [[doc.introduction]] if doc.introduction else []
    method_rows += [[doc.note]] if doc.note else []
    method_rows += [[paragraph] for paragraph in doc.method]
    method = t(gettext_noop("Method"))
    tables.append((f"{part} – {method}", [method], method_rows))
    tables.append(
        (
            part + " – " + t(gettext_noop("Figures")),
            [t(gettext_noop("Figure")), t(gettext_noop("Value"))],
            [[label, value] for label, value in doc.figures],
        )
    )
    return tables


def chart_table(report: Report) -> Table:
    """The data of the charts: every goal with its points and the threshold."""
    t = report.t
    header = [
        t(gettext_noop("Theme field")),
        t(gettext_noop("No.")),
        t(gettext_noop("Goal")),
        t(gettext_noop("Points for the goal")),
        t(gettext_noop("Threshold")),
        t(gettext_noop("Priority")),
    ]
    rows: list[list[object]] = [
        [
            chart.theme_field,
            bar.nr,
            bar.goal,
            bar.points,
            chart.threshold,
            _yes(report, bar.is_priority),
        ]
        for chart in report.charts
        for bar in chart.bars
    ]
    return t(gettext_noop("Points per goal")), header, rows


def near_threshold_table(report: Report) -> Table:
    t = report.t
    header = [
        t(gettext_noop("Theme field")),
        t(gettext_noop("No.")),
        t(gettext_noop("Goal")),
        t(gettext_noop("Points for the goal")),
        t(gettext_noop("Priority")),
        t(gettext_noop("Explanation")),
    ]
    rows: list[list[object]] = [
        [
            near.theme_field,
            near.nr,
            near.goal,
            near.points,
            _yes(report, near.is_priority),
            near.explanation,
        ]
        for near in report.explanation.near_threshold
    ]
    return t(gettext_noop("Close to the threshold")), header, rows


def support_table(report: Report) -> Table:
    t = report.t
    explanation = report.explanation
    header = [
        t(gettext_noop("Theme field")),
        t(gettext_noop("No.")),
        t(gettext_noop("Goal")),
        t(gettext_noop("Points for the goal")),
        t(gettext_noop("Distinct supporters")),
        *explanation.support_groups,
    ]
    rows: list[list[object]] = [
        [
            row.theme_field,
            row.nr,
            row.goal,
            row.points,
            row.supporters,
            *(explanation.dots_of(row, group) for group in explanation.support_groups),
        ]
        for row in explanation.support
    ]
    return t(gettext_noop("Support")), header, rows


def render_xlsx(report: Report) -> bytes:
    """A sheet per part, in the report's order; every sheet with a frozen header and filters."""
    sheets = [
        *documentation_tables(report),
        overview_table(report),
        priorities_table(report),
        topic_store_table(report),
        chart_table(report),
        near_threshold_table(report),
    ]
    if report.explanation.support:
        sheets.append(support_table(report))
    return workbook_bytes(sheets, title=report.title, language=report.language)


def report_dict(report: Report) -> dict[str, Any]:
    doc = report.documentation
    explanation = report.explanation
    document: dict[str, Any] = {
        "title": report.title,
        "subtitle": report.subtitle,
        "language": report.language,
        "summary": report.summary,
        **evaluation_dict(report.evaluation, report.translate),
        "documentation": None
        if doc is None
        else {
            "introduction": doc.introduction,
            "note": doc.note,
            "composition": [
                {
                    "stakeholder_group": line.stakeholder_group,
                    "who": line.who,
                    "how_many": line.how_many,
                    "members": line.members,
                    "voting": line.voting,
                }
                for line in doc.composition_lines
            ],
            "meetings": [
                {
                    "date": meeting.date.isoformat(),
                    "start": f"{meeting.start:%H:%M}" if meeting.start else None,
                    "end": f"{meeting.end:%H:%M}" if meeting.end else None,
                    "when": line.when,
                    "place": line.place,
                    "focus": line.focus,
                }
                for meeting, line in zip(doc.meetings, doc.meeting_lines, strict=True)
            ],
            "method": list(doc.method),
            "figures": [{"label": label, "value": value} for label, value in doc.figures],
        },
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
        "topic_store_reasons": [
            report.reason_text(entry) for section in report.topic_store for entry in section.entries
        ],
        "charts": [
            {
                "theme_field": chart.theme_field,
                "title": chart.title,
                "description": chart.description,
                "threshold": chart.threshold,
                "scale_max": chart.scale_max,
                "bars": [
                    {
                        "nr": bar.nr,
                        "goal": bar.goal,
                        "points": bar.points,
                        "priority": bar.is_priority,
                    }
                    for bar in chart.bars
                ],
            }
            for chart in report.charts
        ],
        "explanation": {
            "near_threshold": [
                {
                    "theme_field": near.theme_field,
                    "nr": near.nr,
                    "goal": near.goal,
                    "points": near.points,
                    "priority": near.is_priority,
                    "side": near.side.value,
                    "explanation": near.explanation,
                }
                for near in explanation.near_threshold
            ],
            "support": [
                {
                    "theme_field": row.theme_field,
                    "nr": row.nr,
                    "goal": row.goal,
                    "points": row.points,
                    "supporters": row.supporters,
                    "dots_by_group": dict(row.dots_by_group),
                }
                for row in explanation.support
            ],
        },
    }
    return document


def render_json(report: Report) -> bytes:
    return (json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
