"""Nothing lost, nothing invented: SIGKILL the production server mid-round, restart, count.

The voting test runs 20 voters (one client thread each, one click at a time) against
``klebepunkt serve`` with 2 gunicorn workers, kills the whole process group with SIGKILL
right after a random number of answers while the other clicks are in flight, restarts
the server on the same database and does it again. After each kill every voter's audit
chain in the database must be exactly the clicks answered with success, plus at most the
one click that had no answer (it may or may not have committed); a refused click and a
click never sent must not be there. Finally the restarted server shows every voter the
dots they hold, takes more clicks, and ``verify_round`` finds the tally and the chains
consistent.

Runs on SQLite (WAL, ``synchronous=FULL``) and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import re
import signal
import threading
import time

import pytest
from django.db import connection

from klebepunkt.bench.http import Client
from klebepunkt.bench.overdrafts import count_overdrafts
from klebepunkt.voting import selectors
from klebepunkt.voting.models import Ballot, DotEvent
from tests.reliability.conftest import (
    VOTERS,
    database_url_of_the_killed,
    wait_until_database_is_ours,
    wait_until_gone,
)
from tests.reliability.voting_load import (
    IN_FLIGHT,
    LoadRun,
    VoterPlan,
    expected_chain,
    join_all,
    run_load,
)
from tests.server import running_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

KILLS = 3  # kill and restart this many times in one test
CLICKS_PER_VOTER = 40  # at most, per voter and run: 800 clicks, the kill comes before the end


def chains_in_database(voter_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    chains: dict[int, list[tuple[int, int]]] = {voter_id: [] for voter_id in voter_ids}
    for voter_id, card_id, delta in (
        DotEvent.objects.filter(voter_id__in=voter_ids)
        .order_by("voter_id", "sequence")
        .values_list("voter_id", "card_id", "delta")
    ):
        chains[voter_id].append((card_id, delta))
    return chains


def check_chains(
    plans: list[VoterPlan], confirmed: dict[int, list[tuple[int, int]]]
) -> dict[str, int]:
    """Every voter's chain is what was confirmed before, plus the clicks answered with success
    since, plus at most the click in flight. Updates ``confirmed``; counts what happened."""
    found = chains_in_database([plan.voter_id for plan in plans])
    counts = {"answered": 0, "succeeded": 0, "refused": 0, "in_flight": 0, "in_flight_kept": 0}
    for plan in plans:
        outcomes = [click.outcome for click in plan.clicks]
        assert not [o for o in outcomes if o.startswith("unexpected")], (plan.voter_id, outcomes)
        in_flight = [click for click in plan.clicks if click.outcome == IN_FLIGHT]
        assert len(in_flight) <= 1 and (not in_flight or plan.clicks[-1] is in_flight[0])
        expected = confirmed[plan.voter_id] + expected_chain(plan.clicks)
        actual = found[plan.voter_id]
        if in_flight and actual == [*expected, (in_flight[0].card, in_flight[0].delta)]:
            counts["in_flight_kept"] += 1
        else:
            assert actual == expected, (
                f"voter {plan.voter_id}: database {actual}, answered {expected}, "
                f"in flight {in_flight}"
            )
        confirmed[plan.voter_id] = actual
        counts["answered"] += len(plan.clicks) - len(in_flight)
        counts["succeeded"] += sum(click.succeeded for click in plan.clicks)
        counts["refused"] += sum(click.outcome.startswith("refused") for click in plan.clicks)
        counts["in_flight"] += len(in_flight)
    return counts


def used_dots_shown(base: str, plan: VoterPlan) -> int:
    """The dots the voter's page shows as used (the filled budget marks), from the server."""
    client = Client(base)
    client.cookies = dict(plan.cookies)
    try:
        page = client.get("/v/ballot/")
    finally:
        client.close()
    assert page.status == 200, page.status
    return len(re.findall(r'class="dot-mark used"', page.text))


def test_every_answered_dot_survives_sigkill_of_the_server_and_no_other(open_round, tmp_path):
    started = time.monotonic()
    voting_round = open_round
    voters = list(voting_round.voters.order_by("id").values_list("id", "code"))
    assert len(voters) == VOTERS
    cards = list(selectors.round_cards(voting_round).values_list("id", flat=True))
    generator = random.Random(os.getpid())
    confirmed: dict[int, list[tuple[int, int]]] = {voter_id: [] for voter_id, _code in voters}
    plans: list[VoterPlan] = []
    totals: dict[str, int] = {}
    starts: list[float] = []  # seconds from starting the server to its first answer
    loads: list[float] = []  # seconds of load until the kill and its aftermath
    for _kill in range(KILLS):
        phase = time.monotonic()
        with running_server(
            tmp_path, workers=2, extra_env={"DATABASE_URL": database_url_of_the_killed()}
        ) as (base, server):
            starts.append(time.monotonic() - phase)
            phase = time.monotonic()
            if not plans:
                plans = join_all(base, voters, cards, seed=generator.randrange(10**6))
            for plan in plans:
                plan.clicks = []
            kill_after = generator.randint(
                VOTERS * CLICKS_PER_VOTER // 5, VOTERS * CLICKS_PER_VOTER // 2
            )
            kill_lock = threading.Lock()

            def kill_when_due(
                run: LoadRun, server=server, kill_after=kill_after, lock=kill_lock
            ) -> None:
                with lock:
                    if run.answered >= kill_after and not run.stop.is_set():
                        os.killpg(server.pid, signal.SIGKILL)  # master and both workers at once
                        run.stop.set()

            run = run_load(
                base,
                plans,
                clicks_per_voter=CLICKS_PER_VOTER,
                seed=generator.randrange(10**6),
                on_answer=kill_when_due,
            )
            assert run.stop.is_set(), "the load ended before the kill"
            server.wait(timeout=15)
            wait_until_gone(server.pid)
        loads.append(time.monotonic() - phase)
        assert run.errors == [], run.errors
        wait_until_database_is_ours()
        for key, value in check_chains(plans, confirmed).items():
            totals[key] = totals.get(key, 0) + value

    with running_server(tmp_path, workers=2) as (base, _server):
        for plan in plans:  # the restarted server shows every voter what they hold
            assert used_dots_shown(base, plan) == sum(
                delta for _c, delta in confirmed[plan.voter_id]
            )
            plan.clicks = []
        run = run_load(base, plans, clicks_per_voter=5, seed=generator.randrange(10**6))
        assert run.errors == [], run.errors
    after_restart = check_chains(plans, confirmed)
    assert after_restart["in_flight"] == 0
    assert after_restart["answered"] == VOTERS * 5

    assert selectors.verify_round(voting_round) == []
    voters_now = list(voting_round.voters.values_list("id", "used", "budget"))
    ballots = list(
        Ballot.objects.filter(voter__voting_round=voting_round).values_list(
            "voter_id", "card_id", "dots"
        )
    )
    assert count_overdrafts(voters_now, ballots, voting_round.cap_per_card) == 0
    assert totals["succeeded"] > 0 and totals["refused"] > 0  # both kinds of answer were tested
    print(
        f"\n[durability {connection.vendor}] {KILLS} kills: {totals}; server starts "
        f"{', '.join(f'{s:.1f}' for s in starts)} s; load until the kill "
        f"{', '.join(f'{s:.1f}' for s in loads)} s; {time.monotonic() - started:.1f} s in all"
    )
