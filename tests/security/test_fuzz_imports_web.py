"""Fuzzing the imports through the web: a tally sheet (upload → preview → apply), a process file,
and workbooks built to exhaust the server against every sheet upload.

Every answer is a page or a redirect, never a 500; a refused file shows the reader's
German message (file, row, column or field path) and leaves the database as it was;
an accepted file is imported completely, in one transaction.
"""

from __future__ import annotations

import html
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from klebepunkt.i18n import translator
from klebepunkt.process_document import DocumentError, loads
from klebepunkt.processes import models, services
from klebepunkt.processes.services import imports
from klebepunkt.sheets import SheetError, read_sheet_bytes
from tests.security.database import database_fingerprint, rolled_back
from tests.security.fuzzing import fuzz
from tests.security.hostile_workbooks import HEADERS, hostile_workbooks
from tests.security.test_fuzz_process_document import JSON, PATHS, VALID, _mutate
from tests.security.test_fuzz_sheets import CELL, FORMULAS, TEXT, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

GERMAN = translator("de")


@pytest.fixture
def client_of(facilitator):
    client = Client()
    client.force_login(facilitator)
    return client


def cards_of(process) -> int:
    return models.Card.objects.filter(theme_field__process=process).count()


# --- the tally sheet: upload, preview, apply -----------------------------------------------------

GOOD_HEADER = st.lists(
    st.sampled_from(["Ziel", "Nr", "Indikator", "Zuständigkeit"]), unique=True
).flatmap(lambda others: st.permutations(["Themenfeld", "Punkte", "Handlungsempfehlung", *others]))
SHEET_HEADER = st.one_of(
    *[GOOD_HEADER] * 4,
    st.lists(st.sampled_from(["Themenfeld", "Punkte", "Ziel", "Handlungsempfehlung"]), max_size=5),
)


def _column_cell(column: str):
    """Mostly what the column expects, sometimes anything: so that many sheets reach the apply."""
    if column == "Themenfeld":
        usual = st.sampled_from(["Pflege", "Wohnen", "Kultur", "Neues Themenfeld"]) | TEXT
    elif column == "Punkte":
        usual = st.integers(min_value=0, max_value=12).map(str) | st.just("")
    elif column == "Nr":
        usual = st.integers(min_value=1, max_value=9).map(str)
    else:
        usual = TEXT | FORMULAS | st.sampled_from(["Duales System Pflege", "Fachkräfte gewinnen"])
    return st.one_of(*[usual] * 9, CELL)


def _rows(header):
    row = st.tuples(*(_column_cell(column) for column in header)).map(list)
    return st.tuples(st.just(header), st.lists(row, min_size=1, max_size=5))


def _read_sheet(content: bytes, name: str):
    """The sheet, or the German message the upload form must show."""
    if not content:
        return None, "Die übertragene Datei ist leer."  # Django's own check of an upload
    try:
        return read_sheet_bytes(content, name), None
    except SheetError as error:
        return None, error.render(GERMAN)


def upload(client, process, content: bytes, name: str):
    return client.post(
        reverse("processes:sheet_upload", args=[process.pk]),
        {"sheet": SimpleUploadedFile(name, content)},
    )


@fuzz("web: tally sheet upload, preview, apply", 100)
@given(
    sheet=SHEET_HEADER.flatmap(_rows),
    as_xlsx=st.booleans(),
    remove_missing=st.booleans(),
)
def test_sheet_import_through_the_web(koblenz, client_of, sheet, as_xlsx, remove_missing):
    header, rows = sheet
    name = "liste.xlsx" if as_xlsx else "liste.csv"
    content = xlsx_bytes(header, rows, []) if as_xlsx else csv_bytes(header, rows, ";", "utf-8")
    with rolled_back():
        before = database_fingerprint()
        cards_before = cards_of(koblenz)
        response = upload(client_of, koblenz, content, name)
        sheet, refusal = _read_sheet(content, name)
        if refusal is not None:
            event("sheet refused")
            assert response.status_code == 400
            assert html.escape(refusal) in response.content.decode()
            assert database_fingerprint() == before
            return
        event("sheet applied")
        assert response.status_code == 302, response.content.decode()[:2000]
        preview = client_of.get(response["Location"])
        assert preview.status_code == 200
        assert database_fingerprint() == before  # a preview changes nothing
        from klebepunkt.domain.tally_diff import CardChange
        from klebepunkt.processes.views.cards import _sheet_diff

        diff = _sheet_diff(koblenz, name, content)
        applied = client_of.post(
            response["Location"], {"remove_missing": "on"} if remove_missing else {}
        )
        assert applied.status_code == 302
        added = len(diff.of(CardChange.ADDED))
        removed = len(diff.of(CardChange.MISSING)) if remove_missing else 0
        assert cards_of(koblenz) == cards_before + added - removed
        assert len(sheet.tally.cards) >= added


