"""Render a report in one of the formats; each returns the file's bytes."""

from __future__ import annotations

from collections.abc import Callable

from klebepunkt.reports.content import Report
from klebepunkt.reports.markdown import render_markdown
from klebepunkt.reports.tabular import render_csv, render_json, render_xlsx

Renderer = Callable[[Report], bytes]

RENDERERS: dict[str, Renderer] = {
    "md": render_markdown,
    "csv": render_csv,
    "xlsx": render_xlsx,
    "json": render_json,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS)

MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def render_report(report: Report, fmt: str) -> bytes:
    return RENDERERS[fmt](report)
