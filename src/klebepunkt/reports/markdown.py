"""The report as Markdown: readable as plain text, and a base for any wiki or e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from klebepunkt.domain import gettext_noop
from klebepunkt.reports.content import (
    OVERVIEW_COLUMNS,
    Documentation,
    Report,
)


def _cell(value: object) -> str:
    text = str(value) if value is not None else ""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


_MARKUP = str.maketrans({c: "\\" + c for c in "*_[]`"})


def _text(value: str) -> str:
    """Text as text: no emphasis, no link or image (``[x](javascript:…)``), no code span."""
    return _cell(value).translate(_MARKUP)


def _heading(level: int, text: str) -> str:
    return "#" * level + " " + text


@dataclass(frozen=True)
class Bold:
    text: str


def _table_cell(value: object) -> str:
    if isinstance(value, Bold):
        return f"**{_text(value.text)}**" if value.text else ""
    return _text(str(value)) if isinstance(value, str) else _cell(value)


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(_table_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines.extend("| " + " | ".join(_table_cell(v) for v in row) + " |" for row in rows)
    return lines


def render_markdown(report: Report) -> bytes:
    t = report.t
    out: list[str] = [f"# {_text(report.title)}", ""]
    if report.subtitle:
        out += [_text(report.subtitle), ""]
    out += [_text(report.summary), ""]
    doc = report.documentation
    if doc is not None:
        out += _documentation(report, doc)

    out += [_heading(2, t(gettext_noop("Overview of the result"))), ""]
    for table in report.overview:
        out += [_heading(3, _text(table.theme_field)), ""]
        if not table.rows:
            out += [t(gettext_noop("No card in this theme field received a dot.")), ""]
            continue
        rows: list[list[object]] = []
        for row in table.rows:
            goal_text = row.goal if row.goal_rows else ""
            goal_cell = Bold(goal_text) if row.is_priority else goal_text
            rows.append(
                [
                    row.nr if row.goal_rows else "",
                    goal_cell,
                    row.recommendation,
                    row.indicator,
                    row.responsible,
                    row.card_dots,
                    row.goal_points if row.goal_rows else "",
                ]
            )
        out += _table([t(name) for name in OVERVIEW_COLUMNS], rows)
        out += ["", t(gettext_noop("Goals in bold are priorities (Part II).")), ""]

    out += [_heading(2, t(gettext_noop("Part II: Priorities"))), ""]
    for number, goal in enumerate(report.priorities, start=1):
        out += [
            _heading(
                3,
                f"{number}. {_text(goal.goal.text)} ({_text(goal.theme_field)}, "
                + report.points_text(goal.points)
                + ")",
            ),
            "",
        ]
        for card in goal.cards:
            line = f"- {_text(report.card_text(card))} ({card.dots})"
            if card.indicator:
                line += "\n  - " + t(gettext_noop("Indicator")) + f": {_text(card.indicator)}"
            if card.responsible:
                line += (
                    "\n  - " + t(gettext_noop("Responsible body")) + f": {_text(card.responsible)}"
                )
            out.append(line)
        out.append("")

    out += [_heading(2, t(gettext_noop("Topic store"))), ""]
    for section in report.topic_store:
        out += [_heading(3, _text(section.theme_field)), ""]
        if not section.entries:
            out += [t(gettext_noop("No entries.")), ""]
            continue
        for entry in section.entries:
            out.append(f"- {_text(entry.text)} ({_text(report.reason_text(entry))})")
        out.append("")

    out += _explanation(report)
    if report.warnings:
        out += [_heading(2, t(gettext_noop("Warnings"))), ""]
        out += [f"- {_text(w.message.render(report.translate))}" for w in report.warnings]
        out.append("")
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


def _documentation(report: Report, doc: Documentation) -> list[str]:
    t = report.t
    out = [_heading(2, t(gettext_noop("Part I: Documentation of the work process"))), ""]
    if doc.introduction:
        out += [_text(doc.introduction), ""]
    if doc.composition_lines:
        out += [_heading(3, t(gettext_noop("Composition of the working group"))), ""]
        out += _table(
            [
                t(gettext_noop("Stakeholder group")),
                t(gettext_noop("Who?")),
                t(gettext_noop("How many?")),
                t(gettext_noop("Voting right")),
            ],
            [
                [line.stakeholder_group, line.who, line.how_many, line.voting_text]
                for line in doc.composition_lines
            ],
        )
        out.append("")
    if doc.meeting_lines:
        out += [_heading(3, t(gettext_noop("Meetings"))), ""]
        out += _table(
            [t(gettext_noop("Date and time")), t(gettext_noop("Place")), t(gettext_noop("Focus"))],
            [[line.when, line.place, line.focus] for line in doc.meeting_lines],
        )
        out.append("")
    out += [_heading(3, t(gettext_noop("Method"))), ""]
    if doc.note:
        out += [_text(doc.note), ""]
    for paragraph in doc.method:
        out += [_text(paragraph), ""]
    out += _table(
        [t(gettext_noop("Figure")), t(gettext_noop("Value"))],
        [[label, value] for label, value in doc.figures],
    )
    out.append("")
    return out


def _explanation(report: Report) -> list[str]:
    t = report.t
    out = [_heading(2, t(gettext_noop("Explanation of the result"))), ""]
    out += [_heading(3, t(gettext_noop("Points per goal"))), ""]
    for chart in report.charts:
        out += [f"**{_text(chart.title)}**", "", _text(chart.description), ""]
    out += [_heading(3, t(gettext_noop("Close to the threshold"))), ""]
    if not report.explanation.near_threshold:
        out += [t(gettext_noop("No goal is within one dot of the threshold.")), ""]
    for near in report.explanation.near_threshold:
        where = f"{_text(near.theme_field)}, {report.points_text(near.points)}"
        out.append(f"- {_text(near.goal)} ({where}): {_text(near.explanation)}")
    out.append("")
    explanation = report.explanation
    if explanation.analysed:
        out += _goals_explained(report)
    if explanation.support:
        out += [_heading(3, t(gettext_noop("Support by stakeholder group"))), ""]
        out += _table(
            [
                t(gettext_noop("Theme field")),
                t(gettext_noop("No.")),
                t(gettext_noop("Goal")),
                t(gettext_noop("Points for the goal")),
                t(gettext_noop("Distinct supporters")),
                *explanation.support_groups,
            ],
            [
                [
                    row.theme_field,
                    row.nr,
                    row.goal,
                    row.points,
                    row.supporters,
                    *(explanation.dots_of(row, group) for group in explanation.support_groups),
                ]
                for row in explanation.support
            ],
        )
        out.append("")
    if explanation.departures:
        out += [_heading(3, _text(report.text.departures)), ""]
        out += [f"- {_text(departure.text)}" for departure in explanation.departures]
        out.append("")
    if explanation.similar_cards:
        out += [_heading(3, _text(report.text.similar_cards)), ""]
        out += [f"- {_text(pair.text)}" for pair in explanation.similar_cards]
        out.append("")
    return out


def _goals_explained(report: Report) -> list[str]:
    """Every goal's margin, support, stability and other ways of counting, per theme field."""
    text, explanation = report.text, report.explanation
    out = [_heading(3, _text(text.goals_explained)), ""]
    if explanation.no_ballots_note:
        out += [_text(explanation.no_ballots_note), ""]
    header = [text.overview_columns[0], text.goal, text.points, text.status, text.margin]
    if explanation.has_ballots:
        header += [
            text.distinct_supporters,
            text.largest_share,
            text.single_supporter,
            text.stability,
        ]
    header.append(text.other_ways)
    for table in explanation.goals:
        out += [_heading(4, _text(table.theme_field)), ""]
        rows: list[list[object]] = []
        for row in table.rows:
            cells: list[object] = [
                row.nr,
                Bold(row.goal) if row.is_priority else row.goal,
                row.points,
                row.status,
                row.margin,
            ]
            if explanation.has_ballots:
                supporters = str(row.supporters)
                if row.unattributed_text:
                    supporters += f"; {row.unattributed_text}"
                cells += [supporters, row.largest_share, row.single_supporter_text, row.stability]
            cells.append("; ".join(row.other_ways_lines))
            rows.append(cells)
        out += _table(header, rows)
        out.append("")
    note = f"{explanation.what_if_legend} {text.rule_decides}".strip()
    out += [_text(note), ""]
    return out
