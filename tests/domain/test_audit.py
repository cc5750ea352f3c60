"""Reconciliation of a round's stored tally with its audit log (pure: no database)."""

from __future__ import annotations

import dataclasses

import pytest

from klebepunkt.domain.audit import (
    GENESIS,
    PAPER_CHAIN,
    AuditedVoter,
    ChainedEvent,
    LoggedEvent,
    StoredRound,
    event_hash,
    reconcile,
    seal,
)

ROUND = 7


def chain(name: str, moves: list[tuple[int, int]]) -> list[ChainedEvent]:
    """A correctly linked chain of (card id, delta) moves."""
    events: list[ChainedEvent] = []
    previous = GENESIS
    for sequence, (card_id, delta) in enumerate(moves, start=1):
        fields = {
            "round_id": ROUND,
            "chain": name,
            "sequence": sequence,
            "card_id": card_id,
            "delta": delta,
            "source": "digital" if name != PAPER_CHAIN else "paper",
            "created_at": f"2026-11-30T09:00:0{sequence}+00:00",
        }
        digest = event_hash(previous_hash=previous, **fields)  # type: ignore[arg-type]
        events.append(ChainedEvent(previous_hash=previous, hash=digest, **fields))  # type: ignore[arg-type]
        previous = digest
    return events


def consistent_round(*, sealed: bool = True) -> StoredRound:
    """Voter 1 (ab12) puts 2 dots on card 10 and takes one back, 1 on card 11; paper: 3 on 10."""
    anna = chain("ab12", [(10, 1), (10, 1), (11, 1), (10, -1)])
    paper = chain(PAPER_CHAIN, [(10, 3)])
    voters = {1: AuditedVoter(pseudonym="ab12", budget=3, used=2, chain_head=anna[-1].hash)}
    return StoredRound(
        voters=voters,
        events=[LoggedEvent(1, e) for e in anna] + [LoggedEvent(None, e) for e in paper],
        ballots={(1, 10): 1, (1, 11): 1},
        paper={10: 3},
        paper_chain_head=paper[-1].hash,
        cap_per_card=2,
        sealed=sealed,
        seal=seal([("ab12", anna[-1].hash), (PAPER_CHAIN, paper[-1].hash)]),
    )


def test_a_consistent_round_has_no_discrepancy():
    assert reconcile(consistent_round()) == []


def test_a_stored_ballot_that_the_log_does_not_explain():
    stored = dataclasses.replace(consistent_round(), ballots={(1, 10): 2, (1, 11): 1})
    [problem] = reconcile(stored)
    assert (problem.what, problem.chain, problem.card_id, problem.stored, problem.log) == (
        "ballot",
        "ab12",
        10,
        2,
        1,
    )


def test_used_dots_and_budget_are_checked_per_voter():
    round_ = consistent_round()
    voter = dataclasses.replace(round_.voters[1], used=4)
    problems = reconcile(dataclasses.replace(round_, voters={1: voter}))
    assert [(p.what, p.stored, p.log, p.limit) for p in problems] == [
        ("used", 4, 2, None),
        ("budget", 4, None, 3),
    ]


def test_dots_over_the_cap_in_the_log_are_found():
    """Two dots on card 10 under a cap of one (a dot placed behind the service's back)."""
    anna = chain("ab12", [(10, 1), (10, 1)])
    stored = dataclasses.replace(
        consistent_round(sealed=False),
        voters={1: AuditedVoter(pseudonym="ab12", budget=3, used=2, chain_head=anna[-1].hash)},
        events=[LoggedEvent(1, e) for e in anna]
        + [e for e in consistent_round().events if e.voter_id is None],
        ballots={(1, 10): 2},
        cap_per_card=1,
    )
    assert [(p.what, p.chain, p.card_id, p.log, p.limit) for p in reconcile(stored)] == [
        ("cap", "ab12", 10, 2, 1)
    ]
    assert reconcile(dataclasses.replace(stored, cap_per_card=None)) == []


def test_paper_tally_is_recomputed():
    [problem] = reconcile(dataclasses.replace(consistent_round(), paper={10: 3, 12: 1}))
    assert (problem.what, problem.chain, problem.card_id, problem.stored, problem.log) == (
        "paper",
        PAPER_CHAIN,
        12,
        1,
        0,
    )


def test_a_changed_event_breaks_its_chain():
    round_ = consistent_round()
    first = round_.events[0]
    forged = LoggedEvent(first.voter_id, dataclasses.replace(first.event, delta=2))
    problems = reconcile(dataclasses.replace(round_, events=[forged, *round_.events[1:]]))
    assert ("chain", "ab12", 1, "hash") in [
        (p.what, p.chain, p.sequence, p.reason) for p in problems
    ]
    assert "used" in {p.what for p in problems}


def test_a_deleted_event_breaks_the_chain_at_its_place():
    round_ = consistent_round()
    problems = reconcile(
        dataclasses.replace(round_, events=[*round_.events[:1], *round_.events[2:]])
    )
    assert ("ab12", 3, "sequence") in [(p.chain, p.sequence, p.reason) for p in problems]


@pytest.mark.parametrize("sealed", [True, False])
def test_the_seal_is_checked_only_once_the_round_is_closed(sealed):
    stored = dataclasses.replace(consistent_round(sealed=sealed), seal="0" * 64)
    assert [p.what for p in reconcile(stored)] == (["seal"] if sealed else [])
