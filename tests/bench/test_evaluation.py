"""The evaluation phase of ``klebepunkt bench``: the generated sheet read as CSV and as an XLSX
laid out as Excel writes one gives the same tally, and the XLSX is read by calamine (the figure
``read_xlsx_s`` is the fast path's, not the streaming reader's)."""

from __future__ import annotations

import zipfile

from klebepunkt.bench import evaluation
from klebepunkt.sheets import calamine, read_sheet


def test_the_csv_and_the_excel_workbook_give_the_same_tally(tmp_path, monkeypatch):
    csv_path, xlsx_path = tmp_path / "gross.csv", tmp_path / "gross.xlsx"
    evaluation.generated_sheet(csv_path, cards=3_000, goals=300)
    evaluation.excel_workbook(xlsx_path, evaluation.HEADER, evaluation.generated_rows(3_000, 300))
    with zipfile.ZipFile(xlsx_path) as archive:  # as Excel writes text: shared strings
        sheet = archive.read("xl/worksheets/sheet1.xml")
        assert b'<c r="D3001" t="s">' in sheet
        assert b"inlineStr" not in sheet
        assert archive.read("xl/sharedStrings.xml").count(b"<si>") == 3_000 + 300 + 5 + 9

    read_by_calamine = []
    rows = calamine.rows

    def spy(*args, **kwargs):
        found = rows(*args, **kwargs)
        read_by_calamine.append(found is not None)
        return found

    monkeypatch.setattr(calamine, "rows", spy)
    from_xlsx = read_sheet(xlsx_path).tally
    assert read_by_calamine == [True]
    from_csv = read_sheet(csv_path).tally
    assert from_xlsx == from_csv
    assert len(from_csv.cards) == 3_000
    assert len(from_csv.goals) == 300
    assert {card.dots for card in from_csv.cards} == {0, 1, 2, 3}


def test_the_phase_reports_both_readings_and_the_evaluation():
    figures = evaluation.run(cards=2_000, goals=200, repeat=1)
    assert set(figures) == {"cards", "goals", "read_s", "read_xlsx_s", "evaluate_s"}
    assert (figures["cards"], figures["goals"]) == (2_000, 200)
    assert figures["read_s"] > 0
    assert figures["read_xlsx_s"] > 0
    assert figures["evaluate_s"] >= 0  # 2,000 cards: a few milliseconds, rounded to 3 places
