"""The PDF is a publishable document: A4, tagged PDF/UA with language and title, a title
page, contents with page numbers, page numbers, table heads on every page, charts with a
text alternative."""

from __future__ import annotations

import io
import re
import subprocess

import pytest

from klebepunkt.domain import evaluate
from klebepunkt.i18n import translator
from klebepunkt.reports import build_report, render_report
from klebepunkt.reports.chart import chart_svg
from klebepunkt.reports.pdf import report_document
from tests.reports.conftest import pdf_structure, pdf_text, squash, table_attribute

A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def reader(koblenz_files):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(koblenz_files["pdf"]))


@pytest.fixture(scope="module")
def pages(koblenz_files) -> list[str]:
    return pdf_text(koblenz_files["pdf"]).split("\f")


def test_pdf_is_tagged_with_language_and_title(reader, koblenz_files, koblenz_report):
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "de"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == koblenz_report.title
    info = subprocess.run(
        ["pdfinfo", "-"], input=koblenz_files["pdf"], capture_output=True, check=True
    ).stdout.decode()
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(r"^PDF version:\s+1\.7$", info, re.MULTILINE)


def test_pdf_language_follows_the_report(koblenz_record):
    from pypdf import PdfReader

    evaluation = evaluate(koblenz_record.tally, koblenz_record.rules)
    report = build_report(
        evaluation, translator("en"), title="Result", record=koblenz_record, language="en"
    )
    assert report_document(report)["lang"] == "en"
    content = render_report(report, "pdf")
    reader = PdfReader(io.BytesIO(content))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.title == "Result"
    text = pdf_text(content)
    assert "Contents" in text and "Overview" in text and "Inhalt" not in text


def test_pdf_pages_are_a4(reader):
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))


def test_title_page_then_contents_with_page_numbers(pages, koblenz_report):
    assert squash(koblenz_report.title) in squash(pages[0])
    assert not re.search(r"^\d+ / \d+$", pages[0], re.MULTILINE)  # no number on the title page
    contents = pages[1]
    assert koblenz_report.text.contents in contents
    # Every entry of the contents ends with the page its section starts on.
    entry = re.search(r"Übersicht Ergebnis[ .]*?(\d+)\s*$", contents, re.MULTILINE)
    assert entry, contents
    start = int(entry.group(1))
    assert squash("Übersicht Ergebnis") in squash(pages[start - 1])
    entry = re.search(r"Themenspeicher[ .]*?(\d+)\s*$", contents, re.MULTILINE)
    assert entry
    assert squash(koblenz_report.text.topic_store) in squash(pages[int(entry.group(1)) - 1])


def test_every_page_after_the_title_has_its_number(pages):
    total = len([page for page in pages if page.strip()])
    for number, page in enumerate(pages[1:total], start=2):
        assert f"{number} / {total}" in page


def test_overview_table_head_repeats_on_every_page_of_the_overview(pages):
    heads = squash("Punkte für HE") + squash("Punkte für das Ziel")
    overview_pages = [page for page in pages if heads in squash(page)]
    # The overview runs over several pages; each one has the column heads again.
    assert len(overview_pages) >= 3
    for page in overview_pages:
        assert "Handlungsempfehlung" in page
        assert "Zuständigkeit" in page


def test_overview_goal_cells_span_their_cards_and_priorities_say_so(
    koblenz_report, koblenz_files, pages
):
    document = report_document(koblenz_report)
    overview = [block for block in document["blocks"] if block.get("kind") == "overview"]
    assert len(overview) == len(koblenz_report.overview) == 4
    first_goal = overview[0]["rows"][0][1]
    assert first_goal["rowspan"] == 4 and first_goal["runs"][0]["badge"] is True
    badges = [
        run
        for block in overview
        for row in block["rows"]
        for cell in row
        if isinstance(cell, dict)
        for run in cell["runs"]
        if isinstance(run, dict) and run.get("badge")
    ]
    assert len(badges) == 7  # every priority
    # In the tagged PDF: the goal cell spans its four cards; every table has its head.
    elements = pdf_structure(koblenz_files["pdf"])
    spans = [table_attribute(e, "/RowSpan") for e in elements if e.get("/S") == "/TD"]
    assert 4 in spans
    assert sum(1 for e in elements if e.get("/S") == "/THead") >= 4
    # The badge is printed: the legend's and every priority's in the overview.
    badge = koblenz_report.text.priority.upper()
    assert sum(page.count(badge) for page in pages) >= 7 + 1


def test_charts_have_the_threshold_line_and_a_text_alternative(koblenz_report):
    chart = koblenz_report.charts[0]
    svg = chart_svg(chart, chart.bars, koblenz_report.text, description=chart.description)
    assert svg.startswith("<svg")
    assert f"<title>{chart.description}</title>" in svg or "<title>" in svg
    assert 'stroke-dasharray="6 3"' in svg  # the threshold line
    assert svg.count("<rect") == len(chart.bars) + 2  # a bar per goal and the legend
    assert "Es werden Menschen für Pflegeberufe" in svg
    assert chart.threshold == 3
    assert [bar.points for bar in chart.bars] == [6, 2, 1, 1, 1, 1, 1]
    assert "6" in chart.description and "3" in chart.description


def test_chart_text_alternatives_are_in_the_pdf(koblenz_files, koblenz_report):
    text = squash(pdf_text(koblenz_files["pdf"]))
    for chart in koblenz_report.charts:
        assert squash(chart.description) in text


def test_pdf_figures_carry_the_alternative_text(koblenz_files, koblenz_report):
    """The tagged PDF gives each chart a Figure element with /Alt."""
    figures = [e for e in pdf_structure(koblenz_files["pdf"]) if e.get("/S") == "/Figure"]
    assert [str(figure.get("/Alt")) for figure in figures] == [
        chart.description for chart in koblenz_report.charts
    ]
