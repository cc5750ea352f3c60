"""Reading ballots sheets: cards matched by text, clear errors with file, row and column."""

from __future__ import annotations

import io

import openpyxl
import pytest

from klebepunkt.domain import Rules
from klebepunkt.samples import load_sample
from klebepunkt.sheets import SheetError, read_ballots, read_ballots_bytes

HEADER = "Mitglied;Bereich;Themenfeld;Ziel;Handlungsempfehlung;Punkte"
TALLY = load_sample("koblenz-2017").tally
CARDS = {card.id: card for card in TALLY.cards}


def csv(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def test_ballots_are_matched_to_cards_by_text_in_their_theme_field():
    ballots = read_ballots_bytes(
        csv(
            "Seniorenbeirat;Interessenvertreter;Pflege;;Fachkräfteakquise;2",
            "Jugendrat;Interessenvertreter;Wohnen;;  urban gardening-projekte   werden unterstützt;1",
        ),
        "stimmen.csv",
        TALLY,
    )
    assert [
        (b.voter_id, b.stakeholder_group, CARDS[b.card_id].text, b.dots, b.row) for b in ballots
    ] == [
        ("Seniorenbeirat", "Interessenvertreter", "Fachkräfteakquise", 2, 2),
        ("Jugendrat", "Interessenvertreter", "Urban Gardening-Projekte werden unterstützt", 1, 3),
    ]


def test_dot_on_the_goal_itself_is_matched_by_the_goal():
    [ballot] = read_ballots_bytes(
        csv("M1;Politik;Pflege;Es gibt eine Bedarfsanalyse zum Thema Pflege.;;1"), "s.csv", TALLY
    )
    card = CARDS[ballot.card_id]
    assert (card.text, card.dots) == ("", 1)


def test_english_headers_commas_and_cp1252():
    content = csv(
        "A,Politik,Bildung,Barrierefreie Bildung,Angebote sollen in leichter Sprache verfügbar sein.,1",
        header="voter,stakeholder_group,theme_field,goal,recommendation,dots",
        encoding="cp1252",
    )
    [ballot] = read_ballots_bytes(content, "votes.csv", TALLY)
    assert CARDS[ballot.card_id].text == "Angebote sollen in leichter Sprache verfügbar sein."


def test_xlsx_ballots(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mitglied", "Bereich", "Themenfeld", "Handlungsempfehlung", "Punkte"])
    sheet.append(["M1", "Politik", "Pflege", "Fachkräfteakquise", 3])
    path = tmp_path / "stimmen.xlsx"
    workbook.save(path)
    [ballot] = read_ballots(path, TALLY)
    assert (ballot.voter_id, ballot.dots, ballot.row) == ("M1", 3, 2)


def error(content: bytes, rules: Rules | None = None) -> str:
    with pytest.raises(SheetError) as caught:
        read_ballots_bytes(content, "stimmen.csv", TALLY, rules)
    return caught.value.render()


def test_unknown_card_names_row_column_and_a_close_match():
    message = error(csv("M1;Politik;Pflege;;Fachkräfteakquisse;1"))
    assert message.startswith("stimmen.csv, row 2, column “Handlungsempfehlung” (E): ")
    assert "Did you mean “Fachkräfteakquise”?" in message


def test_more_ballot_dots_than_the_card_carries_is_an_error_at_the_points():
    message = error(
        csv("M1;Politik;Pflege;;Fachkräfteakquise;2", "M2;Politik;Pflege;;Fachkräfteakquise;2")
    )
    assert message.startswith("stimmen.csv, row 3, column “Punkte” (F): ")
    assert "4 dots, but it carries only 3" in message


def test_voter_over_budget_is_an_error():
    message = error(
        csv(
            "M1;Politik;Wohnen;;" + CARDS["c21"].text + ";5",
            "M1;Politik;Pflege;;Fachkräfteakquise;3",
        ),
        Rules(dots_per_voter=7),
    )
    assert message.startswith("stimmen.csv, row 3, column “Punkte” (F): ")
    assert "more than the 7 each voter has" in message


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "M1;Politik;Gesundheit;;Fachkräfteakquise;1",
            "row 2, column “Themenfeld” (C): There is no theme field “Gesundheit”",
        ),
        (
            ";Politik;Pflege;;Fachkräfteakquise;1",
            "row 2, column “Mitglied” (A): This row has no voter.",
        ),
        (
            "M1;Politik;Pflege;;Fachkräfteakquise;1,5",
            "row 2, column “Punkte” (F): Points must be a whole number",
        ),
        (
            "M1;Politik;Pflege;;;1",
            "row 2, column “Handlungsempfehlung” (E): This row names neither",
        ),
        ("M1;Politik;Pflege;Barrierefreie Bildung;;1", "column “Ziel” (D)"),
    ],
)
def test_bad_rows(row, expected):
    assert expected in error(csv(row))


def test_missing_column_is_named():
    message = error(csv("M1;Pflege;1", header="Mitglied;Themenfeld;Punkte"))
    assert "Required column “Handlungsempfehlung” is missing" in message


def test_voter_in_two_stakeholder_groups_is_an_error():
    message = error(
        csv("M1;Politik;Pflege;;Fachkräfteakquise;1", "M1;Freie Träger;Pflege;;Fachkräfteakquise;1")
    )
    assert message.startswith("stimmen.csv, row 3, column “Bereich” (B): ")


def test_empty_ballots_sheet():
    assert "no ballots" in error(csv())
    assert "empty" in error(b"")


def test_missing_file(tmp_path):
    with pytest.raises(SheetError, match="File not found"):
        read_ballots(tmp_path / "nichts.csv", TALLY)


def test_ballots_worksheet_is_found_after_other_worksheets():
    # a workbook with a first sheet that is not a ballots sheet: the ballots sheet is found
    workbook = openpyxl.Workbook()
    workbook.active.append(["Notizen"])
    ballots_sheet = workbook.create_sheet("Stimmen")
    ballots_sheet.append(["Mitglied", "Themenfeld", "Handlungsempfehlung", "Punkte"])
    ballots_sheet.append(["M1", "Pflege", "Fachkräfteakquise", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    [ballot] = read_ballots_bytes(buffer.getvalue(), "s.xlsx", TALLY)
    assert (ballot.stakeholder_group, CARDS[ballot.card_id].text) == ("", "Fachkräfteakquise")
