"""The progress report: the content at two dates, changes since the previous one, every format."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from klebepunkt.domain.monitoring import Assessment, Light, Status
from klebepunkt.domain.monitoring_state import ItemKind
from klebepunkt.monitoring import selectors, services
from klebepunkt.reports import render as render_progress
from klebepunkt.reports.progress import build_progress_report
from tests.monitoring.conftest import FACHKRAEFTE, IMAGEKAMPAGNE, WOHNRAUM, at

pytestmark = pytest.mark.django_db


def english(msgid: str) -> str:
    return msgid


@pytest.fixture
def history(koblenz, goal, housing, campaign, facilitator):
    """A year and a half of monitoring of the Koblenz priorities."""
    status = services.StatusFields
    services.record_status(
        process=koblenz,
        goal=goal,
        user=facilitator,
        fields=status("planned", due_date=date(2026, 6, 30), comment="Konzept"),
        at=at(2025, 3, 1),
    )
    services.record_status(
        process=koblenz,
        goal=goal,
        user=facilitator,
        fields=status("in_progress", due_date=date(2026, 12, 31), comment="Kampagne läuft"),
        at=at(2025, 9, 15),
    )
    services.record_status(
        process=koblenz,
        goal=housing,
        user=facilitator,
        fields=status("rejected", comment="Keine Mittel"),
        at=at(2025, 11, 1),
    )
    indicator = services.create_indicator(
        process=koblenz,
        card=campaign,
        fields=services.IndicatorFields(
            name="Bewerbungen",
            unit="Bewerbungen",
            baseline_value=Decimal(120),
            baseline_date=date(2024, 1, 1),
            target_value=Decimal(180),
            target_date=date(2026, 12, 31),
        ),
    )
    for day, value in [
        (date(2024, 6, 30), 128),
        (date(2024, 12, 31), 139),
        (date(2025, 6, 30), 146),
        (date(2025, 12, 31), 150),
    ]:
        services.record_measurement(
            indicator=indicator, day=day, value=Decimal(value), source="Pflegeschulen", user=None
        )
    return koblenz


def report_at(process, as_of, since):
    return build_progress_report(
        selectors.monitoring_of(process),
        title=process.title,
        as_of=as_of,
        since=since,
        translate=english,
        language="de",
    )


def priority_line(report, goal_text):
    return next(p for p in report.priorities if p.goal == goal_text)


def test_report_at_the_first_date(history, koblenz_expected):
    report = report_at(history, date(2025, 6, 30), None)
    assert [p.goal for p in report.priorities] == [g for _f, g, _p in koblenz_expected["teil_ii"]]
    care = priority_line(report, FACHKRAEFTE)
    goal_item, *cards = care.items
    assert goal_item.kind is ItemKind.GOAL
    assert (goal_item.status, goal_item.due_date, goal_item.comment) == (
        Status.PLANNED,
        date(2026, 6, 30),
        "Konzept",
    )
    [change] = goal_item.changes
    assert (change.on, change.status_before, change.status_after) == (
        date(2025, 3, 1),
        "open",
        "in planning",
    )
    campaign = next(item for item in cards if item.text == IMAGEKAMPAGNE)
    [indicator] = campaign.indicators
    assert indicator.latest.value == Decimal(146)
    assert indicator.assessment is Assessment.ON_TRACK
    assert [m.value for m in indicator.new_values] == [128, 139, 146]  # first report: all
    assert [m.value for m in indicator.series.measurements] == [128, 139, 146]  # none later
    assert priority_line(report, WOHNRAUM).items[0].status is Status.OPEN
    assert report.since is None


def test_report_at_the_second_date_shows_the_changes_since_the_first(history):
    report = report_at(history, date(2025, 12, 31), date(2025, 6, 30))
    care = priority_line(report, FACHKRAEFTE)
    goal_item = care.items[0]
    assert (goal_item.status, goal_item.due_date) == (Status.IN_PROGRESS, date(2026, 12, 31))
    [change] = goal_item.changes
    assert (change.on, change.status_before, change.status_after) == (
        date(2025, 9, 15),
        "in planning",
        "being implemented",
    )
    assert (change.due_before, change.due_after) == (date(2026, 6, 30), date(2026, 12, 31))
    campaign = next(item for item in care.items if item.text == IMAGEKAMPAGNE)
    [indicator] = campaign.indicators
    assert [m.value for m in indicator.new_values] == [150]
    assert indicator.assessment is Assessment.BEHIND
    assert indicator.progress == Decimal("0.5")
    assert care.light is Light.AMBER
    housing = priority_line(report, WOHNRAUM)
    assert housing.light is Light.RED
    assert [(c.status_before, c.status_after) for c in housing.items[0].changes] == [
        ("open", "rejected")
    ]
    assert {light: n for light, _label, n in report.light_counts}[Light.RED] == 1
    untouched = [p for p in report.priorities if not p.changed]
    assert len(untouched) == 5


def test_report_as_markdown(history):
    report = report_at(history, date(2025, 12, 31), date(2025, 6, 30))
    text = render_progress(report, "md").decode()
    assert text.startswith(f"# Progress report: {history.title}")
    assert "As of 31.12.2025. Changes since the previous report of 30.06.2025." in text
    assert "### 1. Es werden Menschen für Pflegeberufe gewonnen (Fachkräfteakquise)" in text
    assert "| The priority as a whole | being implemented |" in text
    assert "- 15.09.2025 – The priority as a whole: in planning → being implemented; " in text
    assert "Due by: 30.06.2026 → 31.12.2026; Comment: Kampagne läuft" in text
    assert "- 31.12.2025 – Bewerbungen: 150 Bewerbungen (Pflegeschulen)" in text
    assert "128 Bewerbungen" not in text.split("## Changes since the previous report")[1]
    # the chart's text alternative
    assert "Bewerbungen: Baseline 120 Bewerbungen on 01.01.2024; target 180 Bewerbungen" in text
    assert "50 % of the way to the target – behind schedule." in text


def test_report_as_excel_workbook(history):
    report = report_at(history, date(2025, 12, 31), date(2025, 6, 30))
    workbook = openpyxl.load_workbook(io.BytesIO(render_progress(report, "xlsx")))
    assert workbook.sheetnames == ["Status", "Indicators", "Changes"]
    status = list(workbook["Status"].iter_rows(values_only=True))
    assert status[0][:5] == ("Key", "Theme field", "Goal", "Recommendation", "Status")
    goal_row = next(row for row in status if row[2] == FACHKRAEFTE and row[3] in ("", None))
    assert goal_row[4] == "being implemented"
    assert goal_row[8].date() == date(2026, 12, 31)
    indicators = list(workbook["Indicators"].iter_rows(values_only=True))
    assert indicators[1][3:6] == ("Bewerbungen", "Bewerbungen", 120)
    assert indicators[1][9] == 150
    assert indicators[1][11] == 50.0
    changes = list(workbook["Changes"].iter_rows(values_only=True))[1:]
    assert [(row[0].date(), row[5] or "") for row in changes] == [
        (date(2025, 9, 15), "being implemented"),
        (date(2025, 11, 1), "rejected"),
        (date(2025, 12, 31), ""),
    ]
    assert changes[2][6] == "Bewerbungen: 150 Bewerbungen"


def test_report_without_priorities(db, facilitator):
    from klebepunkt.processes.services import create_process

    process = create_process(title="Leer", user=facilitator)
    report = report_at(process, date(2026, 1, 1), None)
    text = render_progress(report, "md").decode()
    assert "No goal has reached the threshold yet." in text
    assert "No changes." in text


# --- PDF and Word, with the report formats' machinery ------------------------------------------


def test_report_as_tagged_pdf_with_charts_and_their_text(history, tmp_path):
    import subprocess

    from pypdf import PdfReader

    from tests.reports.conftest import pdf_text, squash

    report = report_at(history, date(2025, 12, 31), date(2025, 6, 30))
    content = render_progress(report, "pdf")
    (tmp_path / "bericht.pdf").write_bytes(content)
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "de"
    info = subprocess.run(
        ["pdfinfo", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "Tagged:          yes" in info
    text = squash(pdf_text(content))
    assert "Progressreport" in text
    assert squash(FACHKRAEFTE) in text
    assert "beingimplemented" in text
    assert squash("Bewerbungen: Baseline 120 Bewerbungen on 01.01.2024") in text  # alt text
    assert "31.12.2025" in text


def test_report_as_word_document(history):
    from docx import Document

    report = report_at(history, date(2025, 12, 31), date(2025, 6, 30))
    document = Document(io.BytesIO(render_progress(report, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Summary", "Priorities"]
    assert f"1. {FACHKRAEFTE}" in headings
    assert "Indicator: Bewerbungen" in headings
    assert headings[-1] == "Changes since the previous report"
    assert document.core_properties.language == "de-DE"
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "The priority as a whole" in cells
    assert "in planning; Due by: 30.06.2026" in cells
    assert "being implemented; Due by: 31.12.2026 (Kampagne läuft)" in cells
    assert "150 Bewerbungen (Pflegeschulen)" in cells
