"""The result report as an accessible PDF: HTML from a template, through the kit's PDF path.

The template holds no words: every text comes from the report, already
translated. The charts are inline SVG with their text alternative.
"""

from __future__ import annotations

from markupsafe import Markup

from klebepunkt.domain import gettext_noop
from klebepunkt.reports.chart import chart_svg, chunks
from klebepunkt.reports.content import Report
from klebepunkt.reports.kit.formats import StepCallback
from klebepunkt.reports.kit.pdf import html_to_pdf
from klebepunkt.reports.kit.templates import render_template, stylesheet
from klebepunkt.reports.own_texts import marked
from klebepunkt.richtext import to_html

TOC_PRIORITIES = 20  # list the priorities in the contents up to this many


def rich_html(text: str) -> Markup:
    """A text of the working group as HTML: built from its blocks, cleaned by nh3."""
    return Markup(to_html(text))  # noqa: S704 - richtext.to_html is sanitised


def report_html(report: Report) -> str:
    """The report as one HTML document (the PDF's source; also usable as a web page)."""
    charts = [
        (
            chart,
            [
                chart_svg(chart, piece, report.text, description=chart.description)
                for piece in chunks(chart.bars)
            ]
            if chart.bars
            else [],
        )
        for chart in report.charts
    ]
    return render_template(
        "report.html.j2",
        report=report,
        charts=charts,
        warnings=report.warning_texts,
        css=stylesheet("report.css"),
        toc_priorities=TOC_PRIORITIES,
        rich=rich_html,
        marked=marked,
    )


def render_pdf(report: Report, *, on_step: StepCallback | None = None) -> bytes:
    if on_step:
        on_step(report.t(gettext_noop("Preparing the pages")))
    return html_to_pdf(report_html(report), on_step=on_step, translate=report.translate)
