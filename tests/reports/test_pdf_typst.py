"""The report's PDF is laid out by Typst from data: no text of anyone is ever read as Typst
markup, every glyph can be shown, and a big report renders with its table heads on every
page."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from klebepunkt.domain import Card, Goal, Rules, Tally, evaluate
from klebepunkt.reports import build_report, render_report
from klebepunkt.reports.kit.typst import MISSING_GLYPH, document_json, printable
from klebepunkt.reports.own_texts import DecisionLine, OwnTexts, RewordingLine
from klebepunkt.reports.pdf import report_document
from tests.reports.conftest import GERMAN, pdf_structure, pdf_text, squash

# Typst markup and code that would act if a text were spliced into the template.
INJECTIONS = (
    '#read("/etc/passwd")',
    '#panic("boom")',
    "#set page(width: 2cm)",
    "] #text(fill: red)[rot] [",
    '#{ "code" }',
    "$x^2 + y$",
    "= Überschrift",
    "@label <marke>",
    "/* Kommentar */ // Zeile",
    '#import "@preview/x:0.1.0": *',
    "#sys.inputs.document",
    '"}]}, "t": "h"',
)


def _hostile(index: int, what: str) -> str:
    return f"{what} {index} {INJECTIONS[index % len(INJECTIONS)]}"


@pytest.fixture(scope="module")
def injected_report():
    """A report with an injection attempt in every text that reaches the PDF."""
    field = _hostile(0, "Feld")
    goals = tuple(Goal(f"g{n}", field, _hostile(n, "Ziel"), nr=str(n)) for n in range(1, 4))
    cards = [
        Card(
            f"c{n}",
            field,
            _hostile(n, "Karte"),
            dots=n % 4,
            goal_id=f"g{n % 3 + 1}",
            indicator=_hostile(n + 1, "Indikator"),
            responsible=_hostile(n + 2, "Zuständig"),
        )
        for n in range(12)
    ]
    cards.append(Card("c99", field, _hostile(5, "Ohne Ziel"), dots=1))  # a warning
    evaluation = evaluate(Tally(goals=goals, cards=tuple(cards)), Rules())
    report = build_report(
        evaluation, GERMAN, title=_hostile(1, "Titel"), subtitle=_hostile(2, "Untertitel")
    )
    labels = {key: _hostile(n, key) for n, key in enumerate(LABEL_KEYS)}
    goal = report.priorities[0].goal
    own = OwnTexts(
        foreword=_hostile(3, "Vorwort"),
        introduction=_hostile(4, "Einleitung"),
        method=_hostile(5, "Methode"),
        closing=_hostile(6, "Schluss"),
        fields=((field, _hostile(7, "Feldtext")),),
        reasons=((goal.id, goal.text, _hostile(8, "Grund")),),
        minutes=(("21.09.2017", _hostile(9, "Protokoll")),),
        decisions=(
            DecisionLine(
                _hostile(10, "Antrag"),
                "21.09.2017",
                _hostile(11, "angenommen"),
                1,
                0,
                0,
                1,
                1,
                _hostile(0, "Regel"),
                _hostile(1, "Summe"),
                _hostile(2, "Handzeichen"),
            ),
        ),
        labels=labels,
        version_note=_hostile(3, "Fassung"),
        rewordings=(
            RewordingLine(
                goal.id,
                _hostile(4, "1. Priorität"),
                _hostile(5, "Ziel"),
                _hostile(6, "vorher"),
                _hostile(7, "nachher"),
                _hostile(8, "Anna"),
                "30.11.2026",
                (("deleted", _hostile(9, "alt")), ("inserted", _hostile(10, "neu"))),
            ),
        ),
    )
    return dataclasses.replace(report, own=own)


LABEL_KEYS = (
    "foreword", "closing", "reason", "changed", "decisions", "minutes_annex", "minutes",
    "rewordings_annex", "rewordings_intro", "before", "after", "difference",
)  # fmt: skip


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() if key != "svgs" for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_every_injection_attempt_is_printed_as_the_text_it_is(injected_report):
    content = render_report(injected_report, "pdf")
    text = squash(pdf_text(content))
    document = report_document(injected_report)
    hostile = [s for s in _strings(document) if any(i in s for i in INJECTIONS)]
    assert len(hostile) > 40  # titles, cells, own texts, labels, decisions, annex, footer…
    for string in hostile:
        assert squash(string) in text, string
    assert "root:" not in text  # nothing was read
    pages = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", pages.stdout.decode(), re.M)


def test_the_data_goes_to_typst_as_one_json_value(injected_report):
    import json

    document = report_document(injected_report)
    assert json.loads(document_json(document)) == document  # nothing lost, nothing added
    assert document["title"] == injected_report.title


def test_a_glyph_no_font_has_is_replaced_and_the_rest_kept():
    assert printable("Sommerfest 🎉 für alle – ß") == f"Sommerfest {MISSING_GLYPH} für alle – ß"
    assert printable("a\x0bb\x00c\nd") == "a b" + "c\nd"
    assert printable("Ärger 漢字") == f"Ärger {MISSING_GLYPH}{MISSING_GLYPH}"


# German text with now and then one character the fonts lack, and any character at all
_CHARACTERS = st.sampled_from("aÄöß„“–€ \n\t\x0b\x00\x7f\u00a0\u2009\u200b一🎉")


@given(st.lists(_CHARACTERS | _CHARACTERS | st.characters(codec="utf-8"), max_size=30).map("".join))
@example("Übergänge für Ältere – „Quartier“ · 5 €")
@example("Zeile\nZeile\tTab\u00a0\u2009\x7f")
def test_printable_keeps_a_character_the_fonts_show_and_replaces_any_other(text):
    """The test of the whole text at once (issue 16) agrees with the rule character by
    character: shown (or a line break or a tab) kept, other visible ones replaced,
    other spaces a space, the rest dropped."""
    from klebepunkt.reports.kit.typst import shown_characters

    shown = shown_characters()
    expected = "".join(
        char
        if char in "\n\t" or ord(char) in shown
        else MISSING_GLYPH
        if char.isprintable() and not char.isspace()
        else " "
        if char.isspace()
        else ""
        for char in text
    )
    assert printable(text) == expected


def test_a_report_in_english_and_german_says_so(koblenz_record):
    from pypdf import PdfReader

    from klebepunkt.i18n import translator

    evaluation = evaluate(koblenz_record.tally, koblenz_record.rules)
    for language, contents in (("en", "Contents"), ("de", "Inhalt")):
        report = build_report(
            evaluation,
            translator(language),
            title=f"Bericht {language}",
            record=koblenz_record,
            language=language,
        )
        content = render_report(report, "pdf")
        reader = PdfReader(io.BytesIO(content))
        assert reader.trailer["/Root"]["/Lang"] == language
        assert reader.metadata.title == f"Bericht {language}"
        assert pdf_text(content).split("\f")[1].split("\n")[2] == contents


@pytest.fixture(scope="module")
def big_report():
    from klebepunkt.bench.reports import generated_process

    record = generated_process(1000)
    evaluation = evaluate(record.tally, record.rules)
    return build_report(evaluation, GERMAN, title=record.title, subtitle=record.body, record=record)


def test_a_1000_card_report_renders_with_its_heads_on_every_page_of_a_table(big_report):
    steps: list[str] = []
    content = render_report(big_report, "pdf", on_step=steps.append)
    assert steps == ["Seiten werden vorbereitet", "Seiten werden gesetzt"]
    pages = pdf_text(content, raw=True).split("\f")  # as drawn: the running head first
    assert len(pages) > 100
    assert sum(len(table.rows) for table in big_report.overview) > 500  # cards with dots
    labels = big_report.text

    def pages_of(part: str) -> list[str]:  # by the running head: the title, then the part
        return [page for page in pages[2:] if page.split("\n", 1)[0].endswith(part)]

    overview, store = pages_of(labels.overview), pages_of(labels.topic_store)
    assert len(overview) > 20 and len(store) > 10
    for page in overview:
        assert squash("Punkte für HE") + squash("Punkte für das Ziel") in squash(page)
    for page in store:
        assert squash(f"{labels.recommendation}{labels.goal}{labels.reason}") in squash(page)
    figures = [e for e in pdf_structure(content) if e.get("/S") == "/Figure"]
    assert len(figures) >= len(big_report.charts)
    assert all(str(figure.get("/Alt")) for figure in figures)
