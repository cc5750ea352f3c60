"""The printable card sheet: every card of a process on A4, six to a page."""

from __future__ import annotations

import io

from klebepunkt.domain import Card, Tally
from klebepunkt.reports.cards import CARDS_PER_PAGE, build_card_sheet, render_card_sheet
from tests.reports.conftest import GERMAN, pdf_text, squash


def test_every_card_of_koblenz_is_on_the_sheet(koblenz_record):
    from pypdf import PdfReader

    tally = koblenz_record.tally
    sheet = build_card_sheet(tally, GERMAN, title=koblenz_record.title)
    assert len(sheet.cards) == len(tally.cards) == 66
    content = render_card_sheet(tally, GERMAN, title=koblenz_record.title)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == -(-66 // CARDS_PER_PAGE) == 11
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])
    assert reader.trailer["/Root"]["/Lang"] == "de"
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 595
        assert round(float(page.mediabox.height)) == 842
    text = squash(pdf_text(content))
    for face in sheet.cards:
        assert squash(face.text) in text
        assert squash(face.theme_field) in text


def test_a_card_without_text_shows_its_goal(koblenz_record):
    sheet = build_card_sheet(koblenz_record.tally, GERMAN)
    goals = {goal.id: goal.text for goal in koblenz_record.tally.goals}
    empty = [card for card in koblenz_record.tally.cards if not card.text]
    assert len(empty) == 2
    texts = [face.text for face in sheet.cards]
    for card in empty:
        assert goals[card.goal_id] in texts


def test_long_texts_get_smaller_type():
    tally = Tally(
        cards=(
            Card("a", "Pflege", "Kurz"),
            Card("b", "Pflege", "Mittel " * 30),
            Card("c", "Pflege", "Lang " * 300),
        )
    )
    sizes = [face.size for face in build_card_sheet(tally, GERMAN).cards]
    assert sizes == ["size-xl", "size-s", "size-xxs"]
