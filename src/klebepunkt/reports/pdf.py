"""The report as an accessible PDF: HTML from a Jinja2 template, laid out by WeasyPrint.

Jinja2 rather than Django's template engine: the CLI renders reports from a tally
sheet with no Django settings, and Jinja2 needs none; autoescape is on for every
template, and ``StrictUndefined`` turns a misspelt field into an error instead of
an empty cell. The templates hold no words: every text comes from the report,
already translated. WeasyPrint fetches nothing: the stylesheet is inline, the
charts are inline SVG, and every URL is refused.

The PDF is PDF/UA-1: tagged (headings, tables with their header cells, figures with
their text alternative), with the document language and the title in its metadata.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup

from klebepunkt.domain import gettext_noop
from klebepunkt.i18n import Translate
from klebepunkt.reports.chart import chart_svg, chunks
from klebepunkt.reports.content import Report
from klebepunkt.reports.render import StepCallback

TOC_PRIORITIES = 20  # list the priorities in the contents up to this many


@cache
def environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("klebepunkt.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def stylesheet(name: str) -> Markup:
    """A stylesheet of ours, trusted, to inline in a template."""
    text = resources.files("klebepunkt.reports").joinpath("templates", name).read_text("utf-8")
    return Markup(text)  # noqa: S704 - our own file, not user input


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
    template = environment().get_template("report.html.j2")
    html: str = template.render(
        report=report,
        charts=charts,
        warnings=[warning.message.render(report.translate) for warning in report.warnings],
        css=stylesheet("report.css"),
        toc_priorities=TOC_PRIORITIES,
    )
    return html


def html_to_pdf(
    html: str, *, on_step: StepCallback | None = None, translate: Translate | None = None
) -> bytes:
    """Lay out and write a tagged PDF/UA-1 from HTML that needs nothing from outside.

    ``on_step`` hears of the two long steps, in the language of ``translate``.
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    def step(msgid: str) -> None:
        if on_step is not None:
            on_step(translate(msgid) if translate else msgid)

    fetcher = URLFetcher(allowed_protocols=())  # inline only: no file, no network
    step(gettext_noop("Laying out the pages"))
    document = HTML(string=html, url_fetcher=fetcher).render(pdf_variant="pdf/ua-1")
    step(gettext_noop("Writing the PDF"))
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def render_pdf(report: Report, *, on_step: StepCallback | None = None) -> bytes:
    if on_step:
        on_step(report.t(gettext_noop("Preparing the pages")))
    return html_to_pdf(report_html(report), on_step=on_step, translate=report.translate)
