"""The audit chain of a voting round: every dot event linked to the one before by a hash.

A chain is the sequence of events of one voter (or of the round's paper entries).
Each event's hash covers the previous hash and the event's own fields, so that a
change, a deletion or an insertion behind the application's back breaks the chain.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

GENESIS = "0" * 64
PAPER_CHAIN = "paper"  # the chain of a round's paper entries (the others: voter pseudonyms)


@dataclass(frozen=True, slots=True)
class ChainedEvent:
    round_id: int
    chain: str  # the voter's pseudonym, or "paper"
    sequence: int  # 1, 2, 3, … within the chain
    card_id: int
    delta: int
    source: str
    created_at: str  # ISO 8601, as stored
    previous_hash: str
    hash: str


def event_hash(
    *,
    previous_hash: str,
    round_id: int,
    chain: str,
    sequence: int,
    card_id: int,
    delta: int,
    source: str,
    created_at: str,
) -> str:
    payload = "|".join(
        [
            previous_hash,
            str(round_id),
            chain,
            str(sequence),
            str(card_id),
            str(delta),
            source,
            created_at,
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainBreak:
    chain: str
    sequence: int
    reason: str  # "hash", "link", "sequence", "head"


def verify_chain(chain: str, events: Iterable[ChainedEvent], head: str) -> list[ChainBreak]:
    """Problems of one chain: recomputed hashes, links, sequence numbers, and the stored head."""
    problems: list[ChainBreak] = []
    previous = GENESIS
    expected_sequence = 1
    for event in events:
        if event.sequence != expected_sequence:
            problems.append(ChainBreak(chain, event.sequence, "sequence"))
        if event.previous_hash != previous:
            problems.append(ChainBreak(chain, event.sequence, "link"))
        recomputed = event_hash(
            previous_hash=event.previous_hash,
            round_id=event.round_id,
            chain=event.chain,
            sequence=event.sequence,
            card_id=event.card_id,
            delta=event.delta,
            source=event.source,
            created_at=event.created_at,
        )
        if recomputed != event.hash:
            problems.append(ChainBreak(chain, event.sequence, "hash"))
        previous = event.hash
        expected_sequence = event.sequence + 1
    if previous != (head or GENESIS):
        problems.append(ChainBreak(chain, expected_sequence - 1, "head"))
    return problems


def seal(heads: Iterable[tuple[str, str]]) -> str:
    """One hash over every chain head of a round, in chain order: written when it closes."""
    digest = hashlib.sha256()
    for chain, head in sorted(heads):
        digest.update(f"{chain}:{head};".encode())
    return digest.hexdigest()


# --- reconciliation: the stored tally of a round against its audit log --------------------------


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """One place where the stored tally and its audit log disagree.

    ``detail`` is a short English technical line; the other fields say the same as data,
    so that the CLI and the web can word it in the reader's language.
    """

    what: str  # "chain", "ballot", "used", "budget", "cap", "paper", "seal"
    detail: str
    chain: str = ""  # the voter's pseudonym, or "paper"
    card_id: int | None = None
    stored: int | None = None
    log: int | None = None
    sequence: int | None = None  # chain breaks: the event's position in its chain
    reason: str = ""  # chain breaks: "hash", "link", "sequence", "head"
    limit: int | None = None  # "budget", "cap": the budget or the cap exceeded


@dataclass(frozen=True, slots=True)
class AuditedVoter:
    """What is stored about one voter of a round."""

    pseudonym: str
    budget: int
    used: int
    chain_head: str


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One event of the audit log: its voter (None for a paper entry) and its chained form."""

    voter_id: int | None
    event: ChainedEvent


@dataclass(frozen=True, slots=True)
class StoredRound:
    """Everything stored about a round that its audit log must account for."""

    voters: Mapping[int, AuditedVoter]  # by voter id
    events: Sequence[LoggedEvent]  # in the order written
    ballots: Mapping[tuple[int, int], int]  # (voter id, card id) → dots
    paper: Mapping[int, int]  # card id → paper dots
    paper_chain_head: str
    cap_per_card: int | None
    sealed: bool  # closed or revealed: the seal must match the chain heads
    seal: str


