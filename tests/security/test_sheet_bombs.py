"""Workbooks built to exhaust the server are refused by every sheet reader in bounded memory.

Issue 18, defects 4 and 5: a 1 MB workbook whose entries understate their size (zipfile
inflated the whole entry in one call before it cut it to the declared size: 2 GB per
upload), and a 131 KB workbook of 1,048,576 rows x 2 numbers (openpyxl loaded every cell
before the limit was checked: 30-42 s and a gigabyte). Each file is read in a fresh
process whose peak memory (``VmHWM`` of its own address space, the interpreter included)
must stay under 300 MB; the time is printed, never asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klebepunkt.i18n import translator
from klebepunkt.sheets import SheetError
from tests.security.fuzzing import fuzz
from tests.security.hostile_workbooks import (
    HEADERS,
    hostile_workbooks,
    million_rows,
    read_as,
    understated_workbook,
)

GERMAN = translator("de")
MEMORY_LIMIT_MB = 300
ROOT = Path(__file__).resolve().parents[2]

MEASURE = """
import json, sys, time
from pathlib import Path
from klebepunkt.i18n import translator
from klebepunkt.sheets import SheetError
from tests.security.hostile_workbooks import read_as, workbook_of, worksheet

kind, path = sys.argv[1], Path(sys.argv[2])
content = path.read_bytes()
try:  # the modules (openpyxl's date formats too) loaded before the clock starts, as in a
    # server's worker: the time is the reading's
    read_as(kind, workbook_of(worksheet(["x"], [])), "warm.xlsx")
except SheetError:
    pass
started = time.perf_counter()
try:
    read_as(kind, content, path.name)
    answer = {"refused": False}
except SheetError as error:
    answer = {"refused": True, "msgid": error.message.msgid, "text": error.render(translator("de"))}
answer["seconds"] = round(time.perf_counter() - started, 3)
status = Path("/proc/self/status").read_text()
peak = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
answer["peak_mb"] = int(peak.split()[1]) // 1024
print(json.dumps(answer))
"""


def measured(kind: str, content: bytes, tmp_path: Path, name: str = "liste.xlsx") -> dict:
    """Read ``content`` with the ``kind`` reader in a fresh process: its answer, time, peak."""
    path = tmp_path / name
    path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, kind, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{kind}: {len(content):,} bytes, {answer['seconds']} s, peak {answer['peak_mb']} MB")
    return answer


READERS = sorted(HEADERS)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """About 1 MB that inflates to 1 GiB, declaring a few dozen bytes with their CRC."""
    content = understated_workbook("xl/worksheets/sheet1.xml", 1024)
    assert len(content) < 1_200_000
    return content


@pytest.mark.parametrize("kind", READERS)
def test_a_zip_bomb_whose_entries_understate_their_size_is_refused_in_bounded_memory(
    kind, bomb, tmp_path
):
    answer = measured(kind, bomb, tmp_path)
    assert answer["refused"]
    assert answer["text"] == "liste.xlsx: Die Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx)."
    assert answer["peak_mb"] < MEMORY_LIMIT_MB


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"])
def test_every_part_of_a_workbook_is_inflated_within_bounds(part, tmp_path):
    answer = measured("tally", understated_workbook(part, 1024), tmp_path)
    assert answer["refused"]
    assert answer["peak_mb"] < MEMORY_LIMIT_MB


def test_entries_that_inflate_beyond_the_limit_are_refused_as_too_large(tmp_path):
    # declared as 200 MiB: refused before a byte is inflated
    declared = understated_workbook("xl/worksheets/sheet1.xml", 8, declared=200 << 20)
    answer = measured("tally", declared, tmp_path)
    assert answer["refused"]
    assert "zu groß" in answer["text"]
    assert answer["peak_mb"] < MEMORY_LIMIT_MB


@pytest.fixture(scope="module")
def million() -> bytes:
    """1,048,576 rows x 2 numbers in about 130 KB, with its true dimension A1:B1048576."""
    content = million_rows(2)
    assert len(content) < 200_000
    return content


@pytest.mark.parametrize("kind", READERS)
def test_a_million_rows_are_refused_from_the_declared_dimension(kind, million, tmp_path):
    answer = measured(kind, million, tmp_path)
    assert answer["refused"]
    assert answer["text"] == (
        "liste.xlsx: Die Arbeitsmappe ist zu groß: mehr als 1.000.000 Zellen oder 100 MB entpackt."
    )
    assert answer["peak_mb"] < MEMORY_LIMIT_MB


@pytest.mark.parametrize("kind", READERS)
def test_rows_of_one_column_are_refused_by_their_header_row(kind, tmp_path):
    # 900,000 cells: within the dimension's limit (all 1,048,576 rows are refused by it)
    answer = measured(kind, million_rows(1, rows=900_000), tmp_path)
    assert answer["refused"]
    assert answer["msgid"].startswith("Required column “%(column)s” is missing.")
    assert answer["text"].startswith("liste.xlsx, Zeile 1: ")
    assert answer["peak_mb"] < MEMORY_LIMIT_MB


@pytest.mark.parametrize("kind", READERS)
@pytest.mark.parametrize("dimension", ["A1:B2", None])
def test_a_million_rows_under_a_true_header_stop_at_the_cell_limit(kind, dimension, tmp_path):
    header = tuple(HEADERS[kind])
    content = million_rows(len(header), dimension=dimension, header=header)
    answer = measured(kind, content, tmp_path)
    assert answer["refused"]
    assert "zu groß" in answer["text"]
    assert answer["peak_mb"] < MEMORY_LIMIT_MB


def test_a_sheet_just_within_the_cell_limit_is_read_in_bounded_memory(tmp_path):
    header = tuple(HEADERS["tally"])
    content = million_rows(3, header=header, rows=330_000, dimension=None)
    answer = measured("tally", content, tmp_path)
    assert not answer["refused"]
    assert answer["peak_mb"] < MEMORY_LIMIT_MB


# --- fuzz: every class of hostile workbook against every reader -------------------------------


@fuzz("sheets: hostile workbooks, every reader", 60)
@given(data=st.data(), kind=st.sampled_from(READERS))
def test_hostile_workbooks_are_refused_by_every_reader(data, kind):
    import tracemalloc

    content = data.draw(hostile_workbooks(HEADERS[kind]))
    tracemalloc.start()
    try:
        with pytest.raises(SheetError) as caught:
            read_as(kind, content, "liste.xlsx")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    error = caught.value
    assert error.location.file == "liste.xlsx"
    assert GERMAN(error.message.msgid) != error.message.msgid
    assert error.message.msgid in {
        "This file is not a readable Excel workbook (.xlsx).",
        "The workbook is too large: more than %(cells)s cells or %(megabytes)s MB unpacked.",
    }
    assert peak < MEMORY_LIMIT_MB << 20
