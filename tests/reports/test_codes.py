"""The printable code sheet: eight codes a page, the first page too, none cut off."""

from __future__ import annotations

import io

from pypdf import PdfReader

from klebepunkt.i18n import translator
from klebepunkt.reports import render
from klebepunkt.reports.codes import CodeCard, build_code_sheet
from tests.reports.conftest import pdf_text, squash


def code_sheet(count: int):
    cards = tuple(
        CodeCard(f"Mitglied {n}", "Politik", f"AB{n:02d}-CDE-FGH", f"https://example.org/v/{n}")
        for n in range(1, count + 1)
    )
    return build_code_sheet(
        round_title="Punktabfrage",
        join_base="https://example.org/v/",
        cards=cards,
        translate=translator("de"),
    )


def test_nineteen_codes_fill_three_pages_from_the_first_page_on():
    content = render(code_sheet(19), "pdf")
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) == 3
    first = squash(pdf_text(content).split("\f")[0])
    assert squash("Punktabfrage – Persönliche Abstimmungscodes") in first
    assert squash("AB01-CDE-FGH") in first and squash("AB08-CDE-FGH") in first
    assert squash("AB09-CDE-FGH") not in first


def test_the_sheet_says_how_to_join_in_the_readers_language():
    text = squash(pdf_text(render(code_sheet(1), "pdf")))
    assert squash("QR-Code scannen oder https://example.org/v/ öffnen") in text
