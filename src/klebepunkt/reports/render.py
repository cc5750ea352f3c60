"""Render a report in one of the formats; each returns the file's bytes.

``render_report(report, fmt)`` is the one entry point for the web app's download
buttons and for the CLI; ``render_card_sheet`` (in ``reports.cards``) is the one
for the printable cards.
"""

from __future__ import annotations

from collections.abc import Callable

from klebepunkt.reports.content import Report
from klebepunkt.reports.markdown import render_markdown
from klebepunkt.reports.tabular import render_csv, render_json, render_xlsx

Renderer = Callable[[Report], bytes]
StepCallback = Callable[[str], None]  # told the name of each step before it starts


def _render_pdf(report: Report, on_step: StepCallback | None = None) -> bytes:
    from klebepunkt.reports.pdf import render_pdf  # WeasyPrint loads only when needed

    return render_pdf(report, on_step=on_step)


def _render_docx(report: Report) -> bytes:
    from klebepunkt.reports.docx import render_docx

    return render_docx(report)


RENDERERS: dict[str, Renderer] = {
    "md": render_markdown,
    "csv": render_csv,
    "xlsx": render_xlsx,
    "json": render_json,
    "pdf": _render_pdf,
    "docx": _render_docx,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)
BINARY_FORMATS = frozenset({"xlsx", "pdf", "docx"})  # never written to a terminal

MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render_report(report: Report, fmt: str, *, on_step: StepCallback | None = None) -> bytes:
    """The report in the format ``fmt`` (one of ``FORMATS``) as the file's bytes.

    ``on_step`` is told, in the report's language, what a long rendering is doing.
    """
    if fmt == "pdf":
        return _render_pdf(report, on_step)
    return RENDERERS[fmt](report)
