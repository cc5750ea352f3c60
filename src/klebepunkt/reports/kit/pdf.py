"""The one HTML-to-PDF path: WeasyPrint writes a tagged PDF/UA-1 that fetched nothing.

Headings, tables with their header cells and figures with their text alternative
are tagged; the document language and title go into the metadata. Every URL is
refused: stylesheets are inline, charts and QR codes are inline SVG.
"""

from __future__ import annotations

from klebepunkt.domain import gettext_noop
from klebepunkt.i18n import Translate
from klebepunkt.reports.kit.formats import StepCallback

PDF_VARIANT = "pdf/ua-1"


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
    document = HTML(string=html, url_fetcher=fetcher).render(pdf_variant=PDF_VARIANT)
    step(gettext_noop("Writing the PDF"))
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
