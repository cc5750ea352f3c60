"""The result report as tables: CSV (German Excel) and XLSX (a sheet per part)."""

from __future__ import annotations

from klebepunkt.reports.content import Report
from klebepunkt.reports.kit.tables import Table, csv, xlsx
from klebepunkt.reports.own_texts import marked_text
from klebepunkt.richtext import to_plain


def overview_table(report: Report) -> Table:
    header = [
        report.text.theme_field,
        *report.text.overview_columns,
        report.text.priority,
    ]
    rows: list[list[object]] = [
        [
            table.theme_field,
            *row.cells(),
            report.text.yes_no(row.is_priority),
        ]
        for table in report.overview
        for row in table.rows
    ]
    return report.text.overview_sheet, header, rows


def priorities_table(report: Report) -> Table:
    header = [
        *report.goal_columns(),
        report.text.recommendation,
        report.text.indicator,
        report.text.responsible,
        report.text.points_for_recommendation,
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
    return report.text.priorities_sheet, header, rows


def topic_store_table(report: Report) -> Table:
    header = [
        report.text.theme_field,
        report.text.recommendation,
        report.text.reason,
        report.text.goal,
        report.text.points_for_goal,
        report.text.indicator,
        report.text.responsible,
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
    return report.text.topic_store, header, rows


def render_csv(report: Report) -> bytes:
    """One table for German Excel: the overview rows, then the topic store rows.

    The first column names the part; "Priority" marks the priorities; "Reason" tells
    why an entry is in the topic store.
    """
    header = [
        report.text.part,
        report.text.theme_field,
        *report.text.overview_columns,
        report.text.priority,
        report.text.reason,
    ]
    overview = report.text.overview_sheet
    store = report.text.topic_store
    rows: list[list[object]] = [
        [
            overview,
            table.theme_field,
            *row.cells(),
            report.text.yes_no(row.is_priority),
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
            report.text.yes_no(False),
            report.reason_text(entry),
        ]
        for section in report.topic_store
        for entry in section.entries
    )
    return csv(header, rows)


def documentation_tables(report: Report) -> list[Table]:
    """Teil I as tables: composition and meetings (when known), method, figures."""
    doc = report.documentation
    if doc is None:
        return []
    part = report.text.part_1_short
    tables: list[Table] = []
    if doc.composition_lines:
        tables.append(
            (
                part + " – " + report.text.composition_sheet,
                [
                    report.text.stakeholder_group,
                    report.text.who,
                    report.text.how_many,
                    report.text.members,
                    report.text.voting_right,
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
                part + " – " + report.text.meetings,
                [
                    report.text.date_and_time,
                    report.text.place,
                    report.text.focus,
                ],
                [[line.when, line.place, line.focus] for line in doc.meeting_lines],
            )
        )
    if doc.rounds:
        tables.append(
            (
                f"{part} – {report.text.rounds}",
                list(report.text.round_columns),
                [list(line.cells) for line in doc.rounds],
            )
        )
    method_rows: list[list[object]] = [[doc.introduction]] if doc.introduction else []
    method_rows += [[doc.note]] if doc.note else []
    method_rows += [[paragraph] for paragraph in doc.method]
    method = report.text.method
    tables.append((f"{part} – {method}", [method], method_rows))
    tables.append(
        (
            part + " – " + report.text.figures,
            [report.text.figure, report.text.value],
            [[label, value] for label, value in doc.figures],
        )
    )
    return tables


def chart_table(report: Report) -> Table:
    """The data of the charts: every goal with its points and the threshold."""
    header = [
        *report.goal_columns(),
        report.text.threshold,
        report.text.priority,
    ]
    rows: list[list[object]] = [
        [
            chart.theme_field,
            bar.nr,
            bar.goal,
            bar.points,
            chart.threshold,
            report.text.yes_no(bar.is_priority),
        ]
        for chart in report.charts
        for bar in chart.bars
    ]
    return report.text.points_per_goal, header, rows


def near_threshold_table(report: Report) -> Table:
    header = [
        *report.goal_columns(),
        report.text.priority,
        report.text.explanation_column,
    ]
    rows: list[list[object]] = [
        [
            near.theme_field,
            near.nr,
            near.goal,
            near.points,
            report.text.yes_no(near.is_priority),
            near.explanation,
        ]
        for near in report.explanation.near_threshold
    ]
    return report.text.close_to_threshold, header, rows


def support_table(report: Report) -> Table:
    header, rows = report.support_table()
    return report.text.support_sheet, header, rows


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
        report.text.points_for_goal,
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
                report.text.yes_no(row.single_supporter),
                row.unattributed_dots,
                row.stability,
                row.changes_without,
            ]
        cells += [line.points for line in row.what_if]
        cells.append("\n".join(row.other_ways_lines))
        rows.append(cells)
    return report.text.explanation_sheet, header, rows


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
    if report.own.places():
        sheets.append(texts_table(report))
    if report.own.rewordings:
        sheets.append(rewordings_table(report))
    return xlsx(sheets, title=report.title, language=report.language)


def texts_table(report: Report) -> Table:
    """The working group's texts, one row per place, as plain text (links with their target)."""
    own = report.own
    rows: list[list[object]] = [[place, to_plain(text)] for place, text in own.places()]
    return own.label("texts_sheet"), [own.label("place"), own.label("text")], rows


def rewordings_table(report: Report) -> Table:
    """The working out of the priorities: a row per change, the difference marked in words."""
    own = report.own
    header = [
        own.label(key)
        for key in ("priority", "part", "before", "after", "difference", "who", "when")
    ]
    rows: list[list[object]] = [
        [
            line.priority,
            line.part,
            line.before,
            line.after,
            marked_text(line.segments),
            line.by,
            line.at,
        ]
        for line in own.rewordings
    ]
    return own.label("rewordings_sheet"), header, rows
