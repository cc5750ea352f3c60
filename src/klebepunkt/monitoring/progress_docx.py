"""The progress report as a Word document a clerk can edit, with the report's building blocks.

Real headings, tables whose header row repeats on every page, page numbers, A4 and
the document language, as ``reports.docx`` writes the main report (whose table and
heading helpers this reuses). Word gets no SVG: each indicator's chart is given as
its text alternative and a table of its values, as the main report does with its
charts. Traffic lights carry their word and a shape (✖ ▲ ✔), never colour alone.
"""

from __future__ import annotations

import io
from typing import Any

from klebepunkt.monitoring.progress import ProgressReport
from klebepunkt.monitoring.progress_render import LIGHT_SYMBOLS, change_rows
from klebepunkt.monitoring.state import ItemKind
from klebepunkt.reports import docx as report_docx

_clean = report_docx._clean


def render_progress_docx(report: ProgressReport) -> bytes:
    from docx import Document

    document = Document()
    _ProgressWriter(document, report).write()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _ProgressWriter(report_docx._Writer):
    """Writes one progress report; ``table`` and ``heading`` come from the report's writer."""

    def __init__(self, document: Any, progress: ProgressReport) -> None:
        self.document = document
        self.progress = progress

    def write(self) -> None:
        report, labels = self.progress, self.progress.labels
        self._set_up_progress()
        self.document.add_paragraph(_clean(labels.heading), style="Subtitle")
        self.document.add_paragraph(_clean(report.title), style="Title")
        if report.subtitle:
            self.document.add_paragraph(_clean(report.subtitle))
        self.document.add_paragraph(_clean(f"{labels.as_of_line} {labels.since_line}"))
        self.heading(labels.summary, 1)
        self.table(
            [(labels.light, 8.0), (labels.count, 2.0)],
            [
                [f"{LIGHT_SYMBOLS[light.value]} {label}", count]
                for light, label, count in report.light_counts
            ],
            numeric={1},
        )
        self.table(
            [(labels.status, 8.0), (labels.count, 2.0)],
            [[label, count] for _status, label, count in report.status_counts if count],
            numeric={1},
        )
        self.heading(labels.priorities, 1)
        if not report.priorities:
            self.document.add_paragraph(_clean(labels.no_priorities))
        for priority in report.priorities:
            number = f"{priority.nr}. " if priority.nr else ""
            self.heading(number + priority.goal, 2)
            self.document.add_paragraph(
                _clean(
                    f"{labels.theme_field}: {priority.theme_field} · {priority.points} {labels.points}"
                )
            )
            light = self.document.add_paragraph()
            light.add_run(
                _clean(f"{LIGHT_SYMBOLS[priority.light.value]} {priority.light_label}")
            ).bold = True
            if priority.reasons:
                light.add_run(_clean(" – " + "; ".join(priority.reasons)))
            self.table(
                [
                    (labels.recommendation, 4.6),
                    (labels.status, 2.2),
                    (labels.light, 3.4),
                    (labels.responsible, 2.8),
                    (labels.due, 1.8),
                    (labels.comment, 2.2),
                ],
                [
                    [
                        labels.the_priority if item.kind is ItemKind.GOAL else item.text,
                        item.status_label,
                        f"{LIGHT_SYMBOLS[item.light.value]} {item.light_label}"
                        + (f": {'; '.join(item.reasons)}" if item.reasons else ""),
                        item.responsible,
                        report.date(item.due_date) or "–",
                        item.comment,
                    ]
                    for item in priority.items
                ],
            )
            for item in priority.items:
                for line in item.indicators:
                    self.heading(f"{labels.indicator}: {line.name}", 3)
                    self.document.add_paragraph(_clean(line.description))
                    values = [
                        [
                            report.date(line.series.baseline_date),
                            report.number(line.series.baseline_value),
                            labels.baseline,
                        ]
                        if line.series.baseline_value is not None
                        else None,
                        *(
                            [report.date(m.date), report.number(m.value), m.source]
                            for m in line.series.ordered()
                        ),
                        [
                            report.date(line.series.target_date),
                            report.number(line.series.target_value),
                            labels.target,
                        ]
                        if line.series.target_value is not None
                        else None,
                    ]
                    self.table(
                        [
                            (labels.date, 3.0),
                            (f"{labels.value} ({line.unit})" if line.unit else labels.value, 3.0),
                            (labels.source, 11.0),
                        ],
                        [row for row in values if row is not None],
                        numeric={1},
                    )
        self.heading(labels.changes, 1)
        self.document.add_paragraph(_clean(labels.since_line))
        rows = change_rows(report)
        if rows:
            self.table(
                [
                    (labels.date, 2.2),
                    (labels.goal, 4.4),
                    (labels.recommendation, 4.4),
                    (labels.before, 3.0),
                    (labels.after, 3.0),
                ],
                [list(row) for row in rows],
            )
        else:
            self.document.add_paragraph(_clean(labels.no_changes))

    def _set_up_progress(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        report = self.progress
        language = {"de": "de-DE", "en": "en-GB"}.get(report.language, report.language)
        properties = self.document.core_properties
        properties.title = _clean(f"{report.labels.heading}: {report.title}")
        properties.subject = _clean(report.subtitle)
        properties.language = language
        properties.author = "klebepunkt"
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        styles = self.document.styles
        styles["Normal"].font.name = report_docx.FONT
        styles["Normal"].font.size = Pt(10)
        for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
            styles[name].font.name = report_docx.FONT
        report_docx._set_style_language(self.document, language)
        report_docx._set_east_asian_font(styles["Normal"], report_docx.FONT)
        header = section.header.paragraphs[0]
        header.text = _clean(f"{report.labels.heading}: {report.title}")
        header.style = styles["Header"]
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        report_docx._add_field(footer, "PAGE", "1")
        footer.add_run(" / ")
        report_docx._add_field(footer, "NUMPAGES", "1")
        report_docx._append(self.document.settings.element, "w:updateFields", {"w:val": "true"})
