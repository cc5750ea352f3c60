"""The ``klebepunkt`` command as a user runs it: exit codes, messages, outputs."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import openpyxl
import pytest

LOST_CARD = "Eine integrierte Kinderbetreuung bei Sprachbildung wird sichergestellt."


def run(*args: str, lang: str = "de_DE.UTF-8", cwd=None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "LANG": lang,
        "LC_ALL": "",
        "LANGUAGE": "",
        "KLEBEPUNKT_LANG": "",
        "COLUMNS": "120",
    }
    return subprocess.run(
        [sys.executable, "-m", "klebepunkt", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture(scope="module")
def koblenz_xlsx(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheets") / "koblenz.xlsx"
    result = run("sample", "koblenz-2017", "-o", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def koblenz_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheets") / "koblenz.csv"
    assert run("sample", "koblenz-2017", "-o", str(path)).returncode == 0
    return path


def test_evaluate_json_gives_the_golden_result(koblenz_xlsx, koblenz_expected):
    result = run("evaluate", str(koblenz_xlsx), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["threshold"] == 3
    assert data["total_dots"] == 47
    assert [
        [p["theme_field"], p["goal"], p["points"]] for p in data["priorities"]
    ] == koblenz_expected["teil_ii"]
    assert all(p["cards"] for p in data["priorities"])
    assert len(data["topic_store"]) == 51
    assert {
        "theme_field": "Bildung",
        "text": LOST_CARD,
        "reason": "goal_below_threshold",
    }.items() <= next(e for e in data["topic_store"] if e["text"] == LOST_CARD).items()
    assert {e["reason"] for e in data["topic_store"]} == {"no_dots", "goal_below_threshold"}
    assert isinstance(data["near_threshold"], list) and isinstance(data["warnings"], list)


def test_evaluate_table_from_csv_in_german(koblenz_csv):
    result = run("evaluate", str(koblenz_csv))
    assert result.returncode == 0, result.stderr
    assert "47 Punkte" in result.stdout
    assert "7 Prioritäten" in result.stdout
    assert "Themenspeicher" in result.stdout


def test_threshold_option_changes_the_result(koblenz_csv):
    data = json.loads(run("evaluate", str(koblenz_csv), "-f", "json", "--threshold", "2").stdout)
    assert data["threshold"] == 2
    assert len(data["priorities"]) == 10


def test_help_in_german_and_english():
    assert "Punkteliste" in run("evaluate", "--help").stdout
    assert "Tally sheet" in run("evaluate", "--help", lang="en_US.UTF-8").stdout


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("Pflege;Karte;-1", ["Zeile 2", "Spalte „Punkte“", "negativ"]),
        ("Pflege;Karte;1,5", ["Zeile 2", "Spalte „Punkte“", "ganze Zahl"]),
        (";Karte;1", ["Zeile 2", "Spalte „Themenfeld“"]),
    ],
)
def test_bad_rows_exit_2_with_one_german_message(tmp_path, rows, expected):
    path = tmp_path / "liste.csv"
    path.write_text("Themenfeld;Handlungsempfehlung;Punkte\n" + rows + "\n", encoding="utf-8")
    result = run("evaluate", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "liste.csv" in result.stderr
    for text in expected:
        assert text in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("leer.csv", b"", "Die Datei ist leer"),
        (
            "ohne.csv",
            b"Themenfeld;Handlungsempfehlung\nPflege;x\n",
            "Pflichtspalte „Punkte für HE“ fehlt",
        ),
        ("bild.png", b"\x89PNG\r\n\x1a\n\x00", "keine CSV- oder Excel-Datei"),
    ],
)
def test_bad_files_exit_2(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    result = run("evaluate", str(path))
    assert result.returncode == 2
    assert expected in result.stderr
    assert name in result.stderr
    assert "Traceback" not in result.stderr


def test_english_error_message(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Themenfeld;Handlungsempfehlung;Punkte\nPflege;Karte;-1\n")
    result = run("evaluate", str(path), lang="en_US.UTF-8")
    assert result.returncode == 2
    assert "list.csv, row 2, column “Punkte” (C): Points cannot be negative" in result.stderr


def test_missing_file_exit_2(tmp_path):
    result = run("evaluate", str(tmp_path / "fehlt.xlsx"))
    assert result.returncode == 2
    assert "Datei nicht gefunden" in result.stderr


def test_sample_rejects_unknown_suffix(tmp_path):
    result = run("sample", "koblenz-2017", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert ".xlsx" in result.stderr


def test_report_markdown(koblenz_xlsx, tmp_path):
    out = tmp_path / "bericht.md"
    assert run("report", str(koblenz_xlsx), "-f", "md", "-o", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert (
        "| Nr. | Ziel | Handlungsempfehlung | Indikator | Zuständigkeit | Punkte für HE | Punkte für das Ziel |"
        in text
    )
    assert "Teil II" in text
    assert LOST_CARD in text


def test_report_csv_is_for_german_excel(koblenz_xlsx, tmp_path):
    out = tmp_path / "bericht.csv"
    assert run("report", str(koblenz_xlsx), "-f", "csv", "-o", str(out)).returncode == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Teil", "Themenfeld", "Nr."]
    assert sum(1 for row in rows if row[0] == "Themenspeicher") == 51
    priorities = {(row[1], row[3]) for row in rows if row[0] == "Übersicht" and row[9] == "ja"}
    assert len(priorities) == 7


def test_report_xlsx_has_a_sheet_per_part(koblenz_xlsx, tmp_path):
    out = tmp_path / "bericht.xlsx"
    assert run("report", str(koblenz_xlsx), "-f", "xlsx", "-o", str(out)).returncode == 0
    workbook = openpyxl.load_workbook(out)
    names = workbook.sheetnames
    parts = [name for name in names if name in {"Übersicht", "Prioritäten", "Themenspeicher"}]
    assert parts == ["Übersicht", "Prioritäten", "Themenspeicher"]
    assert names.index("Übersicht") > 0  # after Teil I (method and figures)
    assert workbook["Übersicht"].freeze_panes == "A2"
    assert workbook["Themenspeicher"].max_row == 52


def test_report_json(koblenz_csv):
    result = run("report", str(koblenz_csv), "-f", "json")
    data = json.loads(result.stdout)
    assert data["total_dots"] == 47
    rows = [row for table in data["overview"] for row in table["rows"]]
    assert len(rows) == 30  # every card with a dot, once
    assert sum(row["card_dots"] for row in rows) == 47


def test_report_csv_neutralises_formulas(tmp_path):
    sheet = tmp_path / "boese.csv"
    sheet.write_text(
        'Themenfeld;Ziel;Handlungsempfehlung;Punkte\nPflege;=1+1;"=HYPERLINK(""http://x"")";3\nPflege;@SUM;+49 123;0\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    assert run("report", str(sheet), "-f", "csv", "-o", str(out)).returncode == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert '\'=HYPERLINK("http://x")' in cells
