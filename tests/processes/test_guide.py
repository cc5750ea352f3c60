"""The guide on a process's page: from an empty process step by step to the result, and the
demo's Koblenz process with every step done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from klebepunkt.processes import selectors, services
from klebepunkt.processes.guide import guide_of
from klebepunkt.processes.models import Process
from klebepunkt.voting import services as voting

pytestmark = pytest.mark.django_db


def next_step(process: Process) -> str | None:
    step = guide_of(process, selectors.evaluate_process(process)).next_step
    return step.key if step else None


def test_the_guide_leads_from_an_empty_process_to_the_result(facilitator, facilitator_client):
    process = services.create_process(title="Neu", user=facilitator)
    page = facilitator_client.get(reverse("processes:detail", args=[process.pk])).content.decode()
    assert "Nächster Schritt: Mitglieder" in page
    assert reverse("processes:member_add", args=[process.pk]) in page
    assert next_step(process) == "members"

    group = services.create_stakeholder_group(process=process, name="Politik")
    services.create_member(process=process, name="A", stakeholder_group=group)
    services.create_member(process=process, name="B", stakeholder_group=group)
    assert next_step(process) == "meeting"
    services.save_meeting(meeting=process.meetings.model(process=process, date=dt.date(2027, 3, 1)))
    assert next_step(process) == "cards"
    page = facilitator_client.get(reverse("processes:detail", args=[process.pk])).content.decode()
    assert "Themenfeld hinzufügen" in page  # no theme field yet: that comes first
    field = services.create_theme_field(process=process, name="Pflege")
    card = services.create_card(
        theme_field=field, fields=services.CardFields(text="Mehr Pflegeplätze")
    )
    other = services.create_card(
        theme_field=field, fields=services.CardFields(text="Pflegestützpunkt")
    )
    assert next_step(process) == "round"

    voting_round = voting.create_round(process=process, title="Punktabfrage")
    page = facilitator_client.get(reverse("processes:detail", args=[process.pk])).content.decode()
    assert "Eine Runde ist vorbereitet" in page
    voting.open_round(voting_round=voting_round)
    assert next_step(process) == "round"
    voter = voting_round.voters.first()
    for _ in range(3):
        voting.place_dot(voter_id=voter.pk, card_id=card.pk)
    voting.place_dot(voter_id=voter.pk, card_id=other.pk)
    voting.close_round(voting_round=voting_round)
    voting.reveal_round(voting_round=voting_round)
    assert next_step(process) == "board"

    goal = services.create_goal(theme_field=field, text="Gute Pflege")
    services.assign_card(card=card, goal=goal)
    assert next_step(process) == "board"  # one card with dots still without a goal
    services.assign_card(card=other, goal=services.create_goal(theme_field=field, text="Beratung"))
    assert next_step(process) is None  # "Gute Pflege" has 3 points: a priority
    page = facilitator_client.get(reverse("processes:detail", args=[process.pk])).content.decode()
    assert "Alle Schritte sind erledigt" in page


def test_the_demos_koblenz_process_shows_every_step_done(tmp_path, client):
    from klebepunkt.web import server

    user, password, pk = server.ensure_demo(tmp_path)
    assert client.login(username=user, password=password)
    page = client.get(reverse("processes:detail", args=[pk])).content.decode()
    assert page.count("✓ erledigt") == 6
    assert "Nächster Schritt" not in page
    assert "Alle Schritte sind erledigt" in page
