"""Card texts with markup, formulas, very long words, umlauts, ß and emoji render safely in
every format: no crash, no markup injected, no formula, nothing running off the page."""

from __future__ import annotations

import csv
import html.parser
import io
import json

import pytest

from klebepunkt.domain import Card, Goal, Rules, Tally, evaluate
from klebepunkt.reports import FORMATS, build_report, render_report
from klebepunkt.reports.cards import build_card_sheet, card_sheet_html, render_card_sheet
from klebepunkt.reports.pdf import report_html
from tests.reports.conftest import GERMAN, docx_text, pdf_text, squash, xlsx_workbook

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
LONG_WORD = ("Donaudampfschifffahrtsgesellschaft" * 7)[:200]
GERMAN_TEXT = "Grüße aus der Straße: Ärger, Öl und Übermut – ß"
EMOJI = "Sommerfest 🎉 für alle"
PIPE_AND_AMP = "a | b & c &amp; <b>fett</b> *stern* _unter_"


@pytest.fixture(scope="module")
def hostile_tally() -> Tally:
    field = "Pflege <i>kursiv</i>"
    goals = (
        Goal("g1", field, SCRIPT, nr="1"),
        Goal("g2", field, FORMULA, nr="2"),
    )
    cards = (
        Card("c1", field, FORMULA, dots=2, goal_id="g1", indicator=SCRIPT, responsible=FORMULA),
        Card("c2", field, LONG_WORD, dots=1, goal_id="g1", indicator=LONG_WORD),
        Card("c3", field, GERMAN_TEXT, dots=1, goal_id="g2", responsible=EMOJI),
        Card("c4", field, EMOJI, dots=0, goal_id="g2"),
        Card("c5", field, PIPE_AND_AMP + "\x0b", dots=0),
        Card("c6", field, "+49 123 / -1 / @SUM(A1)", dots=0),
        Card("c7", field, SCRIPT + " ohne Ziel", dots=1),  # unclustered: a warning
    )
    return Tally(goals=goals, cards=cards)


@pytest.fixture(scope="module")
def hostile_report(hostile_tally):
    return build_report(
        evaluate(hostile_tally, Rules()), GERMAN, title=SCRIPT, subtitle=FORMULA, language="de"
    )


@pytest.fixture(scope="module")
def hostile_files(hostile_report) -> dict[str, bytes]:
    return {fmt: render_report(hostile_report, fmt) for fmt in FORMATS}


def test_every_format_renders_hostile_text(hostile_files, hostile_report):
    assert set(hostile_files) == {"md", "csv", "xlsx", "json", "pdf", "docx"}
    assert all(hostile_files.values())
    assert hostile_report.warnings  # the warnings section carries hostile text as well
    warning = hostile_report.warnings[0].message.render(GERMAN)
    assert SCRIPT in warning
    assert squash(warning) in squash(pdf_text(hostile_files["pdf"]))
    assert warning in docx_text(hostile_files["docx"])


class _Elements(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_for_the_pdf_shows_markup_as_text(hostile_report):
    page = report_html(hostile_report)
    parser = _Elements()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "i" not in parser.tags and "b" not in parser.tags
    text = "".join(parser.text)
    assert SCRIPT in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_pdf_shows_hostile_text_as_text_and_has_no_links_out(hostile_files):
    from pypdf import PdfReader

    content = hostile_files["pdf"]
    text = squash(pdf_text(content))
    for phrase in (SCRIPT, FORMULA, LONG_WORD, GERMAN_TEXT, "Sommerfest", "für alle"):
        assert squash(phrase) in text, phrase
    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            assert action is None or "/URI" not in action
    assert "/JavaScript" not in str(reader.trailer["/Root"])


def _text_boxes_outside_the_page(html_text: str) -> list[str]:
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    document = HTML(string=html_text).render()
    outside = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TextBox) and box.position_x + box.width > page.width + 0.5:
                outside.append(box.text)
    return outside


def test_a_very_long_word_wraps_inside_the_page(hostile_report, hostile_tally):
    assert _text_boxes_outside_the_page(report_html(hostile_report)) == []
    sheet = build_card_sheet(hostile_tally, GERMAN)
    assert _text_boxes_outside_the_page(card_sheet_html(sheet)) == []


def test_csv_neutralises_formulas(hostile_files):
    rows = list(csv.reader(io.StringIO(hostile_files["csv"].decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert "'" + FORMULA in cells
    assert SCRIPT in cells
    assert LONG_WORD in cells


def test_xlsx_stores_every_text_as_text(hostile_files):
    workbook = xlsx_workbook(hostile_files["xlsx"])
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert FORMULA in values
    assert SCRIPT in values
    assert GERMAN_TEXT in values
    assert EMOJI in values


def test_word_shows_hostile_text_as_text(hostile_files):
    text = docx_text(hostile_files["docx"])
    for phrase in (SCRIPT, FORMULA, LONG_WORD, GERMAN_TEXT, EMOJI, PIPE_AND_AMP):
        assert phrase in text, phrase


def test_markdown_escapes_markup(hostile_files):
    text = hostile_files["md"].decode("utf-8")
    assert "<script>" not in text
    assert "&lt;script>alert(1)&lt;/script>" in text
    assert GERMAN_TEXT in text
    assert EMOJI in text
    assert "a \\| b" in text  # a pipe does not split a table cell


def test_json_keeps_the_texts_exactly(hostile_files):
    data = json.loads(hostile_files["json"])
    texts = {card["text"] for goal in data["priorities"] for card in goal["cards"]}
    texts |= {entry["text"] for entry in data["topic_store"]}
    assert {FORMULA, LONG_WORD, GERMAN_TEXT, EMOJI} <= texts
    assert data["title"] == SCRIPT


def test_card_sheet_shows_hostile_text_as_text(hostile_tally):
    content = render_card_sheet(hostile_tally, GERMAN, title=SCRIPT)
    text = squash(pdf_text(content))
    for phrase in (SCRIPT, FORMULA, LONG_WORD, GERMAN_TEXT, "Sommerfest"):
        assert squash(phrase) in text, phrase
    page = card_sheet_html(build_card_sheet(hostile_tally, GERMAN, title=SCRIPT))
    parser = _Elements()
    parser.feed(page)
    assert "script" not in parser.tags
