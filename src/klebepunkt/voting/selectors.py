"""Reads of voting rounds. Nothing here returns counts per card of a round whose results are hidden."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from klebepunkt.domain import Ballot
from klebepunkt.domain.audit import (
    PAPER_CHAIN,
    AuditedVoter,
    ChainedEvent,
    Discrepancy,
    LoggedEvent,
    StoredRound,
    reconcile,
)
from klebepunkt.domain.process import VotingRoundRecord
from klebepunkt.processes.extensions import RoundCounts
from klebepunkt.processes.models import Card, Process
from klebepunkt.processes.selectors import card_labels
from klebepunkt.voting import audit_keys, codes
from klebepunkt.voting.models import Ballot as BallotRow
from klebepunkt.voting.models import DotEvent, PaperTally, RoundState, Source, Voter, VotingRound


class ResultsHidden(Exception):
    """Asked for counts per card of a round whose results are not revealed."""


def counted_rounds(process: Process) -> QuerySet[VotingRound]:
    return process.voting_rounds.filter(
        Q(state=RoundState.REVEALED) | Q(state=RoundState.CLOSED, hide_results=False)
    )


def counted_card_dots(process: Process) -> dict[int, int]:
    """Card id → dots from the rounds that count (revealed; or closed and never hidden)."""
    rounds = list(counted_rounds(process).values_list("pk", flat=True))
    if not rounds:
        return {}
    dots: dict[int, int] = defaultdict(int)
    for card_id, total in (
        BallotRow.objects.filter(voter__voting_round__in=rounds)
        .values_list("card_id")
        .annotate(total=Sum("dots"))
    ):
        dots[card_id] += total or 0
    for card_id, total in (
        PaperTally.objects.filter(voting_round__in=rounds)
        .values_list("card_id")
        .annotate(total=Sum("dots"))
    ):
        dots[card_id] += total or 0
    return dict(dots)


def held_rounds(process: Process) -> tuple[VotingRoundRecord, ...]:
    """The counted rounds as they were held (settings, day, turnout, dots), oldest first."""
    rounds = (
        counted_rounds(process)
        .select_related("theme_field")
        .annotate(
            voter_count=Count("voters", distinct=True),
            voted_count=Count("voters", filter=Q(voters__used__gt=0), distinct=True),
        )
        .order_by("opened_at", "created_at", "id")
    )
    digital = dict(
        Voter.objects.filter(voting_round__in=counted_rounds(process))
        .values_list("voting_round_id")
        .annotate(total=Sum("used"))
    )
    paper = dict(
        PaperTally.objects.filter(voting_round__in=counted_rounds(process))
        .values_list("voting_round_id")
        .annotate(total=Sum("dots"))
    )
    return tuple(
        VotingRoundRecord(
            title=held.title,
            dots_per_voter=held.dots_per_voter,
            cap_per_card=held.cap_per_card,
            hide_results=held.hide_results,
            secret=held.secret,
            held_on=timezone.localdate(held.opened_at) if held.opened_at else None,
            voters=held.voter_count,
            voted=held.voted_count,
            digital_dots=digital.get(held.pk) or 0,
            paper_dots=paper.get(held.pk) or 0,
            theme_field=held.theme_field.name if held.theme_field else "",
        )
        for held in rounds
    )


def ballots_of(process: Process) -> tuple[Ballot, ...]:
    """Per-voter dots of the counted rounds, as domain values (pseudonyms, never names)."""
    rows = (
        BallotRow.objects.filter(voter__voting_round__in=counted_rounds(process), dots__gt=0)
        .values_list(
            "voter__voting_round_id",
            "voter__pseudonym",
            "voter__stakeholder_group__name",
            "card_id",
            "dots",
        )
        .order_by("voter__voting_round_id", "voter_id", "card_id")
    )
    return tuple(
        Ballot(
            voter_id=f"{round_id}:{pseudonym}",
            stakeholder_group=group or "",
            card_id=str(card_id),
            dots=dots,
        )
        for round_id, pseudonym, group, card_id, dots in rows
    )


def round_cards(voting_round: VotingRound) -> QuerySet[Card]:
    cards = Card.objects.filter(theme_field__process=voting_round.process_id).select_related(
        "theme_field"
    )
    if voting_round.theme_field_id:
        cards = cards.filter(theme_field_id=voting_round.theme_field_id)
    if voting_round.cards.exists():  # a chosen set, e.g. the cards accepted in a meeting
        cards = cards.filter(selected_in_rounds=voting_round)
    return cards.order_by("theme_field__position", "theme_field_id", "position", "id")


def cards_for_voter(voter: Voter) -> list[tuple[Card, int]]:
    """The round's cards in the voter's order, each with the voter's own dots on it."""
    cards = list(round_cards(voter.voting_round))
    if voter.voting_round.shuffle:
        generator = random.Random(f"{voter.voting_round_id}:{voter.pseudonym}")  # stable per voter
        by_field: dict[int, list[Card]] = defaultdict(list)
        for card in cards:
            by_field[card.theme_field_id].append(card)
        cards = []
        for field_cards in by_field.values():
            generator.shuffle(field_cards)
            cards.extend(field_cards)
    own = dict(voter.ballots.values_list("card_id", "dots"))
    return [(card, own.get(card.pk, 0)) for card in cards]


