"""Reading member sheets: pasted from Excel, CSV or XLSX; groups matched, typos caught, clear errors."""

from __future__ import annotations

import io

import openpyxl
import pytest

from klebepunkt.i18n import translator
from klebepunkt.sheets import SheetError
from klebepunkt.sheets.members import NewGroup, NewMember, read_member_sheet

GERMAN = translator("de")
GROUPS = {"Politik": True, "Freie Träger": True, "Verwaltung": False}


def read(text: str, name: str = "mitglieder.csv", members=()):
    return read_member_sheet(text.encode("utf-8"), name, groups=GROUPS, members=list(members))


def error_of(text: str, members=()) -> str:
    with pytest.raises(SheetError) as caught:
        read(text, members=members)
    return caught.value.render(GERMAN)


def test_cells_pasted_from_excel_become_members_of_their_groups():
    pasted = (
        "Name\tBereich\tStimmberechtigt\tKontakt\r\n"
        "Anna Schmidt\tPolitik\tja\tanna@example.org\r\n"
        "Bernd Weber\tverwaltung\t\t\r\n"
        "Cem Aydin\tFreie Träger\tnein\t0261 123\r\n"
    )
    plan = read(pasted, "eingefügte Tabelle")
    assert plan.members == (
        NewMember(2, "Anna Schmidt", "Politik", True, "anna@example.org"),
        NewMember(3, "Bernd Weber", "Verwaltung", False, ""),  # the group's default: no
        NewMember(4, "Cem Aydin", "Freie Träger", False, "0261 123"),
    )
    assert plan.new_groups == ()


def test_an_unknown_group_is_created_with_voting_right_unless_every_row_says_no():
    plan = read(
        "Name;Gruppe;Stimmrecht\nDora;Seniorenbeirat;\nEmil;Seniorenbeirat;nein\n"
        "Frieda;Expertinnen und Experten;nein\n"
    )
    assert plan.new_groups == (
        NewGroup("Seniorenbeirat", voting=True),
        NewGroup("Expertinnen und Experten", voting=False),
    )
    assert [(m.name, m.voting) for m in plan.members] == [
        ("Dora", True),
        ("Emil", False),
        ("Frieda", False),
    ]


def test_a_group_name_close_to_an_existing_one_is_taken_for_a_typo():
    message = error_of("Name;Bereich\nAnna;Politik\nBernd;Freie Traeger\n")
    assert message == (
        "mitglieder.csv, Zeile 3, Spalte „Bereich“ (B): Es gibt keinen Bereich „Freie Traeger“. "
        "Meinten Sie „Freie Träger“? (Ein Bereich, dessen Name keinem vorhandenen ähnelt, "
        "wird angelegt.)"
    )


def test_members_the_process_has_already_are_left_as_they_are():
    plan = read("Name;Bereich\nanna  schmidt;Politik\nBernd;Politik\n", members=["Anna Schmidt"])
    assert [m.name for m in plan.members] == ["Bernd"]
    assert plan.already_members == ("anna schmidt",)


def test_a_workbook_is_read_like_pasted_cells():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Mitglied", "Bereich", "Stimmberechtigt", "E-Mail"])
    workbook.active.append(["Anna Schmidt", "Politik", "x", "anna@example.org"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = read_member_sheet(buffer.getvalue(), "liste.xlsx", groups=GROUPS, members=[])
    assert plan.members == (NewMember(2, "Anna Schmidt", "Politik", True, "anna@example.org"),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Vorname;Bereich\nAnna;Politik\n",
            "mitglieder.csv, Zeile 1: Die Pflichtspalte „Name“ fehlt.",
        ),
        ("Name;Bereich\n;Politik\n", "Zeile 2, Spalte „Name“ (A): Diese Zeile hat keinen Namen."),
        (
            "Name;Bereich\nAnna;\n",
            "Zeile 2, Spalte „Bereich“ (B): Diese Zeile nennt keinen Bereich.",
        ),
        (
            "Name;Bereich\nAnna;Politik\nanna;Politik\n",
            "Zeile 3, Spalte „Name“ (A): „anna“ steht zweimal in der Tabelle; Zeile 2 enthält den Namen "
            "schon.",
        ),
        (
            "Name;Bereich;Stimmberechtigt\nAnna;Politik;vielleicht\n",
            "Zeile 2, Spalte „Stimmberechtigt“ (C): „vielleicht“ ist kein Ja/Nein-Wert",
        ),
        (
            "Name;Bereich\n" + "A" * 201 + ";Politik\n",
            "Zeile 2, Spalte „Name“ (A): Dieser Text ist länger als 200 Zeichen.",
        ),
        (
            "Name;Bereich\n",
            "mitglieder.csv: Die Tabelle hat eine Kopfzeile, aber keine Mitglieder.",
        ),
    ],
)
def test_a_bad_cell_is_named_by_file_row_and_column_in_german(text, message):
    assert message in error_of(text)
