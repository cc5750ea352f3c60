"""The audit chain of a voting round: every dot event linked to the one before by a hash.

A chain is the sequence of events of one voter (or of the round's paper entries).
Each event's hash covers the previous hash and the event's own fields, so that a
change, a deletion or an insertion behind the application's back breaks the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
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