@dataclass(frozen=True, slots=True)
class CardResult:
    card: Card
    digital: int
    paper: int

    @property
    def total(self) -> int:
        return self.digital + self.paper


def round_results(voting_round: VotingRound) -> list[CardResult]:
    """Digital, paper and total dots per card, ranked. Raises ResultsHidden before the reveal."""
    if not voting_round.results_visible:
        raise ResultsHidden(voting_round.pk)
    by_source: dict[tuple[int, str], int] = defaultdict(int)
    for card_id, source, total in (
        DotEvent.objects.filter(voting_round=voting_round)
        .values_list("card_id", "source")
        .annotate(total=Sum("delta"))
    ):
        by_source[(card_id, source)] = total or 0
    results = [
        CardResult(
            card=card,
            digital=by_source[(card.pk, Source.DIGITAL)],
            paper=by_source[(card.pk, Source.PAPER)] + by_source[(card.pk, Source.PAPER_TOTAL)],
        )
        for card in round_cards(voting_round)
    ]
    return sorted(results, key=lambda result: (-result.total, result.card.position, result.card.pk))


@dataclass(frozen=True, slots=True)
class RoundSummary:
    """What may always be shown: how many voted, how many dots are cast; counts only when visible."""

    voting_round: VotingRound
    voters: int
    voters_voted: int
    dots_cast: int
    dots_available: int
    stamp: str
    results: list[CardResult] | None


def round_stamp(voting_round: VotingRound) -> str:
    """Changes whenever anything a projector shows changes: state and the newest event."""
    newest = (
        DotEvent.objects.filter(voting_round=voting_round).aggregate(newest=Max("id"))["newest"]
        or 0
    )
    return f"{voting_round.pk}-{voting_round.state}-{newest}"


def round_summary(voting_round: VotingRound, *, with_results: bool = True) -> RoundSummary:
    counts = voting_round.voters.aggregate(
        voters=Count("id"),
        voted=Count("id", filter=Q(used__gt=0)),
        used=Sum("used"),
        budget=Sum("budget"),
    )
    paper = voting_round.paper_tallies.aggregate(total=Sum("dots"))["total"] or 0
    results = round_results(voting_round) if with_results and voting_round.results_visible else None
    return RoundSummary(
        voting_round=voting_round,
        voters=counts["voters"] or 0,
        voters_voted=counts["voted"] or 0,
        dots_cast=(counts["used"] or 0) + paper,
        dots_available=counts["budget"] or 0,
        stamp=round_stamp(voting_round),
        results=results,
    )


# --- verification: recompute the tally from the audit log and check the chains -----------------


def verify_round(voting_round: VotingRound) -> list[Discrepancy]:
    """Recompute every ballot, every voter's used dots and every paper tally from the audit log,
    check every hash chain and, for a closed round, the seal (``domain.audit.reconcile``).
    An empty list: all is consistent."""
    return reconcile(stored_round(voting_round))


