"""The progress report as an accessible PDF, on the kit.

The HTML comes from a template that holds no words (every text is in the
``ProgressReport``), styled by the result report's print stylesheet plus a few
lines of its own; the kit lays it out as tagged PDF/UA-1, fetching nothing from
outside. The charts are the same inline SVG as on the web page, with their text
alternative as the figure's caption.
"""

from __future__ import annotations

from klebepunkt.reports.kit.formats import StepCallback
from klebepunkt.reports.kit.pdf import html_to_pdf
from klebepunkt.reports.kit.templates import render_template, stylesheet, trusted_svg
from klebepunkt.reports.progress.chart import indicator_chart_svg
from klebepunkt.reports.progress.content import ProgressReport
from klebepunkt.reports.progress.render import LIGHT_SYMBOLS, change_rows


def progress_html(report: ProgressReport) -> str:
    charts = {
        line.key: trusted_svg(  # indicator_chart_svg escapes every text
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
    return render_template(
        "progress.html.j2",
        report=report,
        charts=charts,
        changes=change_rows(report),
        symbols=LIGHT_SYMBOLS,
        css=stylesheet("report.css"),
        progress_css=stylesheet("progress.css"),
    )


def render_progress_pdf(report: ProgressReport, *, on_step: StepCallback | None = None) -> bytes:
    return html_to_pdf(progress_html(report), on_step=on_step)