def reconcile(stored: StoredRound) -> list[Discrepancy]:
    """Recompute every ballot, every voter's used dots and every paper tally from the audit log,
    check every hash chain and, for a sealed round, the seal. An empty list: all is consistent."""
    problems: list[Discrepancy] = []
    chains: dict[str, list[ChainedEvent]] = defaultdict(list)
    ballots: dict[tuple[int, int], int] = defaultdict(int)
    used: dict[int, int] = defaultdict(int)
    paper: dict[int, int] = defaultdict(int)
    for logged in stored.events:
        event = logged.event
        chains[event.chain].append(event)
        if logged.voter_id:
            ballots[(logged.voter_id, event.card_id)] += event.delta
            used[logged.voter_id] += event.delta
        else:
            paper[event.card_id] += event.delta
    breaks: list[ChainBreak] = []
    for voter in stored.voters.values():
        breaks += verify_chain(
            voter.pseudonym,
            sorted(chains.get(voter.pseudonym, []), key=lambda e: e.sequence),
            voter.chain_head,
        )
    breaks += verify_chain(
        PAPER_CHAIN,
        sorted(chains.get(PAPER_CHAIN, []), key=lambda e: e.sequence),
        stored.paper_chain_head,
    )
    problems += [
        Discrepancy(
            "chain",
            f"{b.chain} #{b.sequence}: {b.reason}",
            chain=b.chain,
            sequence=b.sequence,
            reason=b.reason,
        )
        for b in breaks
    ]

    def pseudonym(voter_id: int) -> str:
        voter = stored.voters.get(voter_id)
        return voter.pseudonym if voter is not None else f"#{voter_id}"

    for key in sorted(set(stored.ballots) | set(ballots)):
        if stored.ballots.get(key, 0) != ballots.get(key, 0):
            problems.append(
                Discrepancy(
                    "ballot",
                    f"voter {pseudonym(key[0])}, card {key[1]}: "
                    f"stored {stored.ballots.get(key, 0)}, log {ballots.get(key, 0)}",
                    chain=pseudonym(key[0]),
                    card_id=key[1],
                    stored=stored.ballots.get(key, 0),
                    log=ballots.get(key, 0),
                )
            )
    for voter_id, voter in stored.voters.items():
        if voter.used != used.get(voter_id, 0):
            problems.append(
                Discrepancy(
                    "used",
                    f"voter {voter.pseudonym}: stored {voter.used}, log {used.get(voter_id, 0)}",
                    chain=voter.pseudonym,
                    stored=voter.used,
                    log=used.get(voter_id, 0),
                )
            )
        if voter.used > voter.budget:
            problems.append(
                Discrepancy(
                    "budget",
                    f"voter {voter.pseudonym}: {voter.used} dots over a budget of {voter.budget}",
                    chain=voter.pseudonym,
                    stored=voter.used,
                    limit=voter.budget,
                )
            )
    cap = stored.cap_per_card
    if cap:
        for (voter_id, card_id), dots in ballots.items():
            if dots > cap:
                problems.append(
                    Discrepancy(
                        "cap",
                        f"voter {pseudonym(voter_id)}, card {card_id}: {dots} over the cap {cap}",
                        chain=pseudonym(voter_id),
                        card_id=card_id,
                        log=dots,
                        limit=cap,
                    )
                )
    for card_id in sorted(set(stored.paper) | set(paper)):
        if stored.paper.get(card_id, 0) != paper.get(card_id, 0):
            problems.append(
                Discrepancy(
                    "paper",
                    f"card {card_id}: stored {stored.paper.get(card_id, 0)}, "
                    f"log {paper.get(card_id, 0)}",
                    chain=PAPER_CHAIN,
                    card_id=card_id,
                    stored=stored.paper.get(card_id, 0),
                    log=paper.get(card_id, 0),
                )
            )
    if stored.sealed:
        heads = [(voter.pseudonym, voter.chain_head) for voter in stored.voters.values()]
        heads.append((PAPER_CHAIN, stored.paper_chain_head))
        if seal(heads) != stored.seal:
            problems.append(
                Discrepancy(
                    "seal", "the chain heads differ from those sealed when the round closed"
                )
            )
    return problems