def stored_round(voting_round: VotingRound) -> StoredRound:
    """What the database holds about a round and its audit log, as domain values."""
    voters = {
        voter.pk: AuditedVoter(
            pseudonym=voter.pseudonym,
            budget=voter.budget,
            used=voter.used,
            chain_head=voter.chain_head,
        )
        for voter in voting_round.voters.all()
    }
    events = [
        LoggedEvent(
            voter_id=event.voter_id,
            event=ChainedEvent(
                round_id=event.voting_round_id,
                chain=voters[event.voter_id].pseudonym if event.voter_id in voters else PAPER_CHAIN,
                sequence=event.sequence,
                card_id=event.card_id,
                delta=event.delta,
                source=event.source,
                created_at=event.created_at.isoformat(),
                previous_hash=event.previous_hash,
                hash=event.hash,
                key_id=event.key_id,
                mac=event.mac,
            ),
        )
        for event in DotEvent.objects.filter(voting_round=voting_round).order_by("id")
    ]
    return StoredRound(
        voters=voters,
        events=events,
        ballots={
            (row.voter_id, row.card_id): row.dots
            for row in BallotRow.objects.filter(voter__voting_round=voting_round)
        },
        paper=dict(voting_round.paper_tallies.values_list("card_id", "dots")),
        paper_chain_head=voting_round.paper_chain_head,
        cap_per_card=voting_round.cap_per_card,
        sealed=voting_round.state in (RoundState.CLOSED, RoundState.REVEALED),
        seal=voting_round.seal,
        seal_key_id=voting_round.seal_key_id,
        seal_mac=voting_round.seal_mac,
        keys=audit_keys.known(),
    )


@dataclass(frozen=True)
class RoundCheck:
    """One voting round of a process checked against its audit log."""

    title: str
    state: str  # a RoundState value
    seal: str
    audit_records: int
    voters: int
    discrepancies: list[Discrepancy]
    card_labels: dict[int, str]  # the cards the discrepancies name


def check_rounds(process: Process) -> list[RoundCheck]:
    """Every voting round of the process, oldest first, with ``verify_round``'s findings."""
    checks = []
    for voting_round in VotingRound.objects.filter(process=process).order_by("created_at", "id"):
        problems = verify_round(voting_round)
        card_ids = {problem.card_id for problem in problems if problem.card_id is not None}
        checks.append(
            RoundCheck(
                title=voting_round.title,
                state=voting_round.state,
                seal=voting_round.seal,
                audit_records=voting_round.events.count(),
                voters=voting_round.voters.count(),
                discrepancies=problems,
                card_labels=card_labels(card_ids) if card_ids else {},
            )
        )
    return checks


def closed_round_of_code(code: str) -> VotingRound | None:
    """The closed (or revealed) round a personal code belongs to, for the latecomer's page."""
    normalised = codes.normalise_code(code)
    if len(normalised) != codes.PERSONAL_CODE_LENGTH:
        return None
    voter = (
        Voter.objects.select_related("voting_round")
        .filter(code=normalised, voting_round__state__in=[RoundState.CLOSED, RoundState.REVEALED])
        .first()
    )
    return voter.voting_round if voter is not None else None


def closed_round_voter(code: str) -> Voter | None:
    """The voter of a closed (or revealed) round with this personal code, not revoked."""
    normalised = codes.normalise_code(code)
    if len(normalised) != codes.PERSONAL_CODE_LENGTH:
        return None
    return (
        Voter.objects.select_related("voting_round", "member")
        .filter(
            code=normalised,
            revoked_at=None,
            voting_round__state__in=[RoundState.CLOSED, RoundState.REVEALED],
        )
        .first()
    )


def closed_round_of_short_code(short_code: str) -> VotingRound | None:
    """The closed (or revealed) round with this round code."""
    return VotingRound.objects.filter(
        short_code=codes.normalise_code(short_code),
        state__in=[RoundState.CLOSED, RoundState.REVEALED],
    ).first()


def running_rounds(process_id: int) -> QuerySet[VotingRound]:
    """The rounds of a process a member can still join (prepared or open)."""
    return VotingRound.objects.filter(
        process_id=process_id, state__in=[RoundState.PREPARED, RoundState.OPEN]
    ).order_by("-created_at", "-id")


def round_counts(process: Process) -> RoundCounts:
    """How many rounds of the process are prepared, open and over: for the process's guide."""
    states = dict(process.voting_rounds.values_list("state").annotate(n=Count("id")).order_by())
    return RoundCounts(
        prepared=states.get(RoundState.PREPARED, 0),
        open=states.get(RoundState.OPEN, 0),
        over=states.get(RoundState.CLOSED, 0) + states.get(RoundState.REVEALED, 0),
    )


def audit_key_ids_in_use() -> set[str]:
    """The ids of every audit key that signed a stored event or a round's seal."""
    events = DotEvent.objects.exclude(key_id="").values_list("key_id", flat=True).distinct()
    seals = VotingRound.objects.exclude(seal_key_id="").values_list("seal_key_id", flat=True)
    return set(events) | set(seals.distinct())
