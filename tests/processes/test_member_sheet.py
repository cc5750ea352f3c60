"""Members from a sheet through the web: paste or upload, preview, apply (all or nothing)."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klebepunkt.processes import models
from klebepunkt.processes.services import members as member_services
from tests.security.database import database_fingerprint

pytestmark = pytest.mark.django_db

PASTED = (
    "Name\tBereich\tStimmberechtigt\tKontakt\r\n"
    "Anna Schmidt\tPolitik\t\tanna@example.org\r\n"
    "Bernd Weber\tVerwaltung\t\t\r\n"
    "Cem Aydin\tSeniorenbeirat\tja\t\r\n"
)


def upload_url(process) -> str:
    return reverse("processes:member_sheet_upload", args=[process.pk])


def preview_url(process) -> str:
    return reverse("processes:member_sheet_preview", args=[process.pk])


def test_pasted_members_are_previewed_then_added_with_their_groups(koblenz, facilitator_client):
    members_before = koblenz.members.count()
    response = facilitator_client.post(upload_url(koblenz), {"pasted": PASTED})
    assert response.status_code == 302
    assert response["Location"] == preview_url(koblenz)
    before = database_fingerprint()
    page = facilitator_client.get(preview_url(koblenz)).content.decode()
    assert database_fingerprint() == before  # a preview saves nothing
    assert "Anna Schmidt" in page and "Seniorenbeirat" in page
    assert "1 neuer Bereich" in page
    applied = facilitator_client.post(preview_url(koblenz), follow=True)
    assert "Mitglieder importiert: 3 hinzugefügt; neue Bereiche: 1." in applied.content.decode()
    assert koblenz.members.count() == members_before + 3
    added = {m.name: m for m in koblenz.members.select_related("stakeholder_group")}
    assert added["Anna Schmidt"].voting is True  # Politik votes
    assert added["Anna Schmidt"].contact == "anna@example.org"
    assert added["Bernd Weber"].voting is False  # the administration does not
    assert added["Cem Aydin"].stakeholder_group.name == "Seniorenbeirat"
    assert koblenz.stakeholder_groups.get(name="Seniorenbeirat").voting is True


def test_an_uploaded_workbook_is_read_like_pasted_cells(koblenz, facilitator_client):
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Bereich"])
    workbook.active.append(["Dora Klein", "Freie Träger"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = facilitator_client.post(
        upload_url(koblenz), {"sheet": SimpleUploadedFile("mitglieder.xlsx", buffer.getvalue())}
    )
    assert response.status_code == 302
    facilitator_client.post(preview_url(koblenz))
    assert koblenz.members.get(name="Dora Klein").stakeholder_group.name == "Freie Träger"


def test_a_bad_row_is_shown_in_german_with_file_row_and_column_and_nothing_is_saved(
    koblenz, facilitator_client
):
    before = database_fingerprint()
    content = b"Name;Bereich\nAnna;Politik\nBernd;Freie Traeger\n"
    response = facilitator_client.post(
        upload_url(koblenz), {"sheet": SimpleUploadedFile("liste.csv", content)}
    )
    assert response.status_code == 400
    assert (
        html.escape(
            "liste.csv, Zeile 3, Spalte „Bereich“ (B): Es gibt keinen Bereich „Freie Traeger“. "
            "Meinten Sie „Freie Träger“?"
        )
        in response.content.decode()
    )
    assert database_fingerprint() == before


def test_pasted_cells_are_named_as_the_pasted_table(koblenz, facilitator_client):
    response = facilitator_client.post(
        upload_url(koblenz), {"pasted": "Name\tBereich\n\tPolitik\n"}
    )
    assert response.status_code == 400
    assert "eingefügte Tabelle, Zeile 2, Spalte „Name“ (A): Diese Zeile hat keinen Namen." in (
        html.unescape(response.content.decode())
    )


def test_neither_or_both_inputs_are_refused(koblenz, facilitator_client):
    empty = facilitator_client.post(upload_url(koblenz), {"pasted": "  "})
    assert empty.status_code == 400
    assert "Bitte fügen Sie die Tabelle aus Excel ein oder wählen Sie eine Datei." in (
        empty.content.decode()
    )
    both = facilitator_client.post(
        upload_url(koblenz),
        {"pasted": PASTED, "sheet": SimpleUploadedFile("liste.csv", b"Name;Bereich\nA;Politik\n")},
    )
    assert both.status_code == 400


def test_an_import_that_fails_half_way_changes_nothing(koblenz, facilitator_client, monkeypatch):
    facilitator_client.post(upload_url(koblenz), {"pasted": PASTED})
    before = database_fingerprint()
    create_member = member_services.create_member
    calls = []

    def failing_create_member(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise ValidationError({"name": "Das Mitglied kann nicht gespeichert werden."})
        return create_member(**kwargs)

    # patched where import_members looks it up
    monkeypatch.setattr(member_services, "create_member", failing_create_member)
    applied = facilitator_client.post(preview_url(koblenz), follow=True)
    assert len(calls) == 3
    page = applied.content.decode()
    assert "Nichts wurde importiert" in page
    assert "Das Mitglied kann nicht gespeichert werden." in page
    assert database_fingerprint() == before
    assert not koblenz.stakeholder_groups.filter(name="Seniorenbeirat").exists()


def test_cancel_changes_nothing(koblenz, facilitator_client):
    facilitator_client.post(upload_url(koblenz), {"pasted": PASTED})
    before = database_fingerprint()
    response = facilitator_client.post(preview_url(koblenz), {"cancel": "1"})
    assert response.status_code == 302
    assert database_fingerprint() == before


def test_the_same_list_twice_adds_nobody_the_second_time(koblenz, facilitator_client):
    for _ in range(2):
        facilitator_client.post(upload_url(koblenz), {"pasted": PASTED})
        facilitator_client.post(preview_url(koblenz))
    assert models.Member.objects.filter(process=koblenz, name="Anna Schmidt").count() == 1


def test_the_members_page_links_to_the_import(koblenz, facilitator_client):
    page = facilitator_client.get(reverse("processes:members", args=[koblenz.pk]))
    assert upload_url(koblenz) in page.content.decode()
