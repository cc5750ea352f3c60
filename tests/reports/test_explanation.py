"""The report's explanation section: every goal's margin, support, stability and other ways
of counting, the stated table's departures from the rule and cards that look alike —
computed once in the content model and shown the same in PDF, Word, Excel, Markdown and
JSON (CSV stays the flat overview and topic store)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from klebepunkt.domain import Rules, Tally, analyse, evaluate
from klebepunkt.reports import FORMATS, build_report, render_report
from klebepunkt.reports.pdf import report_document
from tests.domain.explain_helpers import ballot, card, goal
from tests.reports.conftest import GERMAN, docx_document, pdf_text, squash, xlsx_workbook

LOST_CARD = "Eine integrierte Kinderbetreuung bei Sprachbildung wird sichergestellt."
DOUBLED_NUMBER = (
    "Die Zielnummer 2 kommt in „Soziale Belastung“ doppelt vor: „Verstärkte Kooperation von "
    "Ordnungsbehörden und sozialer Arbeit“ und „Es gibt sozialen Wohnraum in allen Stadtteilen“."
)
DEPARTURES = "Abweichungen der vorliegenden Tabelle von der Regel"
GOALS_EXPLAINED = "Alle Ziele: Abstand zur Schwelle, Unterstützung und Stabilität"
SINGLE = "von einer einzigen Person getragen"


def _ballots_tally():
    """Threshold 3, sum. g1: A 2 + B 2 = 4 (priority, hangs on A and on B); g2: C 3 alone
    (priority carried by one voter); g3: 5, of which D 2 and 3 paper dots (holds without D);
    g4: A 1 (topic store)."""
    tally = Tally(
        goals=(goal("g1", nr="1"), goal("g2", nr="2"), goal("g3", nr="3"), goal("g4", nr="4")),
        cards=(
            card("c1", 3, "g1"),
            card("c2", 1, "g1"),
            card("c3", 3, "g2"),
            card("c4", 5, "g3"),
            card("c5", 1, "g4"),
            card("c6", 0, text="Karte ohne Punkt"),
        ),
    )
    ballots = (
        ballot("A", "c1", 2, "Politik"),
        ballot("B", "c1", 1, "Freie Träger"),
        ballot("B", "c2", 1, "Freie Träger"),
        ballot("C", "c3", 3, "Interessenvertreter"),
        ballot("D", "c4", 2, "Politik"),
        ballot("A", "c5", 1, "Politik"),
    )
    return tally, ballots


@pytest.fixture(scope="module")
def ballots_report():
    tally, ballots = _ballots_tally()
    evaluation = evaluate(tally, Rules())
    analysis = analyse(tally, ballots=ballots, evaluation=evaluation)
    return build_report(evaluation, GERMAN, title="Mit Stimmen", analysis=analysis)


@pytest.fixture(scope="module")
def ballots_files(ballots_report) -> dict[str, bytes]:
    return {fmt: render_report(ballots_report, fmt) for fmt in FORMATS}


# --- the content model ---------------------------------------------------------------


def test_without_an_analysis_only_the_goals_near_the_threshold_are_explained(koblenz_record):
    evaluation = evaluate(koblenz_record.tally, koblenz_record.rules)
    report = build_report(evaluation, GERMAN, title="T")
    explanation = report.explanation
    assert explanation.near_threshold
    assert not explanation.analysed
    assert explanation.goals == () and explanation.departures == ()
    assert GOALS_EXPLAINED not in render_report(report, "md").decode()


def test_the_analysis_must_be_of_the_same_evaluation(koblenz_record):
    tally = koblenz_record.tally
    with pytest.raises(ValueError, match="analysis"):
        build_report(evaluate(tally), GERMAN, title="T", analysis=analyse(tally))


def test_koblenz_every_goal_has_its_margin_and_no_support_without_ballots(koblenz_report):
    explanation = koblenz_report.explanation
    assert explanation.analysed and not explanation.has_ballots
    assert "einzelnen Punkte einer Abstimmungsrunde" in explanation.no_ballots_note
    assert [table.theme_field for table in explanation.goals] == [
        "Pflege",
        "Wohnen",
        "Soziale Belastung",
        "Bildung",
    ]
    rows = explanation.goal_rows
    assert len(rows) == 21
    margins = {(row.goal, row.points): row.margin for row in rows}
    assert margins[("In Koblenz wird genügend Wohnraum zur Verfügung gestellt", 7)] == (
        "fiele mit 5 Punkten weniger unter die Schwelle"
    )
    assert margins[("Barrierefreie Bildung", 3)] == "fiele mit 1 Punkt weniger unter die Schwelle"
    assert margins[("Digitalisierung ist ein Thema in Koblenzer Bildungseinrichtungen", 2)] == (
        "1 Punkt fehlt bis zur Schwelle"
    )
    assert margins[("Wohnumfeld-/Sozialraumverbesserung", 1)] == (
        "2 Punkte fehlen bis zur Schwelle"
    )
    assert all(row.supporters is None and row.stability == "" for row in rows)
    # Only the strongest card is another way of counting here (the rule is the sum).
    assert explanation.what_if_labels == ("Punkte seiner stärksten Karte",)
    barrier = next(row for row in rows if row.goal == "Barrierefreie Bildung")
    assert barrier.what_if[0].differs and barrier.needs_several_cards
    assert barrier.other_ways_lines == (
        "stärkste Karte:\u00a02 (wäre keine Priorität)",
        "Priorität nur durch mehrere Karten zusammen",
    )


def test_koblenz_departures_are_the_lost_card_and_the_doubled_number(koblenz_report):
    departures = koblenz_report.explanation.departures
    assert [(d.code, d.theme_field) for d in departures] == [
        ("duplicate_goal_number", "Soziale Belastung"),
        ("missing_from_topic_store", "Bildung"),
    ]
    assert departures[0].text == DOUBLED_NUMBER
    assert LOST_CARD in departures[1].text
    assert koblenz_report.explanation.similar_cards == ()


def test_ballots_give_supporters_share_flag_and_stability(ballots_report):
    rows = ballots_report.explanation.goal_rows
    assert ballots_report.explanation.has_ballots
    assert ballots_report.explanation.no_ballots_note == ""
    assert [
        (
            row.nr,
            row.points,
            row.supporters,
            row.largest_share,
            row.single_supporter,
            row.unattributed_dots,
            row.changes_without,
        )
        for row in rows
    ] == [
        ("1", 4, 2, "50 %", False, 0, 2),
        ("2", 3, 1, "100 %", True, 0, 1),
        ("3", 5, 1, "40 %", False, 3, 0),
        ("4", 1, 1, "100 %", False, 0, 0),
    ]
    g1, g2, g3, g4 = rows
    assert g1.margin == "fiele mit 2 Punkten weniger unter die Schwelle"
    assert g1.stability == "ändert sich ohne eine von 2 bestimmten Personen"
    assert g2.single_supporter_text == SINGLE
    assert g2.stability == "ändert sich ohne 1 bestimmte Person"
    assert g3.stability == "hält auch ohne jede einzelne Person"
    assert g3.unattributed_text == "3 Punkte ohne Zuordnung zu einer Person"
    assert g3.single_supporter_text == ""  # paper dots are nobody's
    assert g4.margin == "2 Punkte fehlen bis zur Schwelle"
    # Counted by distinct supporters, g1 (2) and g2 (1) would miss the threshold of 3.
    supporters = [row.what_if[1] for row in rows]
    assert [(line.scoring, line.points, line.differs) for line in supporters] == [
        ("supporters", 2, True),
        ("supporters", 1, True),
        ("supporters", 1, True),
        ("supporters", 1, False),
    ]
    assert supporters[0].text == "Personen:\u00a02 (wäre keine Priorität)"


# --- Koblenz: the explanation section in every format --------------------------------


def _after(text: str, heading: str) -> str:
    """The text from the first occurrence of a heading on."""
    assert heading in text, heading
    return text[text.index(heading) :]


def _pdf_section(text: str, heading: str) -> str:
    """The text of a PDF from the section a heading starts: its first occurrence after the
    contents, which list it too."""
    start = text.find(heading, text.index(heading) + len(heading))
    assert start >= 0, heading
    return text[start:]


@pytest.fixture(scope="module")
def koblenz_pdf_explanation(koblenz_files) -> str:
    return _pdf_section(
        squash(pdf_text(koblenz_files["pdf"])), squash("Erläuterung des Ergebnisses")
    )


def test_koblenz_pdf_explanation_has_the_departures_and_the_margins(
    koblenz_report, koblenz_pdf_explanation
):
    text = koblenz_pdf_explanation
    departures = _after(text, squash(DEPARTURES))
    assert squash(LOST_CARD) in departures
    assert squash(DOUBLED_NUMBER) in departures
    assert squash(GOALS_EXPLAINED) in text
    assert squash(koblenz_report.explanation.no_ballots_note) in text
    for row in koblenz_report.explanation.goal_rows:
        assert squash(row.margin) in text


def test_koblenz_word_explanation_has_the_departures_and_the_margins(koblenz_report, koblenz_files):
    document = docx_document(koblenz_files["docx"])
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    start = paragraphs.index(("Heading 2", DEPARTURES))
    items = [text for style, text in paragraphs[start + 1 :] if style == "List Bullet"][:2]
    assert items[0] == DOUBLED_NUMBER
    assert LOST_CARD in items[1]
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in document.tables
        if len(table.columns) > 4 and table.rows[0].cells[4].text == "Abstand zur Schwelle"
    ]
    assert len(tables) == 4
    assert [row[4] for table in tables for row in table[1:]] == [
        row.margin for row in koblenz_report.explanation.goal_rows
    ]


def test_koblenz_excel_has_the_explanation_and_departure_sheets(koblenz_report, koblenz_files):
    workbook = xlsx_workbook(koblenz_files["xlsx"])
    rows = list(workbook["Abweichungen von der Regel"].iter_rows(values_only=True))
    assert rows[0] == ("Themenfeld", "Zeile", DEPARTURES)
    assert rows[1][0] == "Soziale Belastung" and rows[1][2] == DOUBLED_NUMBER
    assert rows[2][0] == "Bildung" and LOST_CARD in rows[2][2]
    goals = list(workbook["Erläuterung je Ziel"].iter_rows(values_only=True))
    header = goals[0]
    assert "Unterstützende Personen" not in header  # no ballots, no support columns
    margin = header.index("Abstand zur Schwelle")
    assert [row[margin] for row in goals[1:]] == [
        row.margin for row in koblenz_report.explanation.goal_rows
    ]


def test_koblenz_markdown_and_json_have_the_departures_and_the_margins(
    koblenz_report, koblenz_files
):
    markdown = koblenz_files["md"].decode("utf-8")
    departures = _after(markdown, f"### {DEPARTURES}")
    assert f"- {DOUBLED_NUMBER}" in departures
    assert LOST_CARD in departures
    for row in koblenz_report.explanation.goal_rows:
        assert f"| {row.margin} |" in markdown
    explanation = json.loads(koblenz_files["json"])["explanation"]
    assert explanation["analysed"] is True and explanation["support_available"] is False
    assert explanation["departures"][0]["message"] == DOUBLED_NUMBER
    assert LOST_CARD in explanation["departures"][1]["message"]
    assert len(explanation["goals"]) == 21
    assert explanation["goals"][0]["supporters"] is None


def test_csv_stays_the_overview_and_the_topic_store(koblenz_files):
    text = koblenz_files["csv"].decode("utf-8-sig")
    assert DEPARTURES not in text
    assert "Abstand zur Schwelle" not in text


# --- ballots: supporters and the single-supporter flag in every format ---------------


def test_pdf_with_ballots_shows_supporters_flag_and_stability(ballots_report, ballots_files):
    raw = _pdf_section(pdf_text(ballots_files["pdf"]), "Erläuterung des Ergebnisses")
    text = squash(raw)
    assert text.count(squash(SINGLE)) == 1
    for phrase in (
        "ändert sich ohne eine von 2 bestimmten Personen",
        "ändert sich ohne 1 bestimmte Person",
        "3 Punkte ohne Zuordnung zu einer Person",
        "Personen: 2 (wäre keine Priorität)",
    ):
        assert squash(phrase) in text, phrase
    assert text.count(squash("hält auch ohne jede einzelne Person")) == 2
    shares = Counter(row.largest_share for row in ballots_report.explanation.goal_rows)
    for share, count in shares.items():
        assert len(re.findall(rf"(?<!\d){share}", raw)) == count, share


def _explained_tables(report) -> list[dict]:
    return [b for b in report_document(report)["blocks"] if b.get("kind") == "explained"]


def test_the_pdf_has_the_supporters_in_their_columns(ballots_report):
    (table,) = _explained_tables(ballots_report)
    assert len(table["head"]) == len(table["columns"]) == 9
    supporters = [row[5] for row in table["rows"]]
    assert [cell["runs"] for cell in supporters] == [["2"], ["1"], ["1"], ["1"]]
    assert all(cell["right"] for cell in supporters)
    flags = [line for cell in supporters for line in cell.get("more", ())]
    assert flags.count([{"text": SINGLE, "b": True}]) == 1


def test_word_with_ballots_shows_supporters_flag_and_stability(ballots_report, ballots_files):
    text, rows_expected = ballots_report.text, ballots_report.explanation.goal_rows
    document = docx_document(ballots_files["docx"])
    (table,) = [t for t in document.tables if len(t.columns) == 9]
    header = [cell.text for cell in table.rows[0].cells]
    assert header[5:8] == [text.distinct_supporters, text.largest_share, text.stability]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert [row[5] for row in rows] == [
        "2",
        f"1\n{SINGLE}",
        f"1\n{rows_expected[2].unattributed_text}",
        "1",
    ]
    assert [row[6] for row in rows] == [row.largest_share for row in rows_expected]
    assert [row[7] for row in rows] == [row.stability for row in rows_expected]


def test_excel_with_ballots_has_the_numbers_as_numbers(ballots_report, ballots_files):
    text, t = ballots_report.text, ballots_report.t
    workbook = xlsx_workbook(ballots_files["xlsx"])
    rows = list(workbook[t("Explanation per goal")].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    column = {name: index for index, name in enumerate(header)}

    def values(name: str) -> list[object]:
        return [row[column[name]] for row in body]

    assert values(text.distinct_supporters) == [2, 1, 1, 1]
    assert values(f"{text.largest_share} (%)") == [50, 100, 40, 100]
    assert values(text.single_supporter) == ["nein", "ja", "nein", "nein"]
    assert values(text.unattributed_dots) == [0, 0, 3, 0]
    assert values(text.changes_without) == [2, 1, 0, 0]
    assert values(text.dots_to_change) == [2, 1, 3, 2]
    assert values("Punkte seiner stärksten Karte") == [3, 3, 5, 1]
    assert values("Zahl der verschiedenen Unterstützer:innen") == [2, 1, 1, 1]
    assert t("Support") in workbook.sheetnames  # by stakeholder group


def test_markdown_with_ballots_has_a_row_per_goal_with_its_support(ballots_files):
    text = ballots_files["md"].decode("utf-8")
    assert (
        "| 2 | **Ziel g2** | 3 | Priorität | fiele mit 1 Punkt weniger unter die Schwelle | 1 "
        f"| 100 % | {SINGLE} | ändert sich ohne 1 bestimmte Person |"
    ) in text
    assert "| 3 | **Ziel g3** | 5 | Priorität | fiele mit 3 Punkten weniger unter die Schwelle" in (
        text
    )
    assert "| 1; 3 Punkte ohne Zuordnung zu einer Person | 40 % |  | hält auch" in text


def test_json_with_ballots_has_the_numbers(ballots_files):
    goals = json.loads(ballots_files["json"])["explanation"]["goals"]
    assert [
        (
            g["nr"],
            g["supporters"],
            g["largest_supporter_share_percent"],
            g["single_supporter"],
            g["changes_without"],
            g["dots_to_change"],
        )
        for g in goals
    ] == [
        ("1", 2, 50, False, 2, 2),
        ("2", 1, 100, True, 1, 1),
        ("3", 1, 40, False, 0, 3),
        ("4", 1, 100, False, 0, 2),
    ]
    assert goals[0]["what_if"][1] == {
        "scoring": "supporters",
        "label": "Zahl der verschiedenen Unterstützer:innen",
        "short_label": "Personen",
        "points": 2,
        "priority": False,
        "differs": True,
        "text": "Personen:\u00a02 (wäre keine Priorität)",
    }


def test_similar_cards_are_listed_in_every_format():
    tally = Tally(
        goals=(goal("g1", nr="1"),),
        cards=(
            card("c1", 3, "g1", text="Regionale Pflegekonferenz stärken"),
            card("c2", 0, text="Die Regionale Pflegekonferenz stärken"),
        ),
    )
    evaluation = evaluate(tally)
    report = build_report(
        evaluation, GERMAN, title="T", analysis=analyse(tally, evaluation=evaluation)
    )
    (pair,) = report.explanation.similar_cards
    assert pair.text.startswith("„Regionale Pflegekonferenz stärken“ und „Die Regionale")
    files = {fmt: render_report(report, fmt) for fmt in FORMATS}
    assert squash(pair.text) in _after(
        squash(pdf_text(files["pdf"])), squash("Karten, die sich ähneln")
    )
    document = docx_document(files["docx"])
    assert pair.text in [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert f"### Karten, die sich ähneln\n\n- {pair.text}" in files["md"].decode()
    rows = list(xlsx_workbook(files["xlsx"])["Karten, die sich ähneln"].iter_rows(values_only=True))
    assert rows[1] == (
        "Pflege",
        "Regionale Pflegekonferenz stärken",
        "Pflege",
        "Die Regionale Pflegekonferenz stärken",
        pair.percent,
    )
    data = json.loads(files["json"])["explanation"]["similar_cards"]
    assert data[0]["percent"] == pair.percent and data[0]["text"] == pair.text


def test_explanation_tables_have_header_rows_in_the_tagged_pdf(ballots_report, ballots_files):
    import io
    import subprocess

    from pypdf import PdfReader

    tables = _explained_tables(ballots_report)
    assert len(tables) == len(ballots_report.explanation.goals) == 1
    for table in tables:
        assert len(table["head"]) == 9
    info = subprocess.run(
        ["pdfinfo", "-"], input=ballots_files["pdf"], capture_output=True, check=True
    ).stdout.decode()
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    reader = PdfReader(io.BytesIO(ballots_files["pdf"]))
    roles: Counter[str] = Counter()

    def walk(element, depth=0):
        element = element.get_object()
        if depth > 60 or not hasattr(element, "get"):
            return
        roles[str(element.get("/S"))] += 1
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object") or isinstance(kid, dict):
                walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    # Header cells of every table: the explanation (9), near the threshold, support, …
    assert roles["/TH"] >= 9 + 4
    assert roles["/THead"] >= 3
