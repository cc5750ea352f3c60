"""The result report as Markdown: readable as plain text, and a base for any wiki or e-mail.

Every text goes through the kit's one escaper; every fixed word comes from the
report's labels.
"""

from __future__ import annotations

from klebepunkt.reports.content import Report
from klebepunkt.reports.documentation import Documentation
from klebepunkt.reports.kit.markdown import Bold, document, heading, text
from klebepunkt.reports.kit.markdown import table as md_table
from klebepunkt.reports.own_texts import marked
from klebepunkt.richtext import to_markdown


def render_markdown(report: Report) -> bytes:
    t = report.text
    out: list[str] = [f"# {text(report.title)}", ""]
    if report.subtitle:
        out += [text(report.subtitle), ""]
    out += [text(report.summary), ""]
    own = report.own
    if own.foreword:
        out += [heading(2, text(own.label("foreword"))), "", to_markdown(own.foreword), ""]
    doc = report.documentation
    if doc is not None:
        out += _documentation(report, doc)

    out += [heading(2, t.overview), ""]
    for table in report.overview:
        out += [heading(3, text(table.theme_field)), ""]
        if own.field_text(table.theme_field):
            out += [to_markdown(own.field_text(table.theme_field)), ""]
        if not table.rows:
            out += [t.no_dot_in_field, ""]
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
        out += md_table(list(t.overview_columns), rows)
        out += ["", t.bold_legend, ""]

    out += [heading(2, t.part_2), ""]
    for number, goal in enumerate(report.priorities, start=1):
        out += [
            heading(
                3,
                f"{number}. {text(goal.goal.text)} ({text(goal.theme_field)}, "
                + report.points_text(goal.points)
                + ")",
            ),
            "",
        ]
        for card in goal.cards:
            line = f"- {text(report.card_text(card))} ({card.dots})"
            if card.indicator:
                line += "\n  - " + t.indicator + f": {text(card.indicator)}"
            if card.responsible:
                line += "\n  - " + t.responsible + f": {text(card.responsible)}"
            out.append(line)
        out.append("")
        if goal.goal.id in own.changed:
            out += [f"*{text(own.label('changed'))}*", ""]
        if own.reason(goal.goal.id):
            reason = own.reason(goal.goal.id)
            out += [f"**{text(own.label('reason'))}:**", "", to_markdown(reason), ""]

    out += [heading(2, t.topic_store), ""]
    for section in report.topic_store:
        out += [heading(3, text(section.theme_field)), ""]
        if not section.entries:
            out += [t.no_entries, ""]
            continue
        for entry in section.entries:
            out.append(f"- {text(entry.text)} ({text(report.reason_text(entry))})")
        out.append("")

    if own.closing:
        out += [heading(2, text(own.label("closing"))), "", to_markdown(own.closing), ""]
    out += _explanation(report)
    if report.warnings:
        out += [heading(2, t.warnings), ""]
        out += [f"- {text(warning)}" for warning in report.warning_texts]
        out.append("")
    if own.version_note:
        out += ["---", "", text(own.version_note), ""]
    if own.written_minutes:
        out += [heading(2, text(own.label("minutes_annex"))), ""]
        for date, minutes in own.written_minutes:
            out += [
                heading(3, f"{text(own.label('minutes'))} {date}"),
                "",
                to_markdown(minutes),
                "",
            ]
    out += _rewordings(report)
    return document(out)


def _rewordings(report: Report) -> list[str]:
    """The annex of the working out: per priority each change, before, after and difference."""
    own = report.own
    if not own.rewordings:
        return []
    out = [heading(2, text(own.label("rewordings_annex"))), "", text(own.label("rewordings_intro"))]
    priority = None
    for line in own.rewordings:
        if line.priority != priority:
            priority = line.priority
            out += ["", heading(3, text(line.priority))]
        styled = {"deleted": "~~{}~~", "inserted": "**{}**", "same": "{}"}
        difference = " ".join(styled[op].format(text(words)) for op, words in marked(line.segments))
        out += [
            "",
            f"**{text(line.part)}** – {text(line.at)}, {text(line.by or '–')}",
            "",
            f"- {text(own.label('before'))}: {text(line.before)}",
            f"- {text(own.label('after'))}: {text(line.after)}",
            f"- {text(own.label('difference'))}: {difference}",
        ]
    return [*out, ""]


