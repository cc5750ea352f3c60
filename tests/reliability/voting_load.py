"""A bounded voting load over HTTP that remembers, per voter, what the server answered.

One thread per voter, one click at a time per voter, so at most one click of a voter
is ever in flight. Every answer's ``X-Klebepunkt-Dot`` header says whether the click
was placed, taken back or refused; a click that got no answer (the server died under
it) is recorded as in flight and ends that voter's run; a click never sent is not
recorded. Loopback only (``klebepunkt.bench.http.Client``).
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from klebepunkt.bench.http import Client

PLACED = "placed"
TAKEN_BACK = "taken-back"
IN_FLIGHT = "in-flight"  # sent, never answered: may or may not have committed


@dataclass(frozen=True, slots=True)
class Click:
    card: int
    action: str  # "add" or "remove"
    outcome: str  # PLACED, TAKEN_BACK, "refused:<code>", IN_FLIGHT, or "unexpected:<status>"

    @property
    def delta(self) -> int:
        return 1 if self.action == "add" else -1

    @property
    def succeeded(self) -> bool:
        return self.outcome in (PLACED, TAKEN_BACK)


@dataclass
class VoterPlan:
    voter_id: int
    cookies: dict[str, str]
    cards: list[int]
    clicks: list[Click] = field(default_factory=list)


@dataclass
class LoadRun:
    answered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    errors: list[str] = field(default_factory=list)


def join_all(
    base: str, voters: list[tuple[int, str]], cards: list[int], seed: int
) -> list[VoterPlan]:
    """Join every voter once with their code (the cookie outlives a server restart)."""
    generator = random.Random(seed)
    plans = []
    for voter_id, code in voters:
        client = Client(base)
        try:
            client.join(code)
        finally:
            client.close()
        plans.append(VoterPlan(voter_id, dict(client.cookies), generator.sample(cards, 3)))
    return plans


def run_load(
    base: str,
    plans: list[VoterPlan],
    *,
    clicks_per_voter: int,
    seed: int,
    on_answer: Callable[[LoadRun], None] | None = None,
    run: LoadRun | None = None,
    add_share: float = 0.65,
) -> LoadRun:
    """Every voter clicks ``clicks_per_voter`` times (or until ``run.stop`` is set, or until a
    click goes unanswered). ``on_answer`` is called after every answer (from the clients'
    threads). Returns when every client thread has ended."""
    run = run or LoadRun()
    barrier = threading.Barrier(len(plans))

    def voter(index: int, plan: VoterPlan) -> None:
        generator = random.Random(seed * 1000 + index)
        client = Client(base, timeout=20)
        client.cookies = dict(plan.cookies)
        try:
            barrier.wait(timeout=60)
            for _ in range(clicks_per_voter):
                if run.stop.is_set():
                    return  # the clicks not sent now are never sent
                card = generator.choice(plan.cards)
                action = "add" if generator.random() < add_share else "remove"
                try:
                    response = client.click(card, action)
                except (OSError, http.client.HTTPException):
                    # no (complete) answer: the server died before, while or after handling it
                    plan.clicks.append(Click(card, action, IN_FLIGHT))
                    return
                outcome = response.headers.get("x-klebepunkt-dot")
                if response.status != 200 or outcome is None:
                    outcome = f"unexpected:{response.status}"
                    with run.lock:
                        run.errors.append(f"voter {plan.voter_id}: {response.status}")
                plan.clicks.append(Click(card, action, outcome))
                with run.lock:
                    run.answered += 1
                if on_answer is not None:
                    on_answer(run)
        except Exception as error:  # a broken test client: report it, never hide it
            with run.lock:
                run.errors.append(f"voter {plan.voter_id}: {error.__class__.__name__}: {error}")
        finally:
            client.close()

    threads = [
        threading.Thread(target=voter, args=(index, plan), daemon=True)
        for index, plan in enumerate(plans)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 120
    for thread in threads:
        thread.join(timeout=max(0.1, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        run.errors.append("a client thread did not end within 120 s")
    return run


def expected_chain(clicks: list[Click]) -> list[tuple[int, int]]:
    """(card, delta) of every click the server answered with success, in order."""
    return [(click.card, click.delta) for click in clicks if click.succeeded]
