"""Where other apps add to a process's numbers without the processes app importing them.

The voting app registers, when it is installed, the dots its rounds contribute per
card (``extra_card_dots``), the per-voter ballots behind them (``ballots``), and what
has to go before a whole process is deleted (``before_process_deleted``: its rounds
with their audit logs, which protect the cards from being deleted one by one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from klebepunkt.domain import Ballot

if TYPE_CHECKING:
    from klebepunkt.processes.models import Process

CardDotsProvider = Callable[["Process"], dict[int, int]]
BallotsProvider = Callable[["Process"], tuple[Ballot, ...]]
ProcessCleanup = Callable[["Process"], None]
_card_dots: list[CardDotsProvider] = []
_ballots: list[BallotsProvider] = []
_cleanups: list[ProcessCleanup] = []


def register_card_dots(provider: CardDotsProvider) -> None:
    if provider not in _card_dots:
        _card_dots.append(provider)


def register_ballots(provider: BallotsProvider) -> None:
    if provider not in _ballots:
        _ballots.append(provider)


def register_process_cleanup(cleanup: ProcessCleanup) -> None:
    if cleanup not in _cleanups:
        _cleanups.append(cleanup)


def before_process_deleted(process: Process) -> None:
    for cleanup in _cleanups:
        cleanup(process)


def extra_card_dots(process: Process) -> dict[int, int]:
    total: dict[int, int] = {}
    for provider in _card_dots:
        for card_id, dots in provider(process).items():
            total[card_id] = total.get(card_id, 0) + dots
    return total


def ballots(process: Process) -> tuple[Ballot, ...]:
    return tuple(ballot for provider in _ballots for ballot in provider(process))
