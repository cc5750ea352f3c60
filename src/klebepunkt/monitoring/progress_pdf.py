"""The progress report as an accessible PDF, with the report formats' machinery.

The HTML comes from a Jinja2 template that holds no words (every text is in the
``ProgressReport``), styled by the main report's print stylesheet plus a few
lines of its own; ``reports.pdf.html_to_pdf`` lays it out as tagged PDF/UA-1
with WeasyPrint, fetching nothing from outside. The charts are the same inline
SVG as on the web page, with their text alternative as the figure's caption.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from markupsafe import Markup

from klebepunkt.monitoring.chart import indicator_chart_svg
from klebepunkt.monitoring.progress import ProgressReport
from klebepunkt.monitoring.progress_render import LIGHT_SYMBOLS, change_rows


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("klebepunkt.monitoring", "report_templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def progress_html(report: ProgressReport) -> str:
    from importlib import resources

    from klebepunkt.reports.pdf import stylesheet

    charts = {
        line.key: Markup(  # noqa: S704 - indicator_chart_svg escapes every text
            indicator_chart_svg(
                line.series,
                labels=report.labels.chart,
                title=line.name,
                description=line.description,
                language=report.language,
                id_prefix=f"chart-{line.key}",
            )
        )
        for priority in report.priorities
        for item in priority.items
        for line in item.indicators
    }
    own_css = (
        resources.files("klebepunkt.monitoring")
        .joinpath("report_templates", "progress.css")
        .read_text("utf-8")
    )
    html: str = (
        _environment()
        .get_template("progress.html.j2")
        .render(
            report=report,
            charts=charts,
            changes=change_rows(report),
            symbols=LIGHT_SYMBOLS,
            css=stylesheet("report.css"),
            progress_css=Markup(own_css),  # noqa: S704 - our own file
        )
    )
    return html


def render_progress_pdf(report: ProgressReport) -> bytes:
    from klebepunkt.reports.pdf import html_to_pdf

    return html_to_pdf(progress_html(report))
