"""The result report as an accessible PDF: the report as data, laid out by Typst.

``report_document(report)`` is everything the PDF shows, as plain JSON-able data (the
blocks of ``pdf_blocks``); the template ``templates/report.typ`` lays it out (title
page, contents with page numbers, running heads, "n / N" page numbers, table heads on
every page) and the kit's Typst path writes a tagged PDF/UA-1. The template holds no
words: every text comes from the report, already translated. The charts are SVG with
their text alternative.
"""

from __future__ import annotations

from typing import Any

from klebepunkt.domain import gettext_noop
from klebepunkt.reports.chart import chart_svg, chunks
from klebepunkt.reports.content import Report
from klebepunkt.reports.kit.formats import StepCallback
from klebepunkt.reports.kit.typst import typst_to_pdf
from klebepunkt.reports.own_texts import marked
from klebepunkt.reports.pdf_blocks import (
    BREAK,
    Cell,
    Json,
    badge,
    bullets,
    cell,
    emphasis,
    figure,
    heading,
    kept,
    number,
    paragraph,
    rich,
    strong,
    table,
)
from klebepunkt.reports.pdf_explanation import explanation_blocks

TEMPLATE = "report.typ"
TOC_PRIORITIES = 20  # list the priorities in the contents up to this many
KEEP_GOAL_ROWS = 8  # a goal with up to this many cards stays on one page with them
KEEP_PRIORITY_CARDS = 12  # a priority with up to this many cards stays on one page


def report_document(report: Report) -> dict[str, Any]:
    """The PDF's content as data: the title page's texts and the blocks after the contents."""
    own = report.own
    content: list[Json] = []
    if own.foreword:
        content += [heading(1, own.label("foreword")), *rich(own.foreword)]
    content += _part_1(report)
    content += _overview(report)
    content += _priorities(report)
    content += _topic_store(report)
    if own.closing:
        content += [heading(1, own.label("closing")), *rich(own.closing)]
    content += explanation_blocks(report, charts=_charts(report))
    content += _annexes(report)
    return {
        "lang": report.language,
        "title": report.title,
        "subtitle": report.subtitle,
        "summary": report.summary,
        "version_note": own.version_note,
        "contents": report.text.contents,
        "blocks": content,
    }


def render_pdf(report: Report, *, on_step: StepCallback | None = None) -> bytes:
    if on_step:
        on_step(report.t(gettext_noop("Preparing the pages")))
    return typst_to_pdf(
        TEMPLATE, report_document(report), on_step=on_step, translate=report.translate
    )


def _part_1(report: Report) -> list[Json]:
    doc, own, labels = report.documentation, report.own, report.text
    if doc is None:
        return []
    out = [heading(1, labels.part_1)]
    if doc.introduction:
        out.append(paragraph(doc.introduction))
    out += rich(own.introduction)
    if doc.composition_lines:
        out.append(heading(2, labels.composition))
        out.append(
            table(
                (20, 40, 24, 16),
                (labels.stakeholder_group, labels.who, labels.how_many, labels.voting_right),
                (
                    (
                        cell(line.stakeholder_group, bold=True),
                        line.who,
                        line.how_many,
                        line.voting_text,
                    )
                    for line in doc.composition_lines
                ),
            )
        )
    if doc.meeting_lines:
        out.append(heading(2, labels.meetings))
        out.append(
            table(
                (26, 30, 44),
                (labels.date_and_time, labels.place, labels.focus),
                ((line.when, line.place, line.focus) for line in doc.meeting_lines),
            )
        )
    if doc.rounds:
        out.append(heading(2, labels.rounds))
        right = (3, 4, 9)  # the numbers: dots per voter, cap, dots
        out.append(
            table(
                [1] * len(labels.round_columns),
                [
                    cell(name, right=index in right)
                    for index, name in enumerate(labels.round_columns)
                ],
                (
                    [
                        cell(str(value), right=index in right)
                        for index, value in enumerate(line.cells)
                    ]
                    for line in doc.rounds
                ),
                size=8,
            )
        )
    out.append(heading(2, labels.method))
    if doc.note:
        out.append(paragraph(doc.note, style="note"))
    if own.method:
        out += rich(own.method)
    else:
        out += [paragraph(text) for text in doc.method]
    out.append(
        table(
            (80, 20),
            (labels.figure, cell(labels.value, right=True)),
            ((label, number(value)) for label, value in doc.figures),
            width=60,
        )
    )
    if own.decisions:
        out.append(heading(2, own.label("decisions"), outlined=False))
        out.append(
            bullets(
                [
                    f"{line.decided_on}: {line.title} – ",
                    strong(line.outcome),
                    f" ({line.voting}; {line.summary}; {line.rule})",
                ]
                for line in own.decisions
            )
        )
    return out


