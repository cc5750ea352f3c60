"""Reading tally sheets: dialects, encodings, XLSX, and clear errors with file, row and column."""

from __future__ import annotations

import io

import openpyxl
import pytest

from klebepunkt.domain import evaluate
from klebepunkt.samples import load_sample
from klebepunkt.sheets import SheetError, read_sheet, read_sheet_bytes, write_sheet

HEADER = "Themenfeld;Nr;Ziel;Handlungsempfehlung;Indikator;Zuständigkeit;Punkte"


def csv(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def test_semicolon_csv_groups_rows_by_goal_text():
    sheet = read_sheet_bytes(
        csv(
            "Pflege;1;Mehr Personal;Imagekampagne;;;2",
            "Pflege;1;  Mehr   Personal ;Ausbildung;;;1",
            "Wohnen;1;Mehr Personal;Wohnheim;;;1",
        ),
        "liste.csv",
    )
    result = evaluate(sheet.tally)
    assert [(g.theme_field, g.points, len(g.cards)) for g in result.goals] == [
        ("Pflege", 3, 2),
        ("Wohnen", 1, 1),
    ]


def test_comma_csv_with_quoted_line_breaks_and_english_headers():
    content = (
        b"theme_field,goal,recommendation,dots\r\n"
        b'Pflege,Ziel A,"Zeile eins\nZeile zwei, mit Komma",3\r\n'
        b"Pflege,Ziel A,Zweite Karte,0\r\n"
    )
    sheet = read_sheet_bytes(content, "sheet.csv")
    cards = sheet.tally.cards
    assert cards[0].text == "Zeile eins\nZeile zwei, mit Komma"
    assert cards[1].row == 3  # the row a spreadsheet shows, despite the line break in row 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_are_detected(encoding):
    sheet = read_sheet_bytes(
        csv("Soziale Belastung;;Präventionsmaßnahmen;Übergänge;;;1", encoding=encoding), "x.csv"
    )
    assert sheet.tally.cards[0].text == "Übergänge"
    assert sheet.tally.goals[0].text == "Präventionsmaßnahmen"


def test_header_names_match_case_and_space_insensitively():
    sheet = read_sheet_bytes(
        csv(
            "Pflege;Karte;2;5",
            header="  THEMENFELD ;handlungsempfehlung; Punkte  für HE ;Punkte für das  Ziel",
        ),
        "x.csv",
    )
    assert sheet.tally.cards[0].dots == 2
    assert sheet.states_goal_points


def test_empty_points_cell_is_zero():
    sheet = read_sheet_bytes(csv("Pflege;;;Karte;;;"), "x.csv")
    assert sheet.tally.cards[0].dots == 0


def test_xlsx_with_merged_goal_cells(tmp_path):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(
        ["Themenfeld", "Nr", "Ziel", "Handlungsempfehlung", "Punkte für HE", "Punkte für das Ziel"]
    )
    ws.append(["Pflege", 1, "Fachkräfte gewinnen", "Imagekampagne", 3, 4])
    ws.append(["Pflege", None, None, "Ausbildung", 1.0, None])
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:C3")
    ws.merge_cells("F2:F3")
    path = tmp_path / "tabelle.xlsx"
    workbook.save(path)
    result = evaluate(read_sheet(path).tally)
    [goal] = result.goals
    assert (goal.goal.nr, goal.points, len(goal.cards), goal.goal.stated_points) == ("1", 4, 2, 4)
    assert result.warnings == ()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_koblenz_round_trip_through_a_sheet(tmp_path, suffix, koblenz_expected):
    record = load_sample("koblenz-2017")
    path = tmp_path / f"koblenz{suffix}"
    write_sheet(record.tally, path)
    result = evaluate(read_sheet(path).tally, record.rules)
    assert result.total_dots == 47
    assert [[g.theme_field, g.goal.text, g.points] for g in result.priorities] == koblenz_expected[
        "teil_ii"
    ]
    assert len(result.topic_store) == 51


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_koblenz_round_trip_in_german_excel_encodings(tmp_path, encoding, koblenz_expected):
    record = load_sample("koblenz-2017")
    path = tmp_path / "koblenz.csv"
    write_sheet(record.tally, path, encoding=encoding)
    if encoding == "cp1252":
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = evaluate(read_sheet(path).tally, record.rules)
    assert [[g.theme_field, g.goal.text, g.points] for g in result.priorities] == koblenz_expected[
        "teil_ii"
    ]


def test_formula_prefix_written_as_text_reads_back_unchanged(tmp_path):
    sheet = read_sheet_bytes(csv('Pflege;;;\'=HYPERLINK("x");;;1'), "x.csv")
    assert sheet.tally.cards[0].text == '=HYPERLINK("x")'
    path = tmp_path / "out.csv"
    write_sheet(sheet.tally, path)
    assert "'=HYPERLINK" in path.read_text(encoding="utf-8-sig")
    assert read_sheet(path).tally.cards[0].text == '=HYPERLINK("x")'


# --- bad input: one clear message naming file, row and column ---------------------------


def error_of(content: bytes, name: str = "liste.csv") -> SheetError:
    with pytest.raises(SheetError) as raised:
        read_sheet_bytes(content, name)
    return raised.value


def test_negative_points_name_row_and_column():
    error = error_of(csv("Pflege;;;Karte A;;;1", "Pflege;;;Karte B;;;-2"))
    assert (error.location.file, error.location.row, error.location.column) == (
        "liste.csv",
        3,
        "Punkte",
    )
    assert error.location.column_letter == "G"
    assert "negative" in error.render()


@pytest.mark.parametrize("value", ["1,5", "2.5", "drei", "1e3"])
def test_non_integer_points(value):
    error = error_of(csv(f"Pflege;;;Karte;;;{value}"))
    assert error.location.row == 2
    assert error.location.column == "Punkte"
    assert "whole number" in error.render()


def test_non_integer_points_in_xlsx(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Themenfeld", "Handlungsempfehlung", "Punkte"])
    workbook.active.append(["Pflege", "Karte", 1.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = error_of(buffer.getvalue(), "tabelle.xlsx")
    assert (error.location.row, error.location.column_letter) == (2, "C")


def test_missing_required_column():
    error = error_of(csv("Pflege;Karte", header="Themenfeld;Handlungsempfehlung"))
    assert error.location.row == 1
    assert "Punkte" in error.render()


def test_missing_text_columns():
    error = error_of(csv("Pflege;1", header="Themenfeld;Punkte"))
    assert "Handlungsempfehlung" in error.render()


def test_empty_file():
    assert "empty" in error_of(b"").render()
    assert "empty" in error_of(b"\r\n  \r\n").render()


def test_header_only_file():
    assert "no cards" in error_of(csv()).render()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.4 binary\x00\x01", "bericht.pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "bild.csv"),
        (b"hello", "notes.docx"),
    ],
)
def test_not_csv_or_xlsx(content, name):
    error = error_of(content, name)
    assert error.location.file == name
    assert "CSV" in error.render()


def test_old_xls():
    assert (
        ".xls" in error_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "alt.xls").render()
    )


def test_fake_xlsx():
    assert "Excel" in error_of(b"Themenfeld;Punkte", "fake.xlsx").render()


def test_row_with_text_but_no_theme_field():
    error = error_of(csv("Pflege;;;Karte A;;;1", ";;;Karte ohne Feld;;;1"))
    assert (error.location.row, error.location.column) == (3, "Themenfeld")


def test_duplicate_column():
    error = error_of(csv("Pflege;1;2", header="Themenfeld;Punkte;Punkte für HE"))
    assert "twice" in error.render()
    assert error.location.column_letter == "C"


def test_missing_file(tmp_path):
    with pytest.raises(SheetError, match="not found"):
        read_sheet(tmp_path / "fehlt.csv")
