"""Many requests at once against the real server (2 gunicorn processes): budget and cap hold.

Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL. 50 client threads hammer
one voter's budget and one card's cap with dots placed and taken back; afterwards the
database never holds more than the budget or the cap, the audit log and the tally
agree, and no request failed with a server error.
"""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest

from klebepunkt.bench.http import Client
from klebepunkt.processes.models import Card
from klebepunkt.voting import selectors, services
from klebepunkt.voting.models import Ballot, Voter
from tests.server import running_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CLIENTS = 50
CLICKS_PER_CLIENT = 12


@pytest.fixture
def hammered_round(koblenz_blank):
    voting_round = services.create_round(process=koblenz_blank, title="Last", cap_per_card=3)
    return services.open_round(voting_round=voting_round)


def hammer(base: str, codes: list[str], cards: list[int], seed: int) -> Counter:
    statuses: Counter = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(CLIENTS)

    def run(index: int) -> None:
        generator = random.Random(seed + index)
        client = Client(base)
        try:
            client.join(codes[index % len(codes)])
            barrier.wait(timeout=60)
            for _ in range(CLICKS_PER_CLIENT):
                action = "add" if generator.random() < 0.75 else "remove"
                response = client.click(generator.choice(cards), action)
                with lock:
                    statuses[response.status] += 1
        except Exception as error:
            with lock:
                statuses[f"exception {error.__class__.__name__}: {error}"] += 1
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return statuses


def test_one_voters_budget_and_one_cards_cap_hold_under_50_concurrent_clients(
    hammered_round, tmp_path
):
    voter = hammered_round.voters.order_by("id").first()
    cards = list(
        Card.objects.filter(theme_field__process=hammered_round.process)
        .order_by("id")
        .values_list("id", flat=True)[:4]
    )
    with running_server(tmp_path, workers=2) as (base, _process):
        statuses = hammer(base, [voter.code], cards, seed=1)  # every client is the same voter
    assert set(statuses) == {200}, statuses
    assert sum(statuses.values()) == CLIENTS * CLICKS_PER_CLIENT
    voter.refresh_from_db()
    assert voter.used <= 8
    held = dict(Ballot.objects.filter(voter=voter).values_list("card_id", "dots"))
    assert sum(held.values()) == voter.used
    assert all(dots <= 3 for dots in held.values()), held
    assert selectors.verify_round(hammered_round) == []


def test_many_voters_at_once_never_overdraw(hammered_round, tmp_path):
    voters = list(hammered_round.voters.order_by("id"))
    cards = list(
        Card.objects.filter(theme_field__process=hammered_round.process)
        .order_by("id")
        .values_list("id", flat=True)[:3]
    )
    with running_server(tmp_path, workers=2) as (base, _process):
        statuses = hammer(base, [v.code for v in voters], cards, seed=2)
    assert set(statuses) == {200}, statuses
    for voter in Voter.objects.filter(voting_round=hammered_round):
        held = list(Ballot.objects.filter(voter=voter).values_list("dots", flat=True))
        assert voter.used <= voter.budget
        assert sum(held) == voter.used
        assert all(dots <= 3 for dots in held)
    assert selectors.verify_round(hammered_round) == []
    assert hammered_round.events.count() > 0
