"""The printable sheet of personal voting codes: one card per voter on A4, a QR code to join.

``CodeSheet`` is plain data (the voting app fills it from a round); the PDF is laid
out from ``codes.html.j2`` by the kit. The QR codes are inline SVG made here
(segno), so the PDF fetches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from klebepunkt.domain import gettext_noop
from klebepunkt.i18n import Translate
from klebepunkt.reports.kit.formats import StepCallback
from klebepunkt.reports.kit.pdf import html_to_pdf
from klebepunkt.reports.kit.templates import render_template, trusted_svg

CARDS_PER_PAGE = 8  # two columns, four rows of 88 × 62 mm on A4


@dataclass(frozen=True, slots=True)
class CodeCard:
    """What one printed code card shows."""

    name: str  # "" in a secret round
    stakeholder_group: str
    code: str  # formatted for reading: "K7QX-M2PA"
    url: str  # the link that joins with this code (the QR code's content)


@dataclass(frozen=True, slots=True)
class CodeSheet:
    title: str  # "Runde 1 – Persönliche Abstimmungscodes"
    document_title: str  # the PDF's title
    language: str
    how_to_join: str  # "Scan the QR code, or open … and type the code."
    qr_label: str  # the QR code's text alternative
    cards: tuple[CodeCard, ...]
    translate: Translate  # for the steps of a long rendering

    @property
    def pages(self) -> tuple[tuple[CodeCard, ...], ...]:
        """The cards a page at a time: a page is laid out whole, never split by the PDF."""
        return tuple(
            self.cards[i : i + CARDS_PER_PAGE] for i in range(0, len(self.cards), CARDS_PER_PAGE)
        )


def build_code_sheet(
    *,
    round_title: str,
    join_base: str,
    cards: tuple[CodeCard, ...],
    translate: Translate,
    language: str = "de",
) -> CodeSheet:
    heading = translate(gettext_noop("Personal voting codes"))
    return CodeSheet(
        title=f"{round_title} – {heading}",
        document_title=f"{heading} – {round_title}",
        language=language,
        how_to_join=translate(gettext_noop("Scan the QR code, or open %(url)s and type the code."))
        % {"url": join_base},
        qr_label=translate(gettext_noop("QR code with the link to join")),
        cards=cards,
        translate=translate,
    )


def qr_svg(url: str) -> str:
    import segno

    svg: str = segno.make(url, error="m").svg_inline(
        scale=3, dark="#000", light="#fff", omitsize=False
    )
    return svg


def code_sheet_html(sheet: CodeSheet) -> str:
    return render_template(
        "codes.html.j2",
        sheet=sheet,
        qr={card.url: trusted_svg(qr_svg(card.url)) for card in sheet.cards},
    )


def render_code_sheet_pdf(sheet: CodeSheet, *, on_step: StepCallback | None = None) -> bytes:
    return html_to_pdf(code_sheet_html(sheet), on_step=on_step, translate=sheet.translate)
