"""``klebepunkt report`` in PDF and Word, ``--sample``, and ``klebepunkt cards``."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.cli.test_cli import LOST_CARD, run
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
