"""The report as tables: CSV (German Excel), XLSX (a sheet per part) and JSON."""

from __future__ import annotations

import json
from typing import Any

from klebepunkt.domain import gettext_noop
from klebepunkt.reports.content import OVERVIEW_COLUMNS, GoalExplanationRow, Report
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


def goals_explained_table(report: Report) -> Table:
    """Every goal with its margin, support, stability and other ways of counting.

    Numbers stay numbers (the margin in dots, the supporters, the largest share in per
    cent, the points under each other way of counting) next to the sentences.
    """
    text, explanation = report.text, report.explanation
    header = [
        text.theme_field,
        text.overview_columns[0],
        text.goal,
        report.t(gettext_noop("Points for the goal")),
        text.status,
        text.margin,
        text.dots_to_change,
    ]
    if explanation.has_ballots:
        header += [
            text.distinct_supporters,
            f"{text.largest_share} (%)",
            text.single_supporter,
            text.unattributed_dots,
            text.stability,
            text.changes_without,
        ]
    header += [*explanation.what_if_labels, text.other_ways]
    rows: list[list[object]] = []
    for row in explanation.goal_rows:
        cells: list[object] = [
            row.theme_field,
            row.nr,
            row.goal,
            row.points,
            row.status,
            row.margin,
            row.dots_to_change,
        ]
        if explanation.has_ballots:
            cells += [
                row.supporters,
                row.largest_share_percent,
                _yes(report, row.single_supporter),
                row.unattributed_dots,
                row.stability,
                row.changes_without,
            ]
        cells += [line.points for line in row.what_if]
        cells.append("\n".join(row.other_ways_lines))
        rows.append(cells)
    return report.t(gettext_noop("Explanation per goal")), header, rows


def departures_table(report: Report) -> Table:
    text = report.text
    header = [text.theme_field, text.row, text.departures]
    rows: list[list[object]] = [
        [departure.theme_field, departure.row, departure.text]
        for departure in report.explanation.departures
    ]
    return text.departures_sheet, header, rows


def similar_cards_table(report: Report) -> Table:
    text = report.text
    header = [
        text.theme_field,
        text.recommendation,
        text.theme_field,
        text.recommendation,
        text.similarity,
    ]
    rows: list[list[object]] = [
        [pair.first_theme_field, pair.first, pair.second_theme_field, pair.second, pair.percent]
        for pair in report.explanation.similar_cards
    ]
    return text.similar_cards, header, rows


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
    explanation = report.explanation
    if explanation.analysed:
        sheets.append(goals_explained_table(report))
    if explanation.support:
        sheets.append(support_table(report))
    if explanation.departures:
        sheets.append(departures_table(report))
    if explanation.similar_cards:
        sheets.append(similar_cards_table(report))
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
            "analysed": explanation.analysed,
            "support_available": explanation.has_ballots,
            "note": explanation.no_ballots_note,
            "goals": [_goal_explained_dict(row) for row in explanation.goal_rows],
            "what_if_legend": explanation.what_if_legend,
            "rule_note": report.text.rule_decides if explanation.analysed else "",
            "departures": [
                {
                    "code": departure.code,
                    "theme_field": departure.theme_field,
                    "row": departure.row,
                    "message": departure.text,
                }
                for departure in explanation.departures
            ],
            "similar_cards": [
                {
                    "cards": [
                        {"theme_field": pair.first_theme_field, "text": pair.first},
                        {"theme_field": pair.second_theme_field, "text": pair.second},
                    ],
                    "percent": pair.percent,
                    "text": pair.text,
                }
                for pair in explanation.similar_cards
            ],
        },
    }
    return document


def _goal_explained_dict(row: GoalExplanationRow) -> dict[str, Any]:
    """One goal of the explanation; support and stability are null without ballots."""
    return {
        "theme_field": row.theme_field,
        "nr": row.nr,
        "goal": row.goal,
        "points": row.points,
        "priority": row.is_priority,
        "status": row.status,
        "dots_to_change": row.dots_to_change,
        "margin": row.margin,
        "cards": row.cards,
        "supporters": row.supporters,
        "largest_supporter_share_percent": row.largest_share_percent,
        "single_supporter": row.single_supporter if row.supporters is not None else None,
        "unattributed_dots": row.unattributed_dots,
        "changes_without": row.changes_without,
        "stability": row.stability or None,
        "what_if": [
            {
                "scoring": line.scoring,
                "label": line.label,
                "short_label": line.short_label,
                "points": line.points,
                "priority": line.is_priority,
                "differs": line.differs,
                "text": line.text,
            }
            for line in row.what_if
        ],
        "needs_several_cards": row.needs_several_cards,
        "other_ways": list(row.other_ways_lines),
    }


def render_json(report: Report) -> bytes:
    return (json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