def _overview(report: Report) -> list[Json]:
    labels, own = report.text, report.own
    out = [
        heading(1, labels.overview),
        paragraph(badge(labels.priority), " ", labels.priority_legend, style="legend"),
    ]
    head = [
        cell(name, BREAK, {"text": question, "small": True}) if question else name
        for name, question in zip(
            labels.overview_columns,
            (*labels.overview_questions, *[""] * len(labels.overview_columns)),
            strict=False,
        )
    ]
    for table_ in report.overview:
        out.append(heading(2, table_.theme_field))
        out += rich(own.field_text(table_.theme_field))
        if not table_.rows:
            out.append(paragraph(labels.no_dot_in_field))
            continue
        rows: list[list[Cell]] = []
        for row in table_.rows:
            cells: list[Cell] = []
            if row.goal_rows:
                span, shade = row.goal_rows, row.is_priority
                keep = row.goal_rows <= KEEP_GOAL_ROWS
                goal = [badge(labels.priority), " ", row.goal] if row.is_priority else [row.goal]
                cells += [
                    cell(row.nr, keep=keep, rowspan=span, shade=shade),
                    cell(*goal, bold=row.is_priority, rowspan=span, shade=shade),
                ]
            cells += [row.recommendation, row.indicator, row.responsible, number(row.card_dots)]
            if row.goal_rows:
                cells.append(
                    number(
                        row.goal_points,
                        bold=True,
                        rowspan=row.goal_rows,
                        shade=row.is_priority,
                    )
                )
            rows.append(cells)
        out.append(table((5, 19, 24, 18, 18, 8, 8), head, rows, kind="overview"))
    return out


def _priorities(report: Report) -> list[Json]:
    labels, own = report.text, report.own
    out = [heading(1, labels.part_2)]
    listed = len(report.priorities) <= TOC_PRIORITIES
    head = (
        labels.recommendation,
        labels.indicator,
        labels.responsible,
        cell(labels.points_for_recommendation, right=True),
    )
    for index, goal in enumerate(report.priorities, start=1):
        blocks = [
            heading(2, f"{index}. {goal.goal.text}", outlined=listed),
            paragraph(
                f"{labels.theme_field}: {goal.theme_field} · {report.points_text(goal.points)}",
                style="meta",
            ),
            table(
                (36, 30, 22, 12),
                head,
                (
                    (report.card_text(card), card.indicator, card.responsible, number(card.dots))
                    for card in goal.cards
                ),
            ),
        ]
        if goal.goal.id in own.changed:
            blocks.append(paragraph(own.label("changed"), style="note"))
        reason = own.reason(goal.goal.id)
        if reason:
            blocks.append(paragraph(strong(f"{own.label('reason')}:")))
            blocks += rich(reason)
        out.append(kept(blocks) if len(goal.cards) <= KEEP_PRIORITY_CARDS else blocks[0])
        if len(goal.cards) > KEEP_PRIORITY_CARDS:
            out += blocks[1:]
    return out


def _topic_store(report: Report) -> list[Json]:
    labels = report.text
    out = [heading(1, labels.topic_store)]
    for section in report.topic_store:
        out.append(heading(2, section.theme_field))
        if not section.entries:
            out.append(paragraph(labels.no_entries))
            continue
        out.append(
            table(
                (50, 28, 22),
                (labels.recommendation, labels.goal, labels.reason),
                (
                    (
                        entry.text,
                        entry.goal.text if entry.goal and entry.card.text else "",
                        report.reason_text(entry),
                    )
                    for entry in section.entries
                ),
            )
        )
    return out


def _charts(report: Report) -> list[Json]:
    return [
        figure(
            chart.title,
            [
                str(chart_svg(chart, piece, report.text, description=chart.description))
                for piece in chunks(chart.bars)
            ]
            if chart.bars
            else [],
            chart.description,
        )
        for chart in report.charts
    ]


def _annexes(report: Report) -> list[Json]:
    labels, own = report.text, report.own
    out: list[Json] = []
    if report.warnings:
        out += [heading(1, labels.warnings), bullets([text] for text in report.warning_texts)]
    if own.written_minutes:
        out.append(heading(1, own.label("minutes_annex")))
        for date, text in own.written_minutes:
            out.append(heading(2, f"{own.label('minutes')} {date}", outlined=False))
            out += rich(text)
    if own.rewordings:
        out += [heading(1, own.label("rewordings_annex")), paragraph(own.label("rewordings_intro"))]
        previous = None
        for line in own.rewordings:
            if line.priority != previous:
                out.append(heading(2, line.priority, outlined=False))
                previous = line.priority
            out.append(paragraph(strong(line.part), f" – {line.at}, {line.by or '–'}"))
            difference: list[str | Json] = [emphasis(f"{own.label('difference')}:"), " "]
            for op, words in marked(line.segments):
                difference += [{"text": words, op[:3]: True} if op != "same" else words, " "]
            out.append(
                bullets(
                    [
                        [emphasis(f"{own.label('before')}:"), " ", line.before],
                        [emphasis(f"{own.label('after')}:"), " ", line.after],
                        difference,
                    ]
                )
            )
    return out
