"""The report as a Word document that a clerk can edit (python-docx).

Real headings (Heading 1–3, so Word's navigation pane and a screen reader find
them), real tables whose header row repeats on every page, a table of contents
field (Word fills in the page numbers when the document is opened), page numbers
in the footer, A4, and the document language set for spelling and screen readers.
Goal cells span their cards as in the seed's overview; priorities carry the word
“Priorität”, not only a shade.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from klebepunkt.domain import gettext_noop
from klebepunkt.reports.content import Report

FONT = "Arial"
HEADER_FILL = "DCE6F0"
PRIORITY_FILL = "F1F5FA"
# Characters XML 1.0 does not allow; a sheet copied from elsewhere may contain them.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Column = tuple[str, float]  # (header, width in cm)


def _clean(value: object) -> str:
    return _ILLEGAL_XML.sub("", "" if value is None else str(value))


def render_docx(report: Report) -> bytes:
    from docx import Document

    document = Document()
    writer = _Writer(document, report)
    writer.write()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _Writer:
    """Writes one report into one python-docx document, top to bottom."""

    def __init__(self, document: Any, report: Report) -> None:
        self.document = document
        self.report = report
        self.text = report.text

    # --- the document ---------------------------------------------------------------

    def write(self) -> None:
        self._set_up()
        self._title_page()
        self._contents()
        if self.report.documentation is not None:
            self._documentation()
        self._overview()
        self._priorities()
        self._topic_store()
        self._explanation()
        if self.report.warnings:
            self.heading(self.text.warnings, 1, new_page=True)
            for warning in self.report.warnings:
                self.document.add_paragraph(
                    _clean(warning.message.render(self.report.translate)), style="List Bullet"
                )

    def _set_up(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        report = self.report
        language = {"de": "de-DE", "en": "en-GB"}.get(report.language, report.language)
        properties = self.document.core_properties
        properties.title = _clean(report.title)
        properties.subject = _clean(report.subtitle)
        properties.language = language
        properties.author = "klebepunkt"
        properties.comments = _clean(report.summary)
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        section.different_first_page_header_footer = True
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10)
        for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
            styles[name].font.name = FONT
        _set_style_language(self.document, language)
        _set_east_asian_font(normal, FONT)
        header = section.header.paragraphs[0]
        header.text = _clean(report.title)
        header.style = styles["Header"]
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _add_field(footer, "PAGE", "1")
        footer.add_run(" / ")
        _add_field(footer, "NUMPAGES", "1")
        settings = self.document.settings.element
        _append(settings, "w:updateFields", {"w:val": "true"})

    def _title_page(self) -> None:
        from docx.shared import Pt

        report = self.report
        for _ in range(6):
            self.document.add_paragraph()
        self.document.add_paragraph(_clean(report.title), style="Title")
        if report.subtitle:
            self.document.add_paragraph(_clean(report.subtitle), style="Subtitle")
        summary = self.document.add_paragraph(_clean(report.summary))
        summary.runs[0].font.size = Pt(11)

    def _contents(self) -> None:
        from docx.enum.text import WD_BREAK

        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.document.add_paragraph(_clean(self.text.contents), style="TOC Heading")
        entries = self._toc_entries()
        hint = self.report.t(
            gettext_noop(
                "Page numbers: right-click the table of contents and choose “Update field”."
            )
        )
        paragraphs = [self.document.add_paragraph() for _ in range(len(entries) or 1)]
        _open_field(paragraphs[0], 'TOC \\o "1-2" \\h \\z \\u')
        for paragraph, (level, text) in zip(paragraphs, entries, strict=False):
            run = paragraph.add_run(_clean(text))
            run.bold = level == 1
            paragraph.paragraph_format.left_indent = _cm(0.6 * (level - 1))
        _close_field(paragraphs[-1])
        note = self.document.add_paragraph(_clean(hint))
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
        if doc.introduction:
            self.document.add_paragraph(_clean(doc.introduction))
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
        self.heading(text.method, 2)
        if doc.note:
            self.document.add_paragraph(_clean(doc.note)).runs[0].italic = True
        for paragraph in doc.method:
            self.document.add_paragraph(_clean(paragraph))
        self.table(
            [(text.figure, 8.0), (text.value, 2.5)],
            [[label, value] for label, value in doc.figures],
            numeric={1},
        )

    def _overview(self) -> None:
        from docx.shared import Pt

        report, text = self.report, self.text
        self.heading(text.overview, 1, new_page=True)
        legend = self.document.add_paragraph()
        badge = legend.add_run(_clean(text.priority))
        badge.bold = True
        legend.add_run(" – " + _clean(text.priority_legend))
        widths = (1.0, 3.3, 4.0, 3.1, 3.1, 1.25, 1.25)
        for table_content in report.overview:
            self.heading(table_content.theme_field, 2)
            if not table_content.rows:
                self.document.add_paragraph(_clean(text.no_dot_in_field))
                continue
            header = []
            for name, question, width in zip(
                text.overview_columns, text.overview_questions, widths, strict=True
            ):
                header.append((f"{name}\n{question}" if question else name, width))
            rows = [
                [
                    row.nr,
                    row.goal,
                    row.recommendation,
                    row.indicator,
                    row.responsible,
                    row.card_dots,
                    row.goal_points,
                ]
                for row in table_content.rows
            ]
            cells = self.table(header, rows, numeric={5, 6}, font_size=Pt(8))
            # Goal cells span their cards; priorities are marked in words and shaded.
            for index, row in enumerate(table_content.rows, start=1):
                if not row.goal_rows:
                    continue
                last = index + row.goal_rows - 1
                for column in (0, 1, 6):
                    cell = cells[index][column]
                    if row.goal_rows > 1:
                        for other in range(index + 1, last + 1):
                            cells[other][column].text = ""
                        cell = cell.merge(cells[last][column])
                        _drop_empty_paragraphs(cell)
                    if row.is_priority:
                        _shade(cell, PRIORITY_FILL)
                    if row.is_priority and column == 1:
                        paragraph = cell.paragraphs[0]
                        for run in paragraph.runs:
                            run.bold = True
                        mark = paragraph.insert_paragraph_before()
                        mark_run = mark.add_run(_clean(text.priority).upper())
                        mark_run.bold = True
                        mark_run.font.size = Pt(7)
                for other in range(index, last):
                    _keep_with_next(cells[other])

    def _priorities(self) -> None:
        report, text = self.report, self.text
        self.heading(text.part_2, 1, new_page=True)
        for number, goal in enumerate(report.priorities, start=1):
            self.heading(f"{number}. {goal.goal.text}", 2)
            meta = self.document.add_paragraph(
                _clean(f"{text.theme_field}: {goal.theme_field} · ")
                + _clean(report.points_text(goal.points))
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

    def _topic_store(self) -> None:
        report, text = self.report, self.text
        self.heading(text.topic_store, 1, new_page=True)
        for section in report.topic_store:
            self.heading(section.theme_field, 2)
            if not section.entries:
                self.document.add_paragraph(_clean(text.no_entries))
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
            self.document.add_paragraph(_clean(chart.description))
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
            self.document.add_paragraph(_clean(text.none_close))
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
                    self.document.add_paragraph(_clean(item), style="List Bullet")

    def _goals_explained(self) -> None:
        """Every goal's margin, support, stability and other ways of counting, a table per
        theme field; priorities in bold and shaded, flags and differing counts in bold."""
        from docx.shared import Pt

        text, explanation = self.text, self.report.explanation
        ballots = explanation.has_ballots
        self.heading(text.goals_explained, 2)
        if explanation.no_ballots_note:
            self.document.add_paragraph(_clean(explanation.no_ballots_note)).runs[0].italic = True
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
        size = Pt(8)
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
                    for run in cells[1].paragraphs[0].runs:
                        run.bold = True
                    _shade(cells[1], PRIORITY_FILL)
                    for run in cells[3].paragraphs[0].runs:
                        run.bold = True
                if ballots:
                    _add_lines(
                        cells[5],
                        [(row.single_supporter_text, True), (row.unattributed_text, False)],
                        size,
                    )
                    if row.changes_without:
                        for run in cells[7].paragraphs[0].runs:
                            run.bold = True
                differs = [line.differs for line in row.what_if]
                differs += [False] * (len(row.other_ways_lines) - len(differs))
                _add_lines(cells[-1], list(zip(row.other_ways_lines, differs, strict=True)), size)
        note = f"{explanation.what_if_legend} {text.rule_decides}".strip()
        self.document.add_paragraph(_clean(note)).runs[0].italic = True

    # --- building blocks ------------------------------------------------------------

    def heading(self, text: str, level: int, *, new_page: bool = False) -> None:
        paragraph = self.document.add_heading(_clean(text), level)
        paragraph.paragraph_format.keep_with_next = True
        if new_page:
            paragraph.paragraph_format.page_break_before = True

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[object]],
        *,
        numeric: set[int] | None = None,
        bold_first_column: bool = False,
        font_size: Any = None,
    ) -> list[list[Any]]:
        """A table with a bold, shaded header row that repeats on every page.

        Returns the cells, row by row (the header row first).
        """
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        numeric = numeric or set()
        size = font_size or Pt(9)
        table = self.document.add_table(rows=1, cols=len(columns))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        header = table.rows[0]
        _repeat_as_header(header)
        cells: list[list[Any]] = [list(header.cells)]
        for index, (cell, (name, width)) in enumerate(zip(cells[0], columns, strict=True)):
            cell.width = _cm(width)
            paragraph = cell.paragraphs[0]
            title, _, question = name.partition("\n")
            run = paragraph.add_run(_clean(title))
            run.bold = True
            run.font.size = size
            if question:
                detail = paragraph.add_run("\n" + _clean(question))
                detail.font.size = Pt(7)
            if index in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _shade(cell, HEADER_FILL)
        for values in rows:
            row = table.add_row()
            _cant_split(row)
            cells.append(list(row.cells))
            for index, (cell, value, (_, width)) in enumerate(
                zip(cells[-1], values, columns, strict=True)
            ):
                cell.width = _cm(width)
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(_clean(value))
                run.font.size = size
                if bold_first_column and index == 0:
                    run.bold = True
                if index in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for column, (_, width) in zip(table.columns, columns, strict=True):
            column.width = _cm(width)
        self.document.add_paragraph()
        return cells


# --- OOXML details python-docx has no API for -----------------------------------------


def _cm(value: float) -> Any:
    from docx.shared import Cm

    return Cm(value)


def _append(parent: Any, tag: str, attributes: dict[str, str] | None = None) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in (attributes or {}).items():
        element.set(qn(name), value)
    parent.append(element)
    return element


def _repeat_as_header(row: Any) -> None:
    """Mark a table row as header row: Word repeats it on every page and tags it as such."""
    properties = row._tr.get_or_add_trPr()
    _append(properties, "w:tblHeader", {"w:val": "true"})
    _append(properties, "w:cantSplit", {"w:val": "true"})


def _cant_split(row: Any) -> None:
    _append(row._tr.get_or_add_trPr(), "w:cantSplit", {"w:val": "true"})


def _keep_with_next(cells: list[Any]) -> None:
    """Keep a row on the page of the next one (a goal's cards stay together)."""
    for cell in cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _shade(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    for old in properties.findall(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd"
    ):
        properties.remove(old)
    _append(properties, "w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill})


def _add_lines(cell: Any, lines: Sequence[tuple[str, bool]], size: Any) -> None:
    """Add (text, bold) lines to a cell's first paragraph, each on a line of its own."""
    paragraph = cell.paragraphs[0]
    for line, bold in lines:
        if not line:
            continue
        if paragraph.text:
            paragraph.add_run().add_break()
        run = paragraph.add_run(_clean(line))
        run.bold = bold
        run.font.size = size


def _drop_empty_paragraphs(cell: Any) -> None:
    """A merged cell keeps the empty paragraphs of the cells it swallowed; drop them."""
    paragraphs = cell.paragraphs
    for paragraph in paragraphs[1:]:
        if not paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)


def _set_style_language(document: Any, language: str) -> None:
    """The default language of every run, for Word's spelling and for screen readers."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = _append(styles, "w:docDefaults")
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = _append(defaults, "w:rPrDefault")
    run_properties = run_defaults.find(qn("w:rPr"))
    if run_properties is None:
        run_properties = _append(run_defaults, "w:rPr")
    for old in run_properties.findall(qn("w:lang")):
        run_properties.remove(old)
    _append(run_properties, "w:lang", {"w:val": language, "w:eastAsia": language})


def _set_east_asian_font(style: Any, font: str) -> None:
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _add_field(paragraph: Any, instruction: str, placeholder: str) -> None:
    _open_field(paragraph, instruction)
    paragraph.add_run(placeholder)
    _close_field(paragraph)


def _open_field(paragraph: Any, instruction: str) -> None:
    begin = paragraph.add_run()
    _append(begin._r, "w:fldChar", {"w:fldCharType": "begin", "w:dirty": "true"})
    code = paragraph.add_run()
    text = _append(code._r, "w:instrText")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {instruction} "
    separate = paragraph.add_run()
    _append(separate._r, "w:fldChar", {"w:fldCharType": "separate"})


def _close_field(paragraph: Any) -> None:
    end = paragraph.add_run()
    _append(end._r, "w:fldChar", {"w:fldCharType": "end"})
