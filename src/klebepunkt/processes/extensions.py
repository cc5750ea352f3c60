"""Where other apps add to a process's numbers without the processes app importing them.

The voting app registers, when it is installed, the dots its rounds contribute per
card (``extra_card_dots``), the per-voter ballots behind them (``ballots``), the
rounds as they were held, for the report's method section (``rounds``), and how many
of its rounds are prepared, open or over (``round_counts``, for the guide); the
monitoring app where a card taken from another process's topic store came from
(``card_origins``); the decisions app what the process file carries of its records
(``proceedings``, written back by ``store_proceedings`` when a file is imported).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from klebepunkt.domain import Ballot
from klebepunkt.domain.proceedings import Proceedings
from klebepunkt.domain.process import VotingRoundRecord

if TYPE_CHECKING:
    from klebepunkt.processes.models import Goal, Meeting, Member, Process, StakeholderGroup


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


@dataclass(frozen=True, slots=True)
class RoundCounts:
    """How many voting rounds of a process are prepared, open, and over (closed or revealed)."""

    prepared: int = 0
    open: int = 0
    over: int = 0


RoundCountsProvider = Callable[["Process"], RoundCounts]
_round_counts: list[RoundCountsProvider] = []


def register_card_dots(provider: CardDotsProvider) -> None:
    if provider not in _card_dots:
        _card_dots.append(provider)


def register_ballots(provider: BallotsProvider) -> None:
    if provider not in _ballots:
        _ballots.append(provider)


def register_rounds(provider: RoundsProvider) -> None:
    if provider not in _rounds:
        _rounds.append(provider)


def register_round_counts(provider: RoundCountsProvider) -> None:
    if provider not in _round_counts:
        _round_counts.append(provider)


def round_counts(process: Process) -> RoundCounts:
    counts = [provider(process) for provider in _round_counts]
    return RoundCounts(
        prepared=sum(c.prepared for c in counts),
        open=sum(c.open for c in counts),
        over=sum(c.over for c in counts),
    )


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


@dataclass(frozen=True)
class ImportedProcess:
    """A process just created from a process record, and what the record's references became:
    members and meetings in the record's order, goals by their id in the record's tally,
    stakeholder groups by name."""

    process: Process
    members: tuple[Member, ...]
    meetings: tuple[Meeting, ...]
    goals: dict[str, Goal]
    groups: dict[str, StakeholderGroup]


ProceedingsProvider = Callable[["Process"], Proceedings]
ProceedingsWriter = Callable[[ImportedProcess, Proceedings], None]
_proceedings: list[tuple[ProceedingsProvider, ProceedingsWriter]] = []


def register_proceedings(provider: ProceedingsProvider, writer: ProceedingsWriter) -> None:
    """The decisions app: attendance, decisions, texts and versions, out and back in."""
    if (provider, writer) not in _proceedings:
        _proceedings.append((provider, writer))


def proceedings(process: Process) -> Proceedings:
    """What the process file carries besides the process and its tally (empty: nothing)."""
    return _proceedings[0][0](process) if _proceedings else Proceedings()


def store_proceedings(imported: ImportedProcess, recorded: Proceedings) -> None:
    """Store a record's proceedings with a process being imported (in its transaction)."""
    for _provider, writer in _proceedings:
        writer(imported, recorded)