def _documentation(report: Report, doc: Documentation) -> list[str]:
    t = report.text
    out = [heading(2, t.part_1), ""]
    own = report.own
    if doc.introduction:
        out += [text(doc.introduction), ""]
    if own.introduction:
        out += [to_markdown(own.introduction), ""]
    if doc.composition_lines:
        out += [heading(3, t.composition), ""]
        out += md_table(
            [
                t.stakeholder_group,
                t.who,
                t.how_many,
                t.voting_right,
            ],
            [
                [line.stakeholder_group, line.who, line.how_many, line.voting_text]
                for line in doc.composition_lines
            ],
        )
        out.append("")
    if doc.meeting_lines:
        out += [heading(3, t.meetings), ""]
        out += md_table(
            [t.date_and_time, t.place, t.focus],
            [[line.when, line.place, line.focus] for line in doc.meeting_lines],
        )
        out.append("")
    if doc.rounds:
        out += [heading(3, t.rounds), ""]
        out += md_table(list(t.round_columns), [list(line.cells) for line in doc.rounds])
        out.append("")
    out += [heading(3, t.method), ""]
    if doc.note:
        out += [text(doc.note), ""]
    if own.method:
        out += [to_markdown(own.method), ""]
    else:
        for paragraph in doc.method:
            out += [text(paragraph), ""]
    out += md_table(
        [t.figure, t.value],
        [[label, value] for label, value in doc.figures],
    )
    out.append("")
    if own.decisions:
        out += [heading(3, text(own.label("decisions"))), ""]
        for line in own.decisions:
            out.append(
                f"- {text(line.decided_on)}: {text(line.title)} – **{text(line.outcome)}** "
                f"({text(line.voting)}; {text(line.summary)}; {text(line.rule)})"
            )
        out.append("")
    return out


def _explanation(report: Report) -> list[str]:
    t = report.text
    out = [heading(2, t.explanation), ""]
    out += [heading(3, t.points_per_goal), ""]
    for chart in report.charts:
        out += [f"**{text(chart.title)}**", "", text(chart.description), ""]
    out += [heading(3, t.close_to_threshold), ""]
    if not report.explanation.near_threshold:
        out += [t.none_close, ""]
    for near in report.explanation.near_threshold:
        where = f"{text(near.theme_field)}, {report.points_text(near.points)}"
        out.append(f"- {text(near.goal)} ({where}): {text(near.explanation)}")
    out.append("")
    explanation = report.explanation
    if explanation.analysed:
        out += _goals_explained(report)
    if explanation.support:
        out += [heading(3, t.support), ""]
        out += md_table(*report.support_table())
        out.append("")
    if explanation.departures:
        out += [heading(3, text(t.departures)), ""]
        out += [f"- {text(departure.text)}" for departure in explanation.departures]
        out.append("")
    if explanation.similar_cards:
        out += [heading(3, text(t.similar_cards)), ""]
        out += [f"- {text(pair.text)}" for pair in explanation.similar_cards]
        out.append("")
    return out


def _goals_explained(report: Report) -> list[str]:
    """Every goal's margin, support, stability and other ways of counting, per theme field."""
    labels, explanation = report.text, report.explanation
    out = [heading(3, text(labels.goals_explained)), ""]
    if explanation.no_ballots_note:
        out += [text(explanation.no_ballots_note), ""]
    header = [labels.overview_columns[0], labels.goal, labels.points, labels.status, labels.margin]
    if explanation.has_ballots:
        header += [
            labels.distinct_supporters,
            labels.largest_share,
            labels.single_supporter,
            labels.stability,
        ]
    header.append(labels.other_ways)
    for table in explanation.goals:
        out += [heading(4, text(table.theme_field)), ""]
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
        out += md_table(header, rows)
        out.append("")
    note = f"{explanation.what_if_legend} {labels.rule_decides}".strip()
    out += [text(note), ""]
    return out
