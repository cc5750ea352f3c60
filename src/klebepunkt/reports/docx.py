"""The result report as a Word document that a clerk can edit, on the kit's building blocks.

Real headings (Heading 1–3, so Word's navigation pane and a screen reader find
them), real tables whose header row repeats on every page, a table of contents
field (Word fills in the page numbers when the document is opened), page numbers
in the footer, A4, and the document language set for spelling and screen readers.
Goal cells span their cards as in the seed's overview; priorities carry the word
“Priorität”, not only a shade.
"""

from __future__ import annotations

from klebepunkt.reports.content import Report
from klebepunkt.reports.docx_texts import add_rewordings, add_rich
from klebepunkt.reports.kit.docx import (
    PRIORITY_FILL,
    WordDocument,
    add_lines,
    bold_cell,
    clean,
    close_field,
    cm,
    keep_with_next,
    merge_down,
    open_field,
    pt,
    shade,
)


def render_docx(report: Report) -> bytes:
    word = WordDocument()
    _ReportWriter(word, report).write()
    return word.to_bytes()


class _ReportWriter:
    """Writes one report into one Word document, top to bottom."""

    def __init__(self, word: WordDocument, report: Report) -> None:
        self.word = word
        self.document = word.document
        self.report = report
        self.text = report.text
        self.heading = word.heading
        self.table = word.table

    # --- the document ---------------------------------------------------------------

    def write(self) -> None:
        self._set_up()
        self._title_page()
        self._contents()
        own = self.report.own
        if own.foreword:
            self.heading(own.label("foreword"), 1, new_page=True)
            add_rich(self.document, own.foreword)
        if self.report.documentation is not None:
            self._documentation()
        self._overview()
        self._priorities()
        self._topic_store()
        if own.closing:
            self.heading(own.label("closing"), 1, new_page=True)
            add_rich(self.document, own.closing)
        self._explanation()
        if self.report.warnings:
            self.heading(self.text.warnings, 1, new_page=True)
            self.word.bullets(self.report.warning_texts)
        if own.written_minutes:
            self.heading(own.label("minutes_annex"), 1, new_page=True)
            for date, minutes in own.written_minutes:
                self.heading(f"{own.label('minutes')} {date}", 2)
                add_rich(self.document, minutes)
        add_rewordings(self.word, own)
        if own.version_note:  # under the page numbers of every page
            for section in self.document.sections:
                section.footer.add_paragraph(clean(own.version_note)).runs[0].font.size = pt(7)

    def _set_up(self) -> None:
        report = self.report
        self.word.set_up(
            title=report.title,
            subject=report.subtitle,
            language=report.language,
            header=report.title,
            comments=report.summary,
            different_first_page=True,
        )

    def _title_page(self) -> None:
        report = self.report
        for _ in range(6):
            self.document.add_paragraph()
        self.document.add_paragraph(clean(report.title), style="Title")
        if report.subtitle:
            self.document.add_paragraph(clean(report.subtitle), style="Subtitle")
        summary = self.document.add_paragraph(clean(report.summary))
        summary.runs[0].font.size = pt(11)

    def _contents(self) -> None:
        self.word.page_break()
        self.document.add_paragraph(clean(self.text.contents), style="TOC Heading")
        entries = self._toc_entries()
        hint = self.text.toc_hint
        paragraphs = [self.document.add_paragraph() for _ in range(len(entries) or 1)]
        open_field(paragraphs[0], 'TOC \\o "1-2" \\h \\z \\u')
        for paragraph, (level, text) in zip(paragraphs, entries, strict=False):
            run = paragraph.add_run(clean(text))
            run.bold = level == 1
            paragraph.paragraph_format.left_indent = cm(0.6 * (level - 1))
        close_field(paragraphs[-1])
        note = self.document.add_paragraph(clean(hint))
        note.runs[0].italic = True

    def _toc_entries(self) -> list[tuple[int, str]]:
        report, text = self.report, self.text
        entries: list[tuple[int, str]] = []
        doc = report.documentation
        if doc is not None:
            entries.append((1, text.part_1))
            if doc.composition_lines:
                entries.append((2, text.composition))
            if doc.meeting_lines:
                entries.append((2, text.meetings))
            if doc.rounds:
                entries.append((2, text.rounds))
            entries.append((2, text.method))
        entries.append((1, text.overview))
        entries += [(2, table.theme_field) for table in report.overview]
        entries.append((1, text.part_2))
        entries += [
            (2, f"{number}. {goal.goal.text}")
            for number, goal in enumerate(report.priorities, start=1)
        ]
        entries.append((1, text.topic_store))
        entries += [(2, section.theme_field) for section in report.topic_store]
        entries.append((1, text.explanation))
        entries += [(2, text.points_per_goal), (2, text.close_to_threshold)]
        explanation = report.explanation
        if explanation.analysed:
            entries.append((2, text.goals_explained))
        if explanation.support:
            entries.append((2, text.support))
        if explanation.departures:
            entries.append((2, text.departures))
        if explanation.similar_cards:
            entries.append((2, text.similar_cards))
        if report.warnings:
            entries.append((1, text.warnings))
        return entries

    # --- the parts ------------------------------------------------------------------

    def _documentation(self) -> None:
        doc, text = self.report.documentation, self.text
        assert doc is not None
        self.heading(text.part_1, 1, new_page=True)
        own = self.report.own
        if doc.introduction:
            self.document.add_paragraph(clean(doc.introduction))
        add_rich(self.document, own.introduction)
        if doc.composition_lines:
            self.heading(text.composition, 2)
            self.table(
                [
                    (text.stakeholder_group, 3.4),
                    (text.who, 6.6),
                    (text.how_many, 4.2),
                    (text.voting_right, 2.8),
                ],
                [
                    [line.stakeholder_group, line.who, line.how_many, line.voting_text]
                    for line in doc.composition_lines
                ],
                bold_first_column=True,
            )
        if doc.meeting_lines:
            self.heading(text.meetings, 2)
            self.table(
                [(text.date_and_time, 4.4), (text.place, 5.0), (text.focus, 7.6)],
                [[line.when, line.place, line.focus] for line in doc.meeting_lines],
            )
        if doc.rounds:
            self.heading(text.rounds, 2)
            self.table(
                list(
                    zip(
                        text.round_columns,
                        (2.4, 1.8, 2.0, 1.4, 1.4, 2.2, 1.3, 1.6, 1.5, 1.4),
                        strict=True,
                    )
                ),
                [list(line.cells) for line in doc.rounds],
                numeric={3, 4, 9},
                font_size=pt(8),
            )
        self.heading(text.method, 2)
        if doc.note:
            self.document.add_paragraph(clean(doc.note)).runs[0].italic = True
        if own.method:
            add_rich(self.document, own.method)
        else:
            for paragraph in doc.method:
                self.document.add_paragraph(clean(paragraph))
        self.table(
            [(text.figure, 8.0), (text.value, 2.5)],
            [[label, value] for label, value in doc.figures],
            numeric={1},
        )
        if own.decisions:
            self.heading(own.label("decisions"), 2)
            for line in own.decisions:
                item = self.document.add_paragraph(style="List Bullet")
                item.add_run(clean(f"{line.decided_on}: {line.title} – "))
                item.add_run(clean(line.outcome)).bold = True
                item.add_run(clean(f" ({line.voting}; {line.summary}; {line.rule})"))

    def _overview(self) -> None:
        report, text = self.report, self.text
        self.heading(text.overview, 1, new_page=True)
        legend = self.document.add_paragraph()
        badge = legend.add_run(clean(text.priority))
        badge.bold = True
        legend.add_run(" – " + clean(text.priority_legend))
        widths = (1.0, 3.3, 4.0, 3.1, 3.1, 1.25, 1.25)
        for table_content in report.overview:
            self.heading(table_content.theme_field, 2)
            add_rich(self.document, report.own.field_text(table_content.theme_field))
            if not table_content.rows:
                self.document.add_paragraph(clean(text.no_dot_in_field))
                continue
            header = []
            for name, question, width in zip(
                text.overview_columns, text.overview_questions, widths, strict=True
            ):
                header.append((f"{name}\n{question}" if question else name, width))
            rows = [row.cells() for row in table_content.rows]
            cells = self.table(header, rows, numeric={5, 6}, font_size=pt(8))
            # Goal cells span their cards; priorities are marked in words and shaded.
            for index, row in enumerate(table_content.rows, start=1):
                if not row.goal_rows:
                    continue
                last = index + row.goal_rows - 1
                for column in (0, 1, 6):
                    cell = cells[index][column]
                    if row.goal_rows > 1:
                        merge_down([cells[other][column] for other in range(index, last + 1)])
                    if row.is_priority:
                        shade(cell, PRIORITY_FILL)
                    if row.is_priority and column == 1:
                        paragraph = cell.paragraphs[0]
                        for run in paragraph.runs:
                            run.bold = True
                        mark = paragraph.insert_paragraph_before()
                        mark_run = mark.add_run(clean(text.priority).upper())
                        mark_run.bold = True
                        mark_run.font.size = pt(7)
                for other in range(index, last):
                    keep_with_next(cells[other])

    def _priorities(self) -> None:
        report, text = self.report, self.text
        self.heading(text.part_2, 1, new_page=True)
        for number, goal in enumerate(report.priorities, start=1):
            self.heading(f"{number}. {goal.goal.text}", 2)
            meta = self.document.add_paragraph(
                clean(f"{text.theme_field}: {goal.theme_field} · ")
                + clean(report.points_text(goal.points))
            )
            meta.paragraph_format.keep_with_next = True
            self.table(
                [
                    (text.recommendation, 6.0),
                    (text.indicator, 5.0),
                    (text.responsible, 4.0),
                    (text.points_for_recommendation, 2.0),
                ],
                [
                    [report.card_text(card), card.indicator, card.responsible, card.dots]
                    for card in goal.cards
                ],
                numeric={3},
            )
            own = report.own
            if goal.goal.id in own.changed:
                self.document.add_paragraph(clean(own.label("changed"))).runs[0].italic = True
            if own.reason(goal.goal.id):
                self.document.add_paragraph().add_run(clean(own.label("reason") + ":")).bold = True
                add_rich(self.document, own.reason(goal.goal.id))

    def _topic_store(self) -> None:
        report, text = self.report, self.text
        self.heading(text.topic_store, 1, new_page=True)
        for section in report.topic_store:
            self.heading(section.theme_field, 2)
            if not section.entries:
                self.document.add_paragraph(clean(text.no_entries))
                continue
            self.table(
                [(text.recommendation, 8.5), (text.goal, 4.7), (text.reason, 3.8)],
                [
                    [
                        entry.text,
                        entry.goal.text if entry.goal and entry.card.text else "",
                        report.reason_text(entry),
                    ]
                    for entry in section.entries
                ],
            )

    def _explanation(self) -> None:
        report, text = self.report, self.text
        self.heading(text.explanation, 1, new_page=True)
        self.heading(text.points_per_goal, 2)
        for chart in report.charts:
            self.heading(chart.title, 3)
            self.document.add_paragraph(clean(chart.description))
            if chart.bars:
                self.table(
                    [
                        (text.overview_columns[0], 1.2),
                        (text.goal, 10.3),
                        (text.points, 2.0),
                        (text.priority, 3.5),
                    ],
                    [
                        [
                            bar.nr,
                            bar.goal,
                            bar.points,
                            text.priority if bar.is_priority else text.below_threshold,
                        ]
                        for bar in chart.bars
                    ],
                    numeric={2},
                )
        self.heading(text.close_to_threshold, 2)
        explanation = report.explanation
        if explanation.near_threshold:
            self.table(
                [
                    (text.theme_field, 3.0),
                    (text.goal, 7.5),
                    (text.points, 1.8),
                    (text.explanation_column, 4.7),
                ],
                [
                    [
                        near.theme_field,
                        (text.priority.upper() + ": " if near.is_priority else "") + near.goal,
                        near.points,
                        near.explanation,
                    ]
                    for near in explanation.near_threshold
                ],
                numeric={2},
            )
        else:
            self.document.add_paragraph(clean(text.none_close))
        if explanation.analysed:
            self._goals_explained()
        if explanation.support:
            self.heading(text.support, 2)
            groups = explanation.support_groups
            group_width = max(1.2, 7.0 / max(len(groups), 1))
            self.table(
                [
                    (text.theme_field, 2.5),
                    (text.goal, 5.0),
                    (text.points, 1.3),
                    (text.distinct_supporters, 1.8),
                    *((group, group_width) for group in groups),
                ],
                [
                    [
                        row.theme_field,
                        row.goal,
                        row.points,
                        row.supporters,
                        *(explanation.dots_of(row, group) for group in groups),
                    ]
                    for row in explanation.support
                ],
                numeric=set(range(2, 4 + len(groups))),
            )
        for heading, items in (
            (text.departures, [departure.text for departure in explanation.departures]),
            (text.similar_cards, [pair.text for pair in explanation.similar_cards]),
        ):
            if items:
                self.heading(heading, 2)
                for item in items:
                    self.document.add_paragraph(clean(item), style="List Bullet")

    def _goals_explained(self) -> None:
        """Every goal's margin, support, stability and other ways of counting, a table per
        theme field; priorities in bold and shaded, flags and differing counts in bold."""
        text, explanation = self.text, self.report.explanation
        ballots = explanation.has_ballots
        self.heading(text.goals_explained, 2)
        if explanation.no_ballots_note:
            self.document.add_paragraph(clean(explanation.no_ballots_note)).runs[0].italic = True
        if ballots:
            columns = [
                (text.overview_columns[0], 0.8),
                (text.goal, 4.1),
                (text.points, 1.2),
                (text.status, 1.9),
                (text.margin, 2.4),
                (text.distinct_supporters, 1.6),
                (text.largest_share, 1.4),
                (text.stability, 1.9),
                (text.other_ways, 1.7),
            ]
            numeric = {2, 5, 6}
        else:
            columns = [
                (text.overview_columns[0], 0.9),
                (text.goal, 6.1),
                (text.points, 1.4),
                (text.status, 2.5),
                (text.margin, 3.2),
                (text.other_ways, 2.9),
            ]
            numeric = {2}
        size = pt(8)
        for table in explanation.goals:
            self.heading(table.theme_field, 3)
            rows: list[list[object]] = []
            for row in table.rows:
                values: list[object] = [row.nr, row.goal, row.points, row.status, row.margin]
                if ballots:
                    values += [row.supporters, row.largest_share, row.stability]
                values.append("")  # written below, a line per way of counting
                rows.append(values)
            written = self.table(columns, rows, numeric=numeric, font_size=size)
            for cells, row in zip(written[1:], table.rows, strict=True):
                if row.is_priority:
                    bold_cell(cells[1])
                    shade(cells[1], PRIORITY_FILL)
                    bold_cell(cells[3])
                if ballots:
                    add_lines(
                        cells[5],
                        [(row.single_supporter_text, True), (row.unattributed_text, False)],
                        size,
                    )
                    if row.changes_without:
                        bold_cell(cells[7])
                differs = [line.differs for line in row.what_if]
                differs += [False] * (len(row.other_ways_lines) - len(differs))
                add_lines(cells[-1], list(zip(row.other_ways_lines, differs, strict=True)), size)
        note = f"{explanation.what_if_legend} {text.rule_decides}".strip()
        self.document.add_paragraph(clean(note)).runs[0].italic = True
