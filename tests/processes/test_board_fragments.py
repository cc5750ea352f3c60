"""The board's goals and cards are rendered once per content (processes/fragments.py): a
changed goal or card shows at once, and every form carries the requesting session's own
CSRF token, never another's or the placeholder."""

from __future__ import annotations

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from klebepunkt.processes import fragments, models, services
from klebepunkt.processes.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def _board(client: Client, process: models.Process, field: models.ThemeField) -> str:
    url = reverse("processes:board", args=[process.pk])
    return client.get(url, {"field": field.pk}).content.decode()


def test_a_renamed_goal_and_a_moved_card_show_at_once(koblenz, facilitator_client):
    field = koblenz.theme_fields.order_by("position").first()
    goal = field.goals.order_by("position", "id").first()
    assert goal.text in _board(facilitator_client, koblenz, field)
    services.update_goal(goal=goal, text="Ein ganz neuer Zielname", nr=goal.nr)
    renamed = _board(facilitator_client, koblenz, field)
    assert "Ein ganz neuer Zielname" in renamed
    card = models.Card.objects.filter(goal=goal).first()
    other = field.goals.exclude(pk=goal.pk).first()
    services.assign_card(card=card, goal=other)
    moved = _board(facilitator_client, koblenz, field)
    article = re.search(
        rf'<article class="goal" data-drop-goal="{other.pk}".*?</article>', moved, re.S
    )
    assert article is not None and f'id="card-{card.pk}"' in article.group(0)


def test_every_form_carries_the_sessions_own_token(koblenz, facilitator, facilitator_client):
    field = koblenz.theme_fields.order_by("position").first()
    second = UserFactory(username="zweite")
    services.grant_role(process=koblenz, user=second, role=Role.FACILITATOR, by=None)
    other_client = Client()
    other_client.force_login(second)
    for client in (facilitator_client, other_client):
        page = _board(client, koblenz, field)
        tokens = TOKEN.findall(page)
        assert len(tokens) > 10 and "kp-csrf-" not in page
        secret = client.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert len(fragments.store) > 0


def test_the_store_keeps_within_its_budget():
    store = fragments.FragmentStore(budget=10)
    store.put("a", "12345")
    store.put("b", "12345")
    assert store.get("a") == "12345"  # a is now the most recently used
    store.put("c", "123")
    assert store.get("b") is None and store.get("a") == "12345" and store.get("c") == "123"
