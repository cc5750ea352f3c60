"""The clustering wall: its presenter takes points and priority from the domain, and a process
with a thousand cards shows the cards without a goal a page at a time."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.urls import reverse

from klebepunkt.processes import models, selectors, services
from klebepunkt.processes.board import PAGE_SIZE, board_of

pytestmark = pytest.mark.django_db


def test_the_board_shows_what_the_evaluation_says(koblenz):
    evaluation = selectors.evaluate_process(koblenz)
    expected = {
        int(result.goal.id): (result.points, result.is_priority)
        for result in evaluation.goals
        if result.clustered
    }
    for field in koblenz.theme_fields.all():
        board = board_of(koblenz, field.pk)
        for goal in board.goals:
            assert (goal.points, goal.is_priority) == expected.get(goal.pk, (0, False))
    assert (
        sum(
            goal.is_priority
            for f in koblenz.theme_fields.all()
            for goal in board_of(koblenz, f.pk).goals
        )
        == 7
    )


def test_best_card_aggregation_shows_on_the_board(koblenz):
    settings = replace(services.ProcessSettings.of(koblenz), aggregation="best_card")
    koblenz = services.update_process(process=koblenz, settings=settings, by=None)
    pflege = koblenz.theme_fields.get(name="Pflege")
    first = board_of(koblenz, pflege.pk).goals[0]
    assert first.points == max(card.dots for card in first.cards)


@pytest.fixture
def thousand_cards(facilitator):
    process = services.create_process(title="Groß", user=facilitator, theme_fields=["Alles"])
    field = process.theme_fields.get()
    services.create_goal(theme_field=field, text="Ein Ziel")
    models.Card.objects.bulk_create(
        models.Card(theme_field=field, text=f"Karte {n:04d}", dots=1 + n % 3, position=n)
        for n in range(1000)
    )
    return process


def test_a_thousand_cards_are_shown_a_page_at_a_time(
    thousand_cards, facilitator_client, django_assert_max_num_queries
):
    url = reverse("processes:board", args=[thousand_cards.pk])
    with django_assert_max_num_queries(25):
        page = facilitator_client.get(url).content.decode()
    assert "Karten ohne Ziel (1000)" in page
    assert len(re.findall(r'<select id="goal-for-', page)) == PAGE_SIZE
    assert "Karte 0000" in page and f"Karte {PAGE_SIZE:04d}" not in page
    assert "Seite 1 von 40" in page
    last = facilitator_client.get(url, {"page": 40}).content.decode()
    assert "Karte 0999" in last and "Karte 0000" not in last
    assert "Seite 40 von 40" in last
    beyond = facilitator_client.get(url, {"page": 99}).content.decode()
    assert "Seite 40 von 40" in beyond


def test_a_move_answers_with_the_same_page_and_the_new_sum(thousand_cards, facilitator_client):
    card = models.Card.objects.get(text="Karte 0030")  # on page 2
    goal = models.Goal.objects.get(text="Ein Ziel")
    fragment = facilitator_client.post(
        reverse("processes:board_assign", args=[thousand_cards.pk]),
        {"card": card.pk, "goal": goal.pk, "page": "2"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Seite 2 von 40" in fragment
    assert "Karten ohne Ziel (999)" in fragment
    assert f"{card.dots} Punkt" in fragment
    assert "Karte 0031" in fragment  # the rest of page 2


def test_the_pager_answers_htmx_with_the_wall_and_history_with_the_page(
    thousand_cards, facilitator_client
):
    url = reverse("processes:board", args=[thousand_cards.pk])
    wall = facilitator_client.get(url, {"page": 2}, HTTP_HX_REQUEST="true")
    assert wall.content.decode().lstrip().startswith('<div id="board"')
    assert "HX-Request" in wall["Vary"]
    restored = facilitator_client.get(
        url, {"page": 2}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    ).content.decode()
    assert "<html" in restored and "Seite 2 von 40" in restored
    assert 'hx-push-url="true"' in restored
