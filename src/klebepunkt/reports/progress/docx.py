"""The progress report as a Word document a clerk can edit, on the kit's building blocks.

Real headings, tables whose header row repeats on every page, page numbers, A4 and
the document language, as the result report has them. Word gets no SVG: each indicator's chart is given as
its text alternative and a table of its values, as the main report does with its
charts. Traffic lights carry their word and a shape (✖ ▲ ✔), never colour alone.
"""

from __future__ import annotations

from klebepunkt.domain.monitoring_state import ItemKind
from klebepunkt.reports.kit.docx import WordDocument
from klebepunkt.reports.kit.docx import clean as _clean
from klebepunkt.reports.progress.content import ProgressReport
from klebepunkt.reports.progress.render import LIGHT_SYMBOLS, change_rows


def render_progress_docx(report: ProgressReport) -> bytes:
    word = WordDocument()
    _ProgressWriter(word, report).write()
    return word.to_bytes()


class _ProgressWriter:
    """Writes one progress report into one Word document, top to bottom."""

    def __init__(self, word: WordDocument, progress: ProgressReport) -> None:
        self.word = word
        self.document = word.document
        self.progress = progress
        self.heading = word.heading
        self.table = word.table

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
        report = self.progress
        title = f"{report.labels.heading}: {report.title}"
        self.word.set_up(
            title=title, subject=report.subtitle, language=report.language, header=title
        )
