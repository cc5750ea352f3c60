"""The facilitator's pages through the test client: what they show and what they write."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klebepunkt.processes import models, selectors
from klebepunkt.samples import load_sample
from klebepunkt.sheets import write_sheet

pytestmark = pytest.mark.django_db

LOST_CARD = "Eine integrierte Kinderbetreuung bei Sprachbildung wird sichergestellt."


def test_create_process(facilitator_client, facilitator):
    response = facilitator_client.post(
        reverse("processes:create"), {"title": "AG Sozialplanung 2026"}
    )
    process = models.Process.objects.get(title="AG Sozialplanung 2026")
    assert response["Location"] == reverse("processes:detail", args=[process.pk])
    assert process.roles.get().user == facilitator
    assert (process.dots_per_voter, process.goal_threshold, process.cap_per_card) == (8, 3, None)


def test_result_page_shows_priorities_and_topic_store(
    koblenz, facilitator_client, koblenz_expected
):
    page = facilitator_client.get(reverse("processes:result", args=[koblenz.pk])).content.decode()
    for _field, goal, _points in koblenz_expected["teil_ii"]:
        assert goal.replace('"', "&quot;") in page
    assert LOST_CARD in page
    assert "Themenspeicher (51)" in page


def test_topic_store_search_over_every_text_field(koblenz, facilitator_client):
    url = reverse("processes:result", args=[koblenz.pk])
    page = facilitator_client.get(
        url, {"q": "pflegekonferenz"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Die Regionale Pflegekonferenz stärken" in page  # text
    assert "Kultursensible Pflege" in page  # found through its indicator
    assert "Duales System Pflege" not in page
    by_goal = facilitator_client.get(
        url, {"q": "Wohnunglose"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "wohnungslose Frauen" in by_goal  # found through its goal


@pytest.mark.parametrize("htmx", [True, False], ids=["live search", "full page"])
def test_topic_store_search_on_the_result_page_forgives_a_typo(koblenz, facilitator_client, htmx):
    """The same typo-tolerant search as the archive: "Pflegekonfernz" finds the card.

    The sample itself misspells "Pflegekonfernz" in two indicators, which a plain substring
    search would find by accident; they are spelt right here first."""
    models.Card.objects.filter(
        theme_field__process=koblenz, indicator__contains="Pflegekonfernz"
    ).update(
        indicator="Das Thema findet sich auf der Tagesordnung der Regionalen Pflegekonferenz wieder."
    )
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    page = facilitator_client.get(
        reverse("processes:result", args=[koblenz.pk]), {"q": "Pflegekonfernz"}, **headers
    ).content.decode()
    assert "Die Regionale Pflegekonferenz stärken" in page
    assert "Duales System Pflege" not in page


def test_topic_store_reason_is_worded_with_the_goals_points(koblenz, facilitator_client):
    page = facilitator_client.get(reverse("processes:result", args=[koblenz.pk])).content.decode()
    assert "kein Punkt" in page
    assert f"von {koblenz.goal_threshold})" in page


def test_rules_form_rejects_cap_above_budget(koblenz, facilitator_client):
    response = facilitator_client.post(
        reverse("processes:settings", args=[koblenz.pk]),
        {
            "title": koblenz.title,
            "dots_per_voter": 8,
            "cap_per_card": 9,
            "goal_threshold": 3,
            "aggregation": "sum",
        },
    )
    assert response.status_code == 200
    assert "Obergrenze" in response.content.decode()
    koblenz.refresh_from_db()
    assert koblenz.cap_per_card is None


def test_threshold_change_changes_the_result(koblenz, facilitator_client):
    facilitator_client.post(
        reverse("processes:settings", args=[koblenz.pk]),
        {"title": koblenz.title, "dots_per_voter": 8, "goal_threshold": 2, "aggregation": "sum"},
    )
    koblenz.refresh_from_db()
    assert len(selectors.evaluate_process(koblenz).priorities) == 10


def test_board_assign_by_select_box_with_htmx(koblenz, facilitator_client):
    card = models.Card.objects.get(theme_field__process=koblenz, text="Wohnraum für Studierende")
    target = models.Goal.objects.get(theme_field=card.theme_field, nr="2")
    response = facilitator_client.post(
        reverse("processes:board_assign", args=[koblenz.pk]),
        {"card": card.pk, "goal": target.pk},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="board"')
    assert "Wohnumfeld-/Sozialraumverbesserung" in page
    points = {g.goal.text: g.points for g in selectors.evaluate_process(koblenz).goals}
    assert points["In Koblenz wird genügend Wohnraum zur Verfügung gestellt"] == 6
    assert points["Wohnumfeld-/Sozialraumverbesserung"] == 2


def test_board_new_goal_from_a_card(koblenz, facilitator_client):
    card = models.Card.objects.get(theme_field__process=koblenz, text="Duales System Pflege")
    facilitator_client.post(
        reverse("processes:board_assign", args=[koblenz.pk]),
        {"card": card.pk, "goal": "new", "new_goal": "Ausbildung"},
    )
    card.refresh_from_db()
    assert card.goal.text == "Ausbildung"


def test_sheet_import_preview_then_apply(koblenz, facilitator_client, tmp_path):
    content = "Themenfeld;Handlungsempfehlung;Punkte\nPflege;Duales System Pflege;2\nKultur;Theater;1\n".encode(
        "cp1252"
    )
    upload = SimpleUploadedFile("nachtrag.csv", content, content_type="text/csv")
    response = facilitator_client.post(
        reverse("processes:sheet_upload", args=[koblenz.pk]), {"sheet": upload}
    )
    assert response["Location"] == reverse("processes:sheet_preview", args=[koblenz.pk])
    preview = facilitator_client.get(response["Location"]).content.decode()
    assert "Theater" in preview
    assert "Kultur" in preview
    assert not koblenz.theme_fields.filter(name="Kultur").exists()  # nothing written by the preview
    facilitator_client.post(response["Location"], {})
    assert koblenz.theme_fields.filter(name="Kultur").exists()
    assert (
        models.Card.objects.get(theme_field__process=koblenz, text="Duales System Pflege").dots == 2
    )


def test_sheet_import_error_names_file_row_and_column(koblenz, facilitator_client):
    upload = SimpleUploadedFile(
        "kaputt.csv", b"Themenfeld;Handlungsempfehlung;Punkte\nPflege;X;-3\n"
    )
    before = models.Card.objects.filter(theme_field__process=koblenz).count()
    response = facilitator_client.post(
        reverse("processes:sheet_upload", args=[koblenz.pk]), {"sheet": upload}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "kaputt.csv, Zeile 2, Spalte „Punkte“ (C)" in page
    assert models.Card.objects.filter(theme_field__process=koblenz).count() == before


def test_sheet_import_cancel_changes_nothing(koblenz, facilitator_client):
    upload = SimpleUploadedFile(
        "x.csv", b"Themenfeld;Handlungsempfehlung;Punkte\nKultur;Theater;1\n"
    )
    facilitator_client.post(reverse("processes:sheet_upload", args=[koblenz.pk]), {"sheet": upload})
    facilitator_client.post(reverse("processes:sheet_preview", args=[koblenz.pk]), {"cancel": "1"})
    assert not koblenz.theme_fields.filter(name="Kultur").exists()


def test_koblenz_xlsx_into_an_empty_process_reproduces_the_seed(
    facilitator_client, tmp_path, koblenz_expected
):
    path = tmp_path / "koblenz.xlsx"
    write_sheet(load_sample("koblenz-2017").tally, path)
    facilitator_client.post(reverse("processes:create"), {"title": "Koblenz aus Excel"})
    process = models.Process.objects.get(title="Koblenz aus Excel")
    upload = SimpleUploadedFile("koblenz.xlsx", path.read_bytes())
    facilitator_client.post(reverse("processes:sheet_upload", args=[process.pk]), {"sheet": upload})
    facilitator_client.post(reverse("processes:sheet_preview", args=[process.pk]), {})
    result = selectors.evaluate_process(process)
    assert [[g.theme_field, g.goal.text, g.points] for g in result.priorities] == koblenz_expected[
        "teil_ii"
    ]
    assert len(result.topic_store) == 51


@pytest.mark.parametrize("fmt", ["md", "csv", "xlsx", "json", "pdf", "docx"])
def test_report_downloads(koblenz, facilitator_client, fmt):
    response = facilitator_client.get(reverse("processes:export_report", args=[koblenz.pk, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    if fmt == "json":
        assert json.loads(body)["total_dots"] == 47
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
        assert sum(1 for row in rows if row[0] == "Themenspeicher") == 51
    elif fmt == "xlsx":
        assert "Prioritäten" in openpyxl.load_workbook(io.BytesIO(body)).sheetnames
    elif fmt == "pdf":
        assert body.startswith(b"%PDF")
    elif fmt == "docx":
        import docx

        text = "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
        assert "Teil II" in text
    else:
        assert "Teil II" in body.decode()
        assert "Zusammensetzung" in body.decode()


def test_members_page_shows_composition(koblenz, facilitator_client):
    page = facilitator_client.get(reverse("processes:members", args=[koblenz.pk])).content.decode()
    assert "9 Personen aus der Mitte des Sozialausschusses" in page
    assert "Seniorenbeirat" in page


def test_english_interface(koblenz, facilitator_client):
    facilitator_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = facilitator_client.get(reverse("processes:result", args=[koblenz.pk])).content.decode()
    assert "Topic store" in page
    assert '<html lang="en">' in page


def test_result_page_explains_the_outcome(koblenz, facilitator_client):
    page = facilitator_client.get(reverse("processes:result", args=[koblenz.pk])).content.decode()
    assert "Wie knapp war es" in page
    assert "1 Punkt fehlt bis zur Schwelle" in page  # e.g. the goals with 2 points
    assert "fiele mit 1 Punkt weniger unter die Schwelle" in page  # the goals with exactly 3
    assert (
        LOST_CARD in page.split("Wo die vorliegende Tabelle")[1]
    )  # the card the seed's table lost
    assert "Soziale Belastung" in page.split("Wo die vorliegende Tabelle")[1]  # goal number 2 twice
    assert "einzelnen Punkten einer Abstimmungsrunde" in page  # no ballots yet


def test_result_page_shows_support_from_a_voting_round(koblenz_blank, facilitator_client):
    from klebepunkt.voting import services as voting

    voting_round = voting.open_round(
        voting_round=voting.create_round(process=koblenz_blank, title="R")
    )
    card = models.Card.objects.get(
        theme_field__process=koblenz_blank, text="Wohnraum für Studierende"
    )
    voter = voting_round.voters.first()
    for _ in range(3):
        voting.place_dot(voter_id=voter.pk, card_id=card.pk)
    voting.close_round(voting_round=voting_round)
    voting.reveal_round(voting_round=voting_round)
    page = facilitator_client.get(
        reverse("processes:result", args=[koblenz_blank.pk])
    ).content.decode()
    assert "von einer einzigen Person getragen" in page
    assert "ändert sich, wäre eine bestimmte Person ferngeblieben" in page
    assert "Politik: 3 Punkte" in page
    report = facilitator_client.get(
        reverse("processes:export_report", args=[koblenz_blank.pk, "json"])
    ).json()
    assert report["total_dots"] == 3
    # The report's explanation carries the same support and stability as the page.
    explanation = report["explanation"]
    assert explanation["support_available"] is True
    (carried,) = [goal for goal in explanation["goals"] if goal["supporters"]]
    assert carried["goal"] == card.goal.text
    assert (carried["points"], carried["single_supporter"], carried["changes_without"]) == (
        3,
        True,
        1,
    )
    assert [row["dots_by_group"] for row in explanation["support"] if row["supporters"]] == [
        {"Politik": 3}
    ]


def test_board_suggests_a_goal_for_an_unclustered_card(koblenz, facilitator_client):
    card = models.Card.objects.get(
        theme_field__process=koblenz, text="Die Regionale Pflegekonferenz stärken"
    )
    card.goal = None
    card.save()
    models.Card.objects.create(
        theme_field=card.theme_field, text="Regionale Pflegekonferenzen stärken", dots=1
    )
    page = facilitator_client.get(
        reverse("processes:board", args=[koblenz.pk]), {"field": card.theme_field_id}
    ).content.decode()
    assert "Vorschlag" in page
    assert "Vorschlag übernehmen" in page


def test_similar_cards_while_typing(koblenz, facilitator_client):
    wohnen = koblenz.theme_fields.get(name="Wohnen")
    fragment = facilitator_client.get(
        reverse("processes:card_similar", args=[koblenz.pk]),
        {"text": "Urban-Gardening-Projekte unterstützen", "theme_field": wohnen.pk},
    ).content.decode()
    assert "Urban Gardening-Projekte werden unterstützt" in fragment
    assert "Wohnumfeld-/Sozialraumverbesserung" in fragment


def test_cards_page_lists_possible_duplicates(koblenz, facilitator_client):
    wohnen = koblenz.theme_fields.get(name="Wohnen")
    models.Card.objects.create(
        theme_field=wohnen, text="Urban Gardening-Projekte werden unterstützt"
    )
    page = facilitator_client.get(reverse("processes:cards", args=[koblenz.pk])).content.decode()
    assert "Mögliche Doppelungen" in page
