"""The evaluation benchmark: a generated sheet of 100,000 cards in 10,000 goals.

``read_s`` is the time to read the CSV into a tally, ``read_xlsx_s`` the same rows from an
XLSX workbook laid out as Excel writes one (every text a shared string); ``evaluate_s`` the
time of the evaluation alone, on the same tally, in the same run. Both readings must give
the same tally.
"""

from __future__ import annotations

import random
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from klebepunkt.domain import Tally, evaluate
from klebepunkt.sheets import read_sheet
from klebepunkt.sheets.writer import csv_bytes

FIELDS = ("Pflege", "Wohnen", "Soziale Belastung", "Bildung", "Gesundheit")


HEADER = ["Themenfeld", "Nr", "Ziel", "Handlungsempfehlung", "Indikator", "Zuständigkeit", "Punkte"]


def generated_rows(cards: int, goals: int, seed: int = 3) -> list[list[object]]:
    rng = random.Random(seed)
    rows: list[list[object]] = []
    for index in range(cards):
        goal = index % goals
        field = FIELDS[goal % len(FIELDS)]
        rows.append(
            [
                field,
                goal + 1,
                f"Ziel {goal + 1} im Themenfeld {field}",
                f"Handlungsempfehlung {index + 1}: Angebote werden ausgebaut",
                "Anzahl der Angebote steigt",
                "Amt für Jugend, Familie, Senioren und Soziales",
                rng.choice((0, 0, 0, 1, 1, 2, 3)),
            ]
        )
    return rows


def generated_sheet(path: Path, cards: int = 100_000, goals: int = 10_000, seed: int = 3) -> None:
    path.write_bytes(csv_bytes(HEADER, generated_rows(cards, goals, seed)))


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def excel_workbook(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """The rows as Excel lays out a workbook: every text a shared string (each text once),
    numbers as numbers, every cell with its place (written by hand: openpyxl writes each
    text inline, which no Excel does, and nothing else here writes shared strings)."""
    strings: dict[str, int] = {}
    lines = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}">']
    lines.append(f'<dimension ref="A1:{chr(64 + len(header))}{len(rows) + 1}"/><sheetData>')
    table: list[list[object]] = [list(header), *rows]
    for number, values in enumerate(table, start=1):
        cells = []
        for column, value in enumerate(values):
            place = f"{chr(65 + column)}{number}"
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{place}" t="s"><v>{index}</v></c>')
            else:
                cells.append(f'<c r="{place}"><v>{value}</v></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    lines.append("</sheetData></worksheet>")
    shared = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{_TYPES}.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{_TYPES}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}">'
            f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_RELATIONSHIPS}"><sheets><sheet name="Karten" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE}">'
            f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" '
            'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{_RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": "".join(lines),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{_MAIN}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>'
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())


def _timed(read: Callable[[], Tally], repeat: int) -> tuple[float, Tally]:
    times, tally = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        tally = read()
        times.append(time.perf_counter() - started)
    assert tally is not None
    return min(times), tally


def run(cards: int = 100_000, goals: int = 10_000, repeat: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "gross.csv"
        workbook = Path(directory) / "gross.xlsx"
        rows = generated_rows(cards, goals)
        path.write_bytes(csv_bytes(HEADER, rows))
        excel_workbook(workbook, HEADER, rows)
        # a running server has imported its readers (calamine, openpyxl's date formats): a
        # workbook of two rows first, so that one reading (--quick) is not an import's time
        small = Path(directory) / "klein.xlsx"
        excel_workbook(small, HEADER, generated_rows(2, 1))
        read_sheet(small)
        read_s, tally = _timed(lambda: read_sheet(path).tally, repeat)
        read_xlsx_s, from_xlsx = _timed(lambda: read_sheet(workbook).tally, repeat)
        if from_xlsx != tally:
            raise AssertionError("the XLSX gave another tally than the CSV")
        evaluate_times = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = evaluate(tally)
            evaluate_times.append(time.perf_counter() - started)
        assert len(result.goals) == goals or len(result.goals) <= goals
    return {
        "cards": cards,
        "goals": goals,
        "read_s": round(read_s, 3),
        "read_xlsx_s": round(read_xlsx_s, 3),
        "evaluate_s": round(min(evaluate_times), 3),
    }


if __name__ == "__main__":
    print(run())
