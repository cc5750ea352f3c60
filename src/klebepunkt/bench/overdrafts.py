"""Counting what must never happen: dots beyond a voter's budget or a card's cap.

Pure functions over what the database holds after a load, so that the benchmark's
own correctness can be tested.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def count_overdrafts(
    voters: Iterable[tuple[int, int, int]],  # (voter id, used, budget)
    ballots: Iterable[tuple[int, int, int]],  # (voter id, card id, dots)
    cap: int | None,
) -> int:
    """Dots held beyond a voter's budget or beyond the cap on one card, plus every dot by which a
    voter's stored count disagrees with their ballots. 0 is the only acceptable answer."""
    held: dict[int, int] = defaultdict(int)
    overdrafts = 0
    for voter, _card, dots in ballots:
        held[voter] += dots
        if cap is not None and dots > cap:
            overdrafts += dots - cap
    for voter, used, budget in voters:
        overdrafts += max(0, max(used, held[voter]) - budget)
        overdrafts += abs(held[voter] - used)
    return overdrafts
