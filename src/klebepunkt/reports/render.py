"""Render a document in one of its formats; each returns the file's bytes.

``render(content, fmt)`` is the one entry point for every document (result report,
progress report, card sheet, code sheet): the web app's downloads, background jobs
and the CLI call it. ``formats_of(content)`` says which formats a document has.
Typst, WeasyPrint and python-docx load only when a PDF or a Word file is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from klebepunkt.reports.cards import CardSheet
from klebepunkt.reports.codes import CodeSheet
from klebepunkt.reports.content import Report
from klebepunkt.reports.kit.formats import BINARY_FORMATS, MEDIA_TYPES, StepCallback
from klebepunkt.reports.markdown import render_markdown
from klebepunkt.reports.progress.content import ProgressReport
from klebepunkt.reports.progress.render import render_progress_markdown, render_progress_xlsx
from klebepunkt.reports.result import render_json
from klebepunkt.reports.tabular import render_csv, render_xlsx

Renderer = Callable[[Any, "StepCallback | None"], bytes]


def _report_pdf(report: Report, on_step: StepCallback | None) -> bytes:
    from klebepunkt.reports.pdf import render_pdf

    return render_pdf(report, on_step=on_step)


def _report_docx(report: Report, on_step: StepCallback | None) -> bytes:
    from klebepunkt.reports.docx import render_docx

    return render_docx(report)


def _progress_pdf(report: ProgressReport, on_step: StepCallback | None) -> bytes:
    from klebepunkt.reports.progress.pdf import render_progress_pdf

    return render_progress_pdf(report, on_step=on_step)


def _progress_docx(report: ProgressReport, on_step: StepCallback | None) -> bytes:
    from klebepunkt.reports.progress.docx import render_progress_docx

    return render_progress_docx(report)


def _card_sheet_pdf(sheet: CardSheet, on_step: StepCallback | None) -> bytes:
    from klebepunkt.reports.cards import render_card_sheet_pdf

    return render_card_sheet_pdf(sheet, on_step=on_step)


def _code_sheet_pdf(sheet: CodeSheet, on_step: StepCallback | None) -> bytes:
    from klebepunkt.reports.codes import render_code_sheet_pdf

    return render_code_sheet_pdf(sheet, on_step=on_step)


def _plain(renderer: Callable[[Any], bytes]) -> Renderer:
    return lambda content, _on_step: renderer(content)


# Each document's formats, in the order its download buttons offer them.
RENDERERS: dict[type, dict[str, Renderer]] = {
    Report: {
        "md": _plain(render_markdown),
        "csv": _plain(render_csv),
        "xlsx": _plain(render_xlsx),
        "json": _plain(render_json),
        "pdf": _report_pdf,
        "docx": _report_docx,
    },
    ProgressReport: {
        "pdf": _progress_pdf,
        "docx": _progress_docx,
        "md": _plain(render_progress_markdown),
        "xlsx": _plain(render_progress_xlsx),
    },
    CardSheet: {"pdf": _card_sheet_pdf},
    CodeSheet: {"pdf": _code_sheet_pdf},
}
FORMATS: tuple[str, ...] = tuple(RENDERERS[Report])  # the result report's formats
PROGRESS_FORMATS: tuple[str, ...] = tuple(RENDERERS[ProgressReport])

__all__ = ["BINARY_FORMATS", "FORMATS", "MEDIA_TYPES", "PROGRESS_FORMATS", "render"]


def formats_of(content: object) -> tuple[str, ...]:
    return tuple(RENDERERS[type(content)])


def render(content: object, fmt: str, *, on_step: StepCallback | None = None) -> bytes:
    """The document ``content`` in the format ``fmt`` (one of ``formats_of(content)``).

    ``on_step`` is told, in the document's language, what a long rendering is doing.
    """
    renderers = RENDERERS.get(type(content))
    if renderers is None:
        raise TypeError(f"not a document: {type(content).__name__}")
    if fmt not in renderers:
        raise ValueError(f"{type(content).__name__} has no format {fmt!r}")
    return renderers[fmt](content, on_step)


def render_report(report: Report, fmt: str, *, on_step: StepCallback | None = None) -> bytes:
    """The result report in the format ``fmt`` (one of ``FORMATS``)."""
    return render(report, fmt, on_step=on_step)
