"""Card texts with markup, formulas, very long words, umlauts, ß and emoji render safely in
every format: no crash, no markup injected, no formula, nothing running off the page."""

from __future__ import annotations

import csv
import html.parser
import io
import json

import pytest

from klebepunkt.domain import Ballot, Card, Goal, Rules, Tally, analyse, evaluate
from klebepunkt.reports import FORMATS, build_report, render_report
from klebepunkt.reports.cards import build_card_sheet, card_sheet_html, render_card_sheet
from klebepunkt.reports.pdf import report_document
from tests.reports.conftest import GERMAN, docx_text, pdf_text, pdf_words, squash, xlsx_workbook

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
        Goal("g2", field, FORMULA, nr="1"),  # the same number twice: a departure from the rule
        Goal("g3", field, LONG_WORD, nr="3"),  # a goal text as one long word, in every table
    )
    cards = (
        Card("c1", field, FORMULA, dots=2, goal_id="g1", indicator=SCRIPT, responsible=FORMULA),
        Card("c2", field, LONG_WORD, dots=1, goal_id="g1", indicator=LONG_WORD),
        Card("c3", field, GERMAN_TEXT, dots=1, goal_id="g2", responsible=EMOJI),
        Card("c4", field, EMOJI, dots=0, goal_id="g2"),
        Card("c5", field, PIPE_AND_AMP + "\x0b", dots=0),
        Card("c6", field, "+49 123 / -1 / @SUM(A1)", dots=0),
        Card("c7", field, SCRIPT + " ohne Ziel", dots=1),  # unclustered: a warning
        Card("c8", field, SCRIPT + " ohne Ziel!", dots=0),  # looks like c7
        Card("c9", field, "Karte zum langen Ziel", dots=1, goal_id="g3"),
    )
    return Tally(goals=goals, cards=cards)


# Voters and stakeholder groups with hostile names: the support table's column heads.
HOSTILE_BALLOTS = (
    Ballot("<b>A</b>", FORMULA, "c1", 2),
    Ballot("=B", SCRIPT, "c3", 1),
    Ballot("=B", SCRIPT, "c9", 1),
)


@pytest.fixture(scope="module")
def hostile_report(hostile_tally):
    evaluation = evaluate(hostile_tally, Rules())
    return build_report(
        evaluation,
        GERMAN,
        title=SCRIPT,
        subtitle=FORMULA,
        analysis=analyse(hostile_tally, ballots=HOSTILE_BALLOTS, evaluation=evaluation),
        language="de",
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


def test_the_explanation_carries_hostile_text_in_every_format(hostile_files, hostile_report):
    explanation = hostile_report.explanation
    assert explanation.has_ballots
    assert explanation.support_groups == (FORMULA, SCRIPT)
    (departure,) = explanation.departures
    assert SCRIPT in departure.text and FORMULA in departure.text
    (pair,) = explanation.similar_cards
    assert SCRIPT in pair.text
    rows = explanation.goal_rows
    assert [row.goal for row in rows][:3] == [SCRIPT, FORMULA, LONG_WORD]
    assert rows[0].unattributed_dots == 1  # c2's dot has no ballot
    pdf = squash(pdf_text(hostile_files["pdf"]))
    word = docx_text(hostile_files["docx"])
    markdown = hostile_files["md"].decode("utf-8")
    data = json.loads(hostile_files["json"])["explanation"]
    for text in (departure.text, pair.text):
        assert squash(text) in pdf
        assert text in word
    assert "<script>" not in markdown and "&lt;script>" in markdown
    assert data["departures"][0]["message"] == departure.text
    assert data["similar_cards"][0]["text"] == pair.text
    assert [goal["goal"] for goal in data["goals"]][:3] == [SCRIPT, FORMULA, LONG_WORD]
    workbook = xlsx_workbook(hostile_files["xlsx"])
    support_header = [cell.value for cell in workbook[hostile_report.t("Support")][1]]
    assert FORMULA in support_header and SCRIPT in support_header
    departures_sheet = workbook[hostile_report.text.departures_sheet]
    departures = [cell.value for cell in departures_sheet["C"]]
    assert departure.text in departures


class _Elements(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_the_pdf_gets_hostile_text_as_data_and_prints_it(hostile_report, hostile_files):
    """The PDF's content goes to Typst as JSON strings, never as markup: the strings are the
    texts as they are, and the PDF prints them so."""
    document = report_document(hostile_report)
    assert document["title"] == SCRIPT and document["subtitle"] == FORMULA
    strings = json.dumps(document, ensure_ascii=False)
    assert json.dumps(PIPE_AND_AMP, ensure_ascii=False)[1:-1] in strings
    text = pdf_text(hostile_files["pdf"])
    assert "Pflege <i>kursiv</i>" in text
    assert squash(PIPE_AND_AMP) in squash(text)


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


def test_a_very_long_word_wraps_inside_the_page(hostile_files, hostile_tally):
    words = pdf_words(hostile_files["pdf"])
    assert any(word.startswith("Donau") for word, _right, _width in words)
    assert [word for word, right, width in words if right > width - 16 * 72 / 25.4 + 1] == []
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
