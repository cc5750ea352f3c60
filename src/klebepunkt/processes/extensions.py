"""Where other apps add to a process's numbers without the processes app importing them.

The voting app registers, when it is installed, the dots its rounds contribute per
card (``extra_card_dots``), the per-voter ballots behind them (``ballots``) and the
rounds as they were held, for the report's method section (``rounds``); the
monitoring app where a card taken from another process's topic store came from
(``card_origins``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from klebepunkt.domain import Ballot
from klebepunkt.domain.process import VotingRoundRecord

if TYPE_CHECKING:
    from klebepunkt.processes.models import Process


@dataclass(frozen=True)
class CardOrigin:
    """The process a card was taken from (out of its topic store), and its dots there."""

    source_process_title: str
    source_year: int | None
    original_points: int


CardDotsProvider = Callable[["Process"], dict[int, int]]
ReportAdditionsProvider = Callable[["Process", Callable[[str], str]], dict[str, object]]
BallotsProvider = Callable[["Process"], tuple[Ballot, ...]]
CardOriginsProvider = Callable[["Process"], dict[int, CardOrigin]]
RoundsProvider = Callable[["Process"], tuple[VotingRoundRecord, ...]]
_card_dots: list[CardDotsProvider] = []
_ballots: list[BallotsProvider] = []
_card_origins: list[CardOriginsProvider] = []
_rounds: list[RoundsProvider] = []
_report_additions: list[ReportAdditionsProvider] = []


def register_card_dots(provider: CardDotsProvider) -> None:
    if provider not in _card_dots:
        _card_dots.append(provider)


def register_ballots(provider: BallotsProvider) -> None:
    if provider not in _ballots:
        _ballots.append(provider)


def register_rounds(provider: RoundsProvider) -> None:
    if provider not in _rounds:
        _rounds.append(provider)


def extra_card_dots(process: Process) -> dict[int, int]:
    total: dict[int, int] = {}
    for provider in _card_dots:
        for card_id, dots in provider(process).items():
            total[card_id] = total.get(card_id, 0) + dots
    return total


def ballots(process: Process) -> tuple[Ballot, ...]:
    return tuple(ballot for provider in _ballots for ballot in provider(process))


def register_card_origins(provider: CardOriginsProvider) -> None:
    if provider not in _card_origins:
        _card_origins.append(provider)


def card_origins(process: Process) -> dict[int, CardOrigin]:
    """Card id → where it came from, for the cards of the process taken from another one."""
    return {
        card: origin for provider in _card_origins for card, origin in provider(process).items()
    }


def rounds(process: Process) -> tuple[VotingRoundRecord, ...]:
    """The voting rounds that count in the evaluation, as they were held."""
    return tuple(held for provider in _rounds for held in provider(process))


def register_report_additions(provider: ReportAdditionsProvider) -> None:
    """The decisions app adds the working group's texts and decisions to the report."""
    if provider not in _report_additions:
        _report_additions.append(provider)


def report_additions(process: Process, translate: Callable[[str], str]) -> dict[str, object]:
    """Fields of the report (``Report``) other apps fill in, by name."""
    fields: dict[str, object] = {}
    for provider in _report_additions:
        fields.update(provider(process, translate))
    return fields
