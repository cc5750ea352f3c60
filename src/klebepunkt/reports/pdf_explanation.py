"""The explanation part of the report's PDF as blocks: charts, goals near the threshold,
every goal explained, support by stakeholder group, departures, cards that look alike."""

from __future__ import annotations

from klebepunkt.reports.content import Report
from klebepunkt.reports.explanation import GoalExplanationRow
from klebepunkt.reports.pdf_blocks import (
    Cell,
    Json,
    Runs,
    badge,
    bullets,
    cell,
    heading,
    number,
    paragraph,
    strong,
    table,
)

# The goals explained: column widths (%) without and with ballots.
EXPLAINED = (5, 36, 8, 15, 19, 17)
EXPLAINED_WITH_BALLOTS = (4, 23, 7, 11, 14, 9, 9, 11, 12)


def explanation_blocks(report: Report, *, charts: list[Json]) -> list[Json]:
    labels, ex = report.text, report.explanation
    out = [heading(1, labels.explanation), heading(2, labels.points_per_goal), *charts]
    out.append(heading(2, labels.close_to_threshold))
    if ex.near_threshold:
        out.append(
            table(
                (18, 46, 10, 26),
                (
                    labels.theme_field,
                    labels.goal,
                    cell(labels.points, right=True),
                    labels.explanation_column,
                ),
                (
                    (
                        near.theme_field,
                        cell(badge(labels.priority), " ", near.goal)
                        if near.is_priority
                        else near.goal,
                        number(near.points),
                        near.explanation,
                    )
                    for near in ex.near_threshold
                ),
            )
        )
    else:
        out.append(paragraph(labels.none_close))
    if ex.analysed:
        out += _goals_explained(report)
    if ex.support:
        groups = ex.support_groups
        rest = 50 / (2 + len(groups))
        out += [
            heading(2, labels.support),
            table(
                (16, 34, rest, rest, *[rest] * len(groups)),
                [
                    labels.theme_field,
                    labels.goal,
                    cell(labels.points, right=True),
                    cell(labels.distinct_supporters, right=True),
                    *(cell(group, right=True) for group in groups),
                ],
                (
                    [
                        row.theme_field,
                        row.goal,
                        number(row.points),
                        number(row.supporters),
                        *(number(ex.dots_of(row, group)) for group in groups),
                    ]
                    for row in ex.support
                ),
                head_size=7.5,
                kind="support",
            ),
        ]
    if ex.departures:
        out += [
            heading(2, labels.departures),
            bullets(([departure.text] for departure in ex.departures), style="findings"),
        ]
    if ex.similar_cards:
        out += [
            heading(2, labels.similar_cards),
            bullets(([pair.text] for pair in ex.similar_cards), style="findings"),
        ]
    return out


def _goals_explained(report: Report) -> list[Json]:
    labels, ex = report.text, report.explanation
    out = [heading(2, labels.goals_explained)]
    if ex.no_ballots_note:
        out.append(paragraph(ex.no_ballots_note, style="note"))
    head: list[Cell] = [
        labels.overview_columns[0],
        labels.goal,
        cell(labels.points, right=True),
        labels.status,
        labels.margin,
    ]
    if ex.has_ballots:
        head += [
            cell(labels.distinct_supporters, right=True),
            cell(labels.largest_share, right=True),
            labels.stability,
        ]
    head.append(labels.other_ways)
    for explained in ex.goals:
        out.append(heading(3, explained.theme_field, outlined=False))
        out.append(
            table(
                EXPLAINED_WITH_BALLOTS if ex.has_ballots else EXPLAINED,
                head,
                (_explained_row(row, has_ballots=ex.has_ballots) for row in explained.rows),
                size=8,
                head_size=7.5,
                kind="explained",
            )
        )
    legend = f"{ex.what_if_legend} {labels.rule_decides}" if ex.what_if_legend else None
    out.append(paragraph(legend or labels.rule_decides, style="note"))
    return out


def _explained_row(row: GoalExplanationRow, *, has_ballots: bool) -> list[Cell]:
    cells: list[Cell] = [
        row.nr,
        cell(row.goal, bold=row.is_priority, shade=row.is_priority),
        number(row.points),
        cell(badge(row.status)) if row.is_priority else row.status,
        row.margin,
    ]
    if has_ballots:
        more: list[Runs] = []
        if row.single_supporter:
            more.append([strong(row.single_supporter_text)])
        if row.unattributed_text:
            more.append([row.unattributed_text])
        cells += [
            cell(str(row.supporters), right=True, more=more),
            number(row.largest_share),
            cell(strong(row.stability)) if row.changes_without else row.stability,
        ]
    lines: list[Runs] = [
        [strong(line) if index < len(row.what_if) and row.what_if[index].differs else line]
        for index, line in enumerate(row.other_ways_lines)
    ]
    cells.append(cell(*lines[0], more=lines[1:]) if lines else "")
    return cells
