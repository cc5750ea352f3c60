"""``klebepunkt report`` in PDF and Word, ``--sample``, and ``klebepunkt cards``."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from docx import Document

from tests.cli.test_cli import LOST_CARD, run
from tests.cli.test_explain import BALLOTS
from tests.reports.conftest import pdf_text, squash


@pytest.fixture(scope="module")
def koblenz_xlsx(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheets") / "koblenz.xlsx"
    result = run("sample", "koblenz-2017", "-o", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_report_pdf_from_a_sheet(koblenz_xlsx, tmp_path):
    out = tmp_path / "bericht.pdf"
    result = run("report", str(koblenz_xlsx), "-f", "pdf", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    content = out.read_bytes()
    assert content.startswith(b"%PDF-1.7")
    text = squash(pdf_text(content))
    assert squash(LOST_CARD) in text
    assert squash("Teil I: Dokumentation des Arbeitsprozesses") in text
    assert squash("Bereich") + squash("Wer?") not in text  # a sheet knows no composition


def test_report_word_for_the_sample_has_a_complete_teil_i(tmp_path):
    out = tmp_path / "bericht.docx"
    result = run("report", "--sample", "koblenz-2017", "-f", "docx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    document = Document(io.BytesIO(out.read_bytes()))
    headers = [[cell.text for cell in table.rows[0].cells] for table in document.tables]
    assert ["Bereich", "Wer?", "Wie viele Personen?", "Stimmberechtigt"] in headers
    assert ["Datum und Zeit", "Ort", "Arbeitsschwerpunkt"] in headers
    assert document.core_properties.title.startswith("Bericht zur sozialen Lage 2015")


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_binary_report_needs_an_output_file(koblenz_xlsx, fmt):
    result = run("report", str(koblenz_xlsx), "-f", fmt)
    assert result.returncode == 2
    assert f".{fmt}" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_report_needs_exactly_one_source(koblenz_xlsx):
    neither = run("report", "-f", "md")
    assert neither.returncode == 2
    assert "--sample" in neither.stderr
    both = run("report", str(koblenz_xlsx), "--sample", "koblenz-2017")
    assert both.returncode == 2
    assert "Traceback" not in both.stderr


def test_report_of_a_missing_sheet_exits_2(tmp_path):
    result = run("report", str(tmp_path / "fehlt.csv"), "-f", "pdf", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert "Datei nicht gefunden" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_report_markdown_of_the_sample_on_stdout():
    result = run("report", "--sample", "koblenz-2017")
    assert result.returncode == 0, result.stderr
    assert "| Politik | Vertreter der Koblenzer Fraktionen |" in result.stdout
    assert "| Stimmberechtigte Mitglieder | 19 |" in result.stdout


def test_cards_for_a_sheet_and_for_the_sample(koblenz_xlsx, tmp_path):
    out = tmp_path / "karten.pdf"
    result = run("cards", str(koblenz_xlsx), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert squash("Fachkräfteakquise") in squash(pdf_text(out.read_bytes()))
    sample = tmp_path / "sample.pdf"
    assert run("cards", "--sample", "koblenz-2017", "-o", str(sample)).returncode == 0
    assert sample.read_bytes().startswith(b"%PDF")


def test_cards_need_an_output_file(koblenz_xlsx):
    result = run("cards", str(koblenz_xlsx))
    assert result.returncode == 2
    assert ".pdf" in result.stderr


# --- the explanation section ------------------------------------------------------------

DEPARTURES = "Abweichungen der vorliegenden Tabelle von der Regel"
DOUBLED_NUMBER = "Die Zielnummer 2 kommt in „Soziale Belastung“ doppelt vor"
MARGINS = ("1 Punkt fehlt bis zur Schwelle", "fiele mit 1 Punkt weniger unter die Schwelle")


def _explanation_texts(fmt: str, content: bytes) -> tuple[str, str]:
    """(the departures from the rule, the explanation per goal) as text, read from a file."""
    if fmt == "pdf":
        text = squash(pdf_text(content))

        def section(heading: str) -> str:  # its first occurrence after the contents
            return text[text.index(squash(heading), text.index(squash(heading)) + 1) :]

        goals = section("Alle Ziele: Abstand zur Schwelle")
        return section(DEPARTURES), goals[: goals.index(squash(DEPARTURES))]
    if fmt == "docx":
        document = Document(io.BytesIO(content))
        paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
        start = paragraphs.index(("Heading 2", DEPARTURES))
        departures = "\n".join(t for s, t in paragraphs[start + 1 :] if s == "List Bullet")
        cells = "\n".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        )
        return departures, cells
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content))

        def cells(name: str) -> str:
            rows = workbook[name].iter_rows(values_only=True)
            return "\n".join(str(value) for row in rows for value in row)

        return cells("Abweichungen von der Regel"), cells("Erläuterung je Ziel")
    if fmt == "json":
        explanation = json.loads(content)["explanation"]
        return (
            "\n".join(d["message"] for d in explanation["departures"]),
            "\n".join(goal["margin"] for goal in explanation["goals"]),
        )
    text = content.decode("utf-8")
    return text.split(f"### {DEPARTURES}", 1)[1], text.split("### Alle Ziele", 1)[1]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "md", "json"])
def test_sample_report_explains_the_lost_card_the_doubled_number_and_the_margins(fmt, tmp_path):
    out = tmp_path / f"bericht.{fmt}"
    result = run("report", "--sample", "koblenz-2017", "-f", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    departures, goals = _explanation_texts(fmt, out.read_bytes())
    same = squash if fmt == "pdf" else str
    assert same(LOST_CARD) in departures
    assert same(DOUBLED_NUMBER) in departures
    for margin in MARGINS:
        assert same(margin) in goals


def test_report_from_a_sheet_with_ballots_shows_who_carried_each_goal(koblenz_xlsx, tmp_path):
    ballots = tmp_path / "stimmen.csv"
    ballots.write_text(BALLOTS, encoding="utf-8-sig")
    result = run("report", str(koblenz_xlsx), "--ballots", str(ballots), "-f", "json")
    assert result.returncode == 0, result.stderr
    explanation = json.loads(result.stdout)["explanation"]
    assert explanation["support_available"] is True
    goals = {goal["goal"]: goal for goal in explanation["goals"]}
    housing = goals["Es gibt sozialen Wohnraum in allen Stadtteilen"]
    assert (housing["supporters"], housing["single_supporter"], housing["stability"]) == (
        1,
        True,
        "ändert sich ohne 1 bestimmte Person",
    )
    markdown = run("report", str(koblenz_xlsx), "--ballots", str(ballots)).stdout
    assert "von einer einzigen Person getragen" in markdown
    assert "| Unterstützende Personen |" in markdown


def test_a_stored_process_takes_no_ballots_sheet(tmp_path):
    result = run("report", "--process", "1", "--ballots", str(tmp_path / "stimmen.csv"))
    assert result.returncode == 2
    assert "--ballots" in result.stderr
    assert "Traceback" not in result.stderr
