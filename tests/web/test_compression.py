"""The big pages of a process are compressed for a client that accepts gzip, and nothing else is
(web/compression.py): BREACH needs a secret next to the compressed text, so no compressed answer
may hold a voting code, a meeting code or a token, whoever asks for whichever route."""

from __future__ import annotations

import copy
import gzip
import re

import pytest
from django.test import Client
from django.urls import reverse

from klebepunkt.collection.models import Collection, Participant
from klebepunkt.processes import models
from klebepunkt.voting.codes import format_code
from klebepunkt.voting.models import Voter, VotingRound
from klebepunkt.web.compression import COMPRESSED_VIEWS
from tests.security.database import rolled_back
from tests.security.world import ANONYMOUS, FACILITATOR, OBSERVER, VOTER, build_world, url_for
from tests.urlconf import routes

pytestmark = pytest.mark.django_db

ACCEPTS = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}  # as Chromium asks
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*"')


def _plain(response) -> bytes:
    """The answer's body as the browser shows it, the per-answer CSRF tokens blanked."""
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return TOKEN.sub(rb'\1"', body)


def _secrets() -> set[bytes]:
    """Every code and token in the database, as stored and as a page shows it."""
    found: set[str] = set()
    for code in Voter.objects.values_list("code", flat=True):
        found |= {code, format_code(code)}
    for code in Participant.objects.values_list("code", flat=True):
        found |= {code, format_code(code)}
    for short_code, token in VotingRound.objects.values_list("short_code", "projector_token"):
        found |= {short_code, token}
    for short_code, token in Collection.objects.values_list("short_code", "wall_token"):
        found |= {short_code, token}
    return {secret.encode() for secret in found if len(secret) >= 6}


def test_the_big_pages_are_compressed_and_show_the_same(koblenz, facilitator_client):
    field = koblenz.theme_fields.order_by("position").first()
    koblenz.is_public = True
    koblenz.save()
    pages = {
        "processes:cards": reverse("processes:cards", args=[koblenz.pk]),
        "processes:board": f"{reverse('processes:board', args=[koblenz.pk])}?field={field.pk}",
        "processes:result": reverse("processes:result", args=[koblenz.pk]),
        "monitoring:archive": f"{reverse('monitoring:archive')}?q=Pflegekonfernz",
        "monitoring:public": reverse("monitoring:public", args=[koblenz.pk]),
    }
    for name, url in pages.items():
        plain = facilitator_client.get(url)
        packed = facilitator_client.get(url, **ACCEPTS)
        assert plain.status_code == packed.status_code == 200, name
        assert "Content-Encoding" not in plain, name
        assert packed["Content-Encoding"] == "gzip", name
        assert "Accept-Encoding" in packed["Vary"], name
        # (Django pads each by up to 100 random bytes: a small page shrinks to less than half)
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2, name
        assert _plain(packed) == _plain(plain), name


def test_a_move_on_the_board_answers_with_the_compressed_board(koblenz, facilitator_client):
    card = models.Card.objects.filter(theme_field__process=koblenz, goal__isnull=False).first()
    other = card.theme_field.goals.exclude(pk=card.goal_id).first()
    response = facilitator_client.post(
        reverse("processes:board_assign", args=[koblenz.pk]),
        {"card": str(card.pk), "goal": str(other.pk)},
        HTTP_HX_REQUEST="true",
        **ACCEPTS,
    )
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    board = gzip.decompress(response.content).decode()
    assert f'id="card-{card.pk}"' in board and "zugeordnet" in board
    card.refresh_from_db()
    assert card.goal == other


def test_the_same_page_twice_differs_in_length():
    """Django pads each compressed answer by a random length (Heal the BREACH): a page asked for
    again, unchanged, does not come back at the same length every time."""
    world = build_world()
    url = reverse("processes:result", args=[world.process.pk])
    lengths = {len(world.clients[FACILITATOR].get(url, **ACCEPTS).content) for _ in range(12)}
    assert len(lengths) > 1


@pytest.mark.parametrize("role", [FACILITATOR, OBSERVER, VOTER, ANONYMOUS])
def test_only_the_listed_views_are_compressed_and_none_holds_a_code(role):
    world = build_world()
    world.process.is_public = True
    world.process.save()
    secrets = _secrets()
    assert len(secrets) > 10  # the world's voters, participants, round and collection
    client: Client = world.clients[role]
    compressed, problems = set(), []
    for route in routes():
        url = url_for(route, world)
        cookies = copy.deepcopy(client.cookies)
        with rolled_back():
            try:
                response = client.get(url, **ACCEPTS)
            finally:
                client.cookies = cookies
        if response.get("Content-Encoding") != "gzip":
            continue
        compressed.add(route.name)
        if route.name not in COMPRESSED_VIEWS:
            problems.append(f"{route.name}: compressed, but not in COMPRESSED_VIEWS")
        body = gzip.decompress(response.content)
        problems += [f"{route.name}: holds {secret!r}" for secret in secrets if secret in body]
    assert not problems, "\n".join(problems)
    # the facilitator reaches every listed page that answers a GET (the goal actions are POSTs)
    if role == FACILITATOR:
        assert compressed == {
            name for name in COMPRESSED_VIEWS if "goal_" not in name and "assign" not in name
        }
    if role == ANONYMOUS:
        assert compressed == {"monitoring:public"}