def test_a_sheet_import_that_fails_half_way_changes_nothing(koblenz, client_of, monkeypatch):
    content = "Themenfeld;Handlungsempfehlung;Punkte\nKultur;Eins;1\nKultur;Zwei;2\nKultur;Drei;3\n"
    response = upload(client_of, koblenz, content.encode(), "liste.csv")
    assert response.status_code == 302
    before = database_fingerprint()
    create_card = services.create_card
    calls = []

    def failing_create_card(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise ValidationError({"text": "Die Karte kann nicht gespeichert werden."})
        return create_card(**kwargs)

    monkeypatch.setattr(imports, "create_card", failing_create_card)  # where the import finds it
    applied = client_of.post(response["Location"], follow=True)
    assert len(calls) == 3
    assert applied.status_code == 200
    page = applied.content.decode()
    assert "Nichts wurde importiert" in page
    assert "Die Karte kann nicht gespeichert werden." in page
    assert database_fingerprint() == before
    assert not koblenz.theme_fields.filter(name="Kultur").exists()


# --- the process file ----------------------------------------------------------------------------


def _at(document, path):
    for step in path:
        document = document[step]
    return document


PAYLOAD_TEXT = st.one_of(
    TEXT,
    FORMULAS,
    st.sampled_from(
        ["<script>alert(1)</script>", "x" * 199, "x" * 200, "x" * 201, "y" * 301, " ", "a\x00b"]
    ),
)


def _load_document(content: bytes):
    if not content:
        return None, "Die übertragene Datei ist leer."
    try:
        return loads(content, "verfahren.json"), None
    except DocumentError as error:
        return None, error.render(GERMAN)


def import_document(client, content: bytes):
    return client.post(
        reverse("processes:import"), {"document": SimpleUploadedFile("verfahren.json", content)}
    )


TEXT_PATHS = [path for path in PATHS if isinstance(_at(VALID, path), str)]
NUMBER_PATHS = [path for path in PATHS if type(_at(VALID, path)) is int]
MUTATION = st.one_of(
    st.tuples(st.sampled_from(PATHS), st.sampled_from(["replace", "delete"]), JSON),
    st.tuples(st.sampled_from(TEXT_PATHS), st.just("replace"), PAYLOAD_TEXT),
    st.tuples(
        st.sampled_from(NUMBER_PATHS),
        st.just("replace"),
        st.integers(min_value=-2, max_value=20) | st.integers(min_value=-(2**63), max_value=2**63),
    ),
)


@fuzz("web: process file import", 100)
@given(
    mutations=st.lists(MUTATION, max_size=3),
    raw=st.one_of(st.none(), st.none(), st.none(), st.binary(max_size=200)),
)
def test_process_file_import_through_the_web(client_of, mutations, raw):
    import copy

    document = copy.deepcopy(VALID)
    for path, action, replacement in mutations:
        try:
            document = _mutate(document, path, action, replacement)
        except (KeyError, IndexError, TypeError):
            continue
    content = raw if raw is not None else json.dumps(document).encode()
    with rolled_back():
        before = database_fingerprint()
        processes_before = models.Process.objects.count()
        response = import_document(client_of, content)
        record, refusal = _load_document(content)
        if refusal is not None:
            event("process file refused")
            assert response.status_code == 400
            assert html.escape(refusal) in response.content.decode()
            assert database_fingerprint() == before
            return
        event("process file imported")
        assert response.status_code == 302, response.content.decode()[:2000]
        assert models.Process.objects.count() == processes_before + 1
        process = models.Process.objects.latest("pk")
        assert process.title == record.title
        assert cards_of(process) == len(record.tally.cards)
        assert process.members.count() == len(record.members)


def test_a_process_import_that_fails_half_way_changes_nothing(client_of, monkeypatch):
    before = database_fingerprint()

    def failing_replace_tally(**kwargs):
        raise ValidationError("Die Karten können nicht gespeichert werden.")

    monkeypatch.setattr(imports, "replace_tally", failing_replace_tally)
    response = import_document(client_of, json.dumps(VALID).encode())
    assert response.status_code == 400
    assert "Die Karten können nicht gespeichert werden." in response.content.decode()
    assert database_fingerprint() == before


def test_removing_a_card_with_dots_of_a_round_refuses_the_whole_import(koblenz, client_of):
    from klebepunkt.voting import services as voting_services

    voting_round = voting_services.open_round(
        voting_round=voting_services.create_round(process=koblenz, title="Runde")
    )
    card = models.Card.objects.filter(theme_field__process=koblenz).exclude(text="").first()
    voting_services.place_dot(voter_id=voting_round.voters.first().pk, card_id=card.pk)
    content = "Themenfeld;Handlungsempfehlung;Punkte\nKultur;Neu;1\n"
    response = upload(client_of, koblenz, content.encode(), "liste.csv")
    before = database_fingerprint()
    applied = client_of.post(response["Location"], {"remove_missing": "on"}, follow=True)
    page = applied.content.decode()
    assert "Nichts wurde importiert" in page
    assert "Prüfprotokoll" in page
    assert database_fingerprint() == before


# --- every sheet upload against workbooks built to exhaust the server ----------------------------

SHEET_UPLOADS = {
    # route → (the form's fields besides the file, the file field, the header a sheet needs)
    "processes:sheet_upload": ({}, "sheet", HEADERS["tally"]),
    "processes:member_sheet_upload": ({}, "sheet", HEADERS["members"]),
    "monitoring:sheet_upload": ({"kind": "status"}, "sheet", HEADERS["status"]),
    "monitoring:sheet_upload (statistics)": (
        {"kind": "statistics"},
        "sheet",
        HEADERS["statistics"],
    ),
}


@fuzz("web: hostile workbooks, every sheet upload", 24)
@given(data=st.data(), route=st.sampled_from(sorted(SHEET_UPLOADS)))
def test_hostile_workbooks_are_refused_by_every_upload(koblenz, client_of, data, route):
    fields, field, header = SHEET_UPLOADS[route]
    content = data.draw(hostile_workbooks(header))
    with rolled_back():
        before = database_fingerprint()
        response = client_of.post(
            reverse(route.split(" ")[0], args=[koblenz.pk]),
            {**fields, field: SimpleUploadedFile("liste.xlsx", content)},
            HTTP_ACCEPT_LANGUAGE="de",
        )
        assert response.status_code == 400
        page = html.unescape(response.content.decode())
        assert (
            "liste.xlsx: Die Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx)." in page
            or "liste.xlsx: Die Arbeitsmappe ist zu groß" in page
        )
        assert database_fingerprint() == before
