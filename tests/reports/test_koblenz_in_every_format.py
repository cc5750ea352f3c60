"""The Koblenz report opened with a reader per format: the same priorities, topic store,
Teil I and figures in PDF, Word, Excel, CSV, Markdown and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest

from tests.reports.conftest import docx_document, docx_text, pdf_text, squash, xlsx_workbook

SEED_PRIORITIES = [
    ("Pflege", "Es werden Menschen für Pflegeberufe gewonnen (Fachkräfteakquise)", 6),
    ("Wohnen", "In Koblenz wird genügend Wohnraum zur Verfügung gestellt", 7),
    (
        "Soziale Belastung",
        "Die persönlichen Belange werden bei der Arbeitsmarktintegration berücksichtigt",
        5,
    ),
    ("Soziale Belastung", "Verstärkte Kooperation von Ordnungsbehörden und sozialer Arbeit", 3),
    ("Soziale Belastung", "Es gibt sozialen Wohnraum in allen Stadtteilen", 3),
    ("Bildung", "Familienpolitische Maßnahmen haben sich qualitativ verbessert", 3),
    ("Bildung", "Barrierefreie Bildung", 3),
]
SEED_FIGURES = {
    "Stimmberechtigte Mitglieder": 19,
    "Verfügbare Punkte": 152,
    "Vergebene Punkte": 47,
    "Karten mit Handlungsempfehlungen": 66,
    "Ziele": 21,
    "Prioritäten": 7,
    "Einträge im Themenspeicher": 51,
}


def test_the_content_model_holds_the_seed_result(koblenz_report):
    assert [
        (goal.theme_field, goal.goal.text, goal.points) for goal in koblenz_report.priorities
    ] == SEED_PRIORITIES
    assert sum(len(section.entries) for section in koblenz_report.topic_store) == 51
    assert dict(koblenz_report.documentation.figures) == SEED_FIGURES
    assert [line.stakeholder_group for line in koblenz_report.documentation.composition_lines][
        :4
    ] == ["Politik", "Freie Träger", "Interessenvertreter", "Verwaltung"]
    whens = [line.when for line in koblenz_report.documentation.meeting_lines]
    assert [when[:23] for when in whens] == [
        "23.08.2017, 15:30–18:15",
        "07.09.2017, 16:00–18:45",
        "21.09.2017, 16:00–18:00",
    ]


# --- PDF ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_squashed(koblenz_files):
    return squash(pdf_text(koblenz_files["pdf"]))


def test_pdf_has_the_seven_priorities_with_their_points(koblenz_report, pdf_squashed):
    label = koblenz_report.text.theme_field
    for number, goal in enumerate(koblenz_report.priorities, start=1):
        heading = f"{number}. {goal.goal.text}"
        meta = f"{label}: {goal.theme_field} · {koblenz_report.points_text(goal.points)}"
        assert squash(heading + meta) in pdf_squashed


def test_pdf_has_every_topic_store_entry_with_its_reason(koblenz_report, pdf_squashed):
    for section in koblenz_report.topic_store:
        for entry in section.entries:
            assert squash(entry.text) in pdf_squashed
            assert squash(koblenz_report.reason_text(entry)) in pdf_squashed


def test_pdf_has_the_composition_and_meeting_tables(koblenz_report, koblenz_files):
    doc = koblenz_report.documentation
    # A row's cells one after the other, as the PDF draws them.
    pdf_squashed = squash(pdf_text(koblenz_files["pdf"], raw=True))
    for header in ("Bereich", "Wer?", "Wie viele Personen?", "Datum und Zeit", "Ort"):
        assert squash(header) in pdf_squashed
    for line in doc.composition_lines:
        row = line.stakeholder_group + line.who + line.how_many + line.voting_text
        assert squash(row) in pdf_squashed
    for line in doc.meeting_lines:
        assert squash(line.when + line.place + line.focus) in pdf_squashed
    for label, value in doc.figures:
        assert squash(f"{label}{value}") in pdf_squashed


def test_pdf_overview_has_the_seed_columns(pdf_squashed):
    for column in ("Nr.", "Ziel", "Handlungsempfehlung", "Indikator", "Zuständigkeit"):
        assert squash(column) in pdf_squashed
    assert squash("Punkte für HE") in pdf_squashed
    assert squash("Punkte für das Ziel") in pdf_squashed
    assert squash("Übersicht Ergebnis") in pdf_squashed
    assert squash("Teil I: Dokumentation des Arbeitsprozesses") in pdf_squashed


# --- Word --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def word(koblenz_files):
    return docx_document(koblenz_files["docx"])


def _table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_word_has_the_seven_priorities_with_their_points(koblenz_report, word):
    paragraphs = word.paragraphs
    headings = [
        (index, p.text) for index, p in enumerate(paragraphs) if p.style.name == "Heading 2"
    ]
    found = []
    for number, goal in enumerate(koblenz_report.priorities, start=1):
        index = next(i for i, text in headings if text == f"{number}. {goal.goal.text}")
        assert koblenz_report.points_text(goal.points) in paragraphs[index + 1].text
        assert goal.theme_field in paragraphs[index + 1].text
        found.append(goal.goal.text)
    assert len(found) == 7


def test_word_has_every_topic_store_entry_in_a_table(koblenz_report, word):
    rows = [
        row
        for table in word.tables
        if _table_rows(table)[0][:1] == [koblenz_report.text.recommendation]
        and koblenz_report.text.reason in _table_rows(table)[0]
        for row in _table_rows(table)[1:]
    ]
    expected = [
        [entry.text, koblenz_report.reason_text(entry)]
        for section in koblenz_report.topic_store
        for entry in section.entries
    ]
    assert [[row[0], row[2]] for row in rows] == expected


def test_word_has_the_composition_and_meeting_tables(koblenz_report, word):
    doc = koblenz_report.documentation
    tables = [_table_rows(table) for table in word.tables]
    composition = next(
        t for t in tables if t[0] == ["Bereich", "Wer?", "Wie viele Personen?", "Stimmberechtigt"]
    )
    assert composition[1:] == [
        [line.stakeholder_group, line.who, line.how_many, line.voting_text]
        for line in doc.composition_lines
    ]
    meetings = next(t for t in tables if t[0] == ["Datum und Zeit", "Ort", "Arbeitsschwerpunkt"])
    assert meetings[1:] == [[line.when, line.place, line.focus] for line in doc.meeting_lines]
    figures = next(t for t in tables if t[0] == ["Kennzahl", "Wert"])
    assert {label: int(value) for label, value in figures[1:]} == SEED_FIGURES


def test_word_overview_goal_cells_span_their_cards(koblenz_report, word):
    overview = next(
        table
        for table in word.tables
        if _table_rows(table)[0][0] == "Nr." and "Punkte für HE" in _table_rows(table)[0][5]
    )
    rows = _table_rows(overview)[1:]
    first_goal = koblenz_report.overview[0].rows[0]
    assert first_goal.goal_rows == 4
    # A merged cell reads the same in each row it spans; the card cells differ.
    assert {row[1] for row in rows[:4]} == {rows[0][1]}
    assert first_goal.goal in rows[0][1]
    assert [row[2] for row in rows[:4]] == [
        row.recommendation for row in koblenz_report.overview[0].rows[:4]
    ]
    assert all(row[6] == "6" for row in rows[:4])
    # Priorities are marked in words, not by shade alone.
    assert koblenz_report.text.priority.upper() in rows[0][1]
    xml = overview._tbl.xml
    assert 'w:vMerge w:val="restart"' in xml


# --- Excel -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(koblenz_files):
    return xlsx_workbook(koblenz_files["xlsx"])


def _sheet_rows(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_excel_has_the_seven_priorities_with_their_points(workbook):
    rows = _sheet_rows(workbook["Prioritäten"])
    header, body = rows[0], rows[1:]
    goal, points = header.index("Ziel"), header.index("Punkte für das Ziel")
    field = header.index("Themenfeld")
    assert list(dict.fromkeys((row[field], row[goal], row[points]) for row in body)) == (
        SEED_PRIORITIES
    )


def test_excel_has_every_topic_store_entry(koblenz_report, workbook):
    rows = _sheet_rows(workbook["Themenspeicher"])
    text, reason = rows[0].index("Handlungsempfehlung"), rows[0].index("Grund")
    assert [(row[text], row[reason]) for row in rows[1:]] == [
        (entry.text, koblenz_report.reason_text(entry))
        for section in koblenz_report.topic_store
        for entry in section.entries
    ]


def test_excel_has_a_sheet_per_part_of_teil_i(koblenz_report, workbook):
    t = koblenz_report.translate
    part = t("Part I")
    composition = _sheet_rows(workbook[part + " – " + t("Composition")])
    assert composition[0][:3] == ["Bereich", "Wer?", "Wie viele Personen?"]
    assert [row[0] for row in composition[1:]] == [
        line.stakeholder_group for line in koblenz_report.documentation.composition_lines
    ]
    assert [row[3] for row in composition[1:5]] == [9, 5, 5, 3]
    meetings = _sheet_rows(workbook[part + " – " + t("Meetings")])
    assert meetings[0] == ["Datum und Zeit", "Ort", "Arbeitsschwerpunkt"]
    assert len(meetings) == 4
    figures = _sheet_rows(workbook[part + " – " + t("Figures")])
    assert dict(figures[1:]) == SEED_FIGURES
    assert workbook.sheetnames.index(part + " – " + t("Composition")) == 0


def test_every_excel_sheet_has_a_frozen_header_and_filters(workbook):
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref, sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title


# --- Markdown, CSV, JSON -----------------------------------------------------------------


def test_markdown_has_the_priorities_topic_store_and_teil_i(koblenz_report, koblenz_files):
    text = koblenz_files["md"].decode("utf-8")
    for number, goal in enumerate(koblenz_report.priorities, start=1):
        points = koblenz_report.points_text(goal.points)
        assert f"### {number}. {goal.goal.text} ({goal.theme_field}, {points})" in text
    for section in koblenz_report.topic_store:
        for entry in section.entries:
            assert f"- {entry.text} ({koblenz_report.reason_text(entry)})" in text.replace("\\", "")
    assert "| Bereich | Wer? | Wie viele Personen? | Stimmberechtigt |" in text
    assert "| Datum und Zeit | Ort | Arbeitsschwerpunkt |" in text
    for label, value in SEED_FIGURES.items():
        assert f"| {label} | {value} |" in text


def test_csv_has_the_priorities_and_every_topic_store_entry(koblenz_report, koblenz_files):
    rows = list(csv.reader(io.StringIO(koblenz_files["csv"].decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    part, field = header.index("Teil"), header.index("Themenfeld")
    goal, points = header.index("Ziel"), header.index("Punkte für das Ziel")
    priority = header.index("Priorität")
    priorities = [
        (row[field], row[goal], int(row[points]))
        for row in rows[1:]
        if row[part] == "Übersicht" and row[priority] == "ja"
    ]
    assert list(dict.fromkeys(priorities)) == SEED_PRIORITIES
    store = [row for row in rows[1:] if row[part] == "Themenspeicher"]
    assert len(store) == 51


def test_json_has_the_same_numbers(koblenz_files):
    data = json.loads(koblenz_files["json"])
    assert [(p["theme_field"], p["goal"], p["points"]) for p in data["priorities"]] == (
        SEED_PRIORITIES
    )
    assert len(data["topic_store"]) == 51
    documentation = data["documentation"]
    assert {f["label"]: f["value"] for f in documentation["figures"]} == SEED_FIGURES
    assert [row["members"] for row in documentation["composition"]][:4] == [9, 5, 5, 3]
    assert [m["date"] for m in documentation["meetings"]] == [
        "2017-08-23",
        "2017-09-07",
        "2017-09-21",
    ]
    assert [chart["theme_field"] for chart in data["charts"]] == [
        "Pflege",
        "Wohnen",
        "Soziale Belastung",
        "Bildung",
    ]
    assert data["explanation"]["support"] == []


def test_every_format_shows_the_same_totals(koblenz_report, koblenz_files):
    """The figures of Teil I, read back from each file, are the content model's figures."""
    figures = dict(koblenz_report.documentation.figures)
    pdf = squash(pdf_text(koblenz_files["pdf"]))
    word = docx_text(koblenz_files["docx"])
    markdown = koblenz_files["md"].decode("utf-8")
    data = json.loads(koblenz_files["json"])
    workbook = xlsx_workbook(koblenz_files["xlsx"])
    t = koblenz_report.translate
    sheet = dict(_sheet_rows(workbook[t("Part I") + " – " + t("Figures")])[1:])
    for label, value in figures.items():
        assert squash(f"{label}{value}") in pdf
        assert f"{label}\n{value}" in word
        assert f"| {label} | {value} |" in markdown
        assert sheet[label] == value
    assert {f["label"]: f["value"] for f in data["documentation"]["figures"]} == figures
    assert data["total_dots"] == figures["Vergebene Punkte"] == 47

    # The explanation: every goal's margin and its points by the strongest card.
    rows = koblenz_report.explanation.goal_rows
    assert len(rows) == 21
    margins = Counter(row.margin for row in rows)
    strongest = Counter(
        f"{line.short_label}:\u00a0{line.points}" for row in rows for line in row.what_if
    )
    heading = squash(koblenz_report.text.goals_explained)
    explained = pdf[pdf.index(heading, pdf.index(heading) + 1) :]  # after the contents
    document = docx_document(koblenz_files["docx"])
    word_rows = [
        [cell.text for cell in row.cells]
        for table in document.tables
        if len(table.columns) == 6 and table.rows[0].cells[4].text == koblenz_report.text.margin
        for row in table.rows[1:]
    ]
    sheet_rows = _sheet_rows(workbook[t("Explanation per goal")])
    column = {name: index for index, name in enumerate(sheet_rows[0])}
    for margin, count in margins.items():
        assert explained.count(squash(margin)) == count, margin
        assert markdown.count(f"| {margin} |") == count, margin
    for text, count in strongest.items():
        assert explained.count(squash(text)) == count, text
        assert markdown.count(text.replace("\u00a0", " ")) == count, text
    assert Counter(row[4] for row in word_rows) == margins
    assert Counter(row[5].split(" (")[0].split("\n")[0] for row in word_rows) == strongest
    assert [row[column[koblenz_report.text.margin]] for row in sheet_rows[1:]] == [
        row.margin for row in rows
    ]
    assert [row[column[koblenz_report.text.dots_to_change]] for row in sheet_rows[1:]] == [
        row.dots_to_change for row in rows
    ]
    assert [row[column["Punkte seiner stärksten Karte"]] for row in sheet_rows[1:]] == [
        row.what_if[0].points for row in rows
    ]
    goals = data["explanation"]["goals"]
    assert [(g["points"], g["dots_to_change"], g["margin"]) for g in goals] == [
        (row.points, row.dots_to_change, row.margin) for row in rows
    ]
    assert [g["what_if"][0]["points"] for g in goals] == [row.what_if[0].points for row in rows]
