"""Every write of a voting round: one function each, one transaction each.

``place_dot`` and ``take_back_dot`` are the hot path. The invariants live in the
database transaction, not in a read-then-write in Python:

* the voter's row is locked (PostgreSQL ``FOR UPDATE``; SQLite takes the write
  lock at BEGIN IMMEDIATE), so requests of one voter are serialised while other
  voters proceed in parallel;
* the round's row is share-locked (``FOR KEY SHARE``), so ``close_round`` (which
  locks it ``FOR UPDATE``) waits for dots in flight and every later dot sees the
  round closed;
* the cap per card is a conditional upsert (``… WHERE dots < cap``), the budget a
  conditional update (``… WHERE used + 1 <= budget``) and a CHECK constraint;
* the audit event is written in the same transaction, chained to the voter's
  previous event.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from klebepunkt.domain.audit import GENESIS, event_hash, event_mac, seal, seal_mac
from klebepunkt.domain.messages import CodedRefusal
from klebepunkt.processes.history import Values, record_change, reveal_changes
from klebepunkt.processes.models import Card, ChangeKind, Member, Process, ThemeField
from klebepunkt.voting import audit_keys, codes, dot_sql, projector_cache
from klebepunkt.voting.models import DotEvent, PaperTally, RoundState, Source, Voter, VotingRound

PAPER_CHAIN = "paper"


class VotingError(CodedRefusal):
    """A dot that cannot be placed or taken back, with a message for the member."""

    MESSAGES = {
        "round_not_open": _("The round is not open: nothing can be changed now."),
        "budget_exhausted": _("You have placed all your dots. Take one back to move it."),
        "cap_reached": _("This card has the most dots one member may place on it."),
        "nothing_to_take_back": _("You have no dot on this card."),
        "card_not_in_round": _("This card is not part of the round."),
        "code_revoked": _("This code has been revoked. Please ask the facilitator for a new one."),
        "unknown_voter": _("Unknown voting code."),
    }


@dataclass(frozen=True, slots=True)
class DotResult:
    card_id: int
    card_dots: int  # the voter's dots on the card now
    used: int
    budget: int

    @property
    def left(self) -> int:
        return self.budget - self.used


def place_dot(
    *,
    voter_id: int,
    card_id: int,
    source: Source = Source.DIGITAL,
    actor: User | None = None,
    code_check: str | None = None,
) -> DotResult:
    """Place one dot of the voter on the card, or raise VotingError (and change nothing)."""
    return _change_dot(voter_id, card_id, +1, source, actor, code_check)


def take_back_dot(
    *,
    voter_id: int,
    card_id: int,
    source: Source = Source.DIGITAL,
    actor: User | None = None,
    code_check: str | None = None,
) -> DotResult:
    """Take one of the voter's dots back from the card, or raise VotingError."""
    return _change_dot(voter_id, card_id, -1, source, actor, code_check)


def _change_dot(
    voter_id: int,
    card_id: int,
    delta: int,
    source: Source,
    actor: User | None,
    code_check: str | None,
    *,
    durable: bool = True,
) -> DotResult:
    postgres = connection.vendor == "postgresql"
    with _writer_turn(postgres), transaction.atomic(durable=durable), connection.cursor() as cursor:
        cursor.execute(
            dot_sql.VOTER + (dot_sql.LOCK_POSTGRES if postgres else ""), [card_id, voter_id]
        )
        row = cursor.fetchone()
        if row is None:
            raise VotingError("unknown_voter")
        used, budget, head, events, revoked_at, pseudonym, code, round_id, state, cap, card_ok = row
        if code_check is not None and code_fingerprint(code) != code_check:
            raise VotingError("code_revoked")
        if revoked_at is not None and source == Source.DIGITAL:
            raise VotingError("code_revoked")
        if state != RoundState.OPEN:
            raise VotingError("round_not_open")
        if not card_ok:
            raise VotingError("card_not_in_round")
        if delta > 0:
            if used >= budget:
                raise VotingError("budget_exhausted")
            if cap is None:
                cursor.execute(dot_sql.ADD, [voter_id, card_id])
            else:
                cursor.execute(dot_sql.ADD_UNDER_CAP, [voter_id, card_id, cap])
            ballot = cursor.fetchone()
            if ballot is None:
                raise VotingError("cap_reached")
        else:
            cursor.execute(dot_sql.TAKE_BACK, [voter_id, card_id])
            ballot = cursor.fetchone()
            if ballot is None:
                raise VotingError("nothing_to_take_back")
        now = timezone.now()
        sequence = events + 1
        previous = head or GENESIS
        new_hash = event_hash(
            previous_hash=previous,
            round_id=round_id,
            chain=pseudonym,
            sequence=sequence,
            card_id=card_id,
            delta=delta,
            source=source.value,
            created_at=now.isoformat(),
        )
        key_id, key = audit_keys.current()
        cursor.execute(dot_sql.BUDGET, [delta, sequence, new_hash, voter_id, events, delta, delta])
        if cursor.rowcount != 1:  # cannot happen under the row lock; refuse rather than overdraw
            raise VotingError("budget_exhausted")
        cursor.execute(
            dot_sql.EVENT,
            [
                round_id,
                voter_id,
                card_id,
                delta,
                source.value,
                actor.pk if actor is not None else None,
                now,
                sequence,
                previous,
                new_hash,
                key_id,
                event_mac(key, new_hash),
            ],
        )
    return DotResult(card_id=card_id, card_dots=ballot[0], used=used + delta, budget=budget)


_SQLITE_WRITER = threading.Lock()


@contextmanager
def _writer_turn(postgres: bool) -> Iterator[None]:
    """SQLite admits one writer at a time: the threads of one process queue here, which is
    much faster than each of them sleeping in SQLite's busy handler. PostgreSQL needs no queue."""
    if postgres:
        yield
        return
    with _SQLITE_WRITER:
        yield


def code_fingerprint(code: str) -> str:
    """A short digest of a voter's current code: a joined device holds it; a reissued code changes it."""
    import hashlib

    return hashlib.sha256(code.encode()).hexdigest()[:16]


# --- rounds -----------------------------------------------------------------------------------


def _unique(make: Callable[[], str], exists: Callable[[str], bool]) -> str:
    for _attempt in range(20):
        value = make()
        if not exists(value):
            return value
    raise RuntimeError("could not draw a unique code")


@transaction.atomic
def create_round(
    *,
    process: Process,
    title: str,
    theme_field: ThemeField | None = None,
    dots_per_voter: int | None = None,
    cap_per_card: int | None = None,
    hide_results: bool = True,
    shuffle: bool = False,
    secret: bool = False,
    cards: Sequence[Card] = (),
) -> VotingRound:
    """A prepared round with a voter and a personal code for every member with a voting right.

    ``cards``: the round is over exactly these cards (else the theme field's, or all)."""
    if theme_field is not None and theme_field.process_id != process.pk:
        raise ValidationError({"theme_field": _("Unknown theme field.")})
    voting_round = VotingRound(
        process=process,
        title=title.strip(),
        theme_field=theme_field,
        dots_per_voter=dots_per_voter or process.dots_per_voter,
        cap_per_card=cap_per_card if cap_per_card is not None else process.cap_per_card,
        hide_results=hide_results,
        shuffle=shuffle,
        secret=secret,
        short_code=_unique(
            codes.round_code, lambda c: VotingRound.objects.filter(short_code=c).exists()
        ),
    )
    if voting_round.cap_per_card and voting_round.cap_per_card > voting_round.dots_per_voter:
        raise ValidationError(
            {"cap_per_card": _("The cap per card cannot exceed the dots per voter.")}
        )
    voting_round.full_clean()
    voting_round.save()
    if cards:
        if any(card.theme_field.process_id != process.pk for card in cards):
            raise ValidationError(_("This card is not part of the round."))
        voting_round.cards.set(cards)
    members = Member.objects.filter(process=process, voting=True, erased_at=None).order_by(
        "position", "id"
    )
    for member in members:
        _add_voter(voting_round, member)
    return voting_round


def _add_voter(voting_round: VotingRound, member: Member) -> Voter:
    voter = Voter(
        voting_round=voting_round,
        member=None if voting_round.secret else member,
        stakeholder_group_id=member.stakeholder_group_id,
        pseudonym=_unique(
            codes.pseudonym,
            lambda p: Voter.objects.filter(voting_round=voting_round, pseudonym=p).exists(),
        ),
        code=_unique(codes.personal_code, lambda c: Voter.objects.filter(code=c).exists()),
        budget=voting_round.dots_per_voter,
    )
    voter.save()
    return voter


@transaction.atomic
def sync_voters(*, voting_round: VotingRound) -> int:
    """Give members who gained a voting right since the round was prepared their code."""
    if voting_round.state != RoundState.PREPARED or voting_round.secret:
        return 0
    have = set(voting_round.voters.exclude(member=None).values_list("member_id", flat=True))
    added = 0
    for member in Member.objects.filter(
        process=voting_round.process, voting=True, erased_at=None
    ).exclude(pk__in=have):
        _add_voter(voting_round, member)
        added += 1
    return added


def _refresh_projectors(voting_round: VotingRound) -> None:
    """A new state shows on the projectors at their next poll, not after the shared second."""
    token = voting_round.projector_token
    projector_cache.forget(token)
    # and again after the commit: a poll may have cached the old state in between
    transaction.on_commit(lambda: projector_cache.forget(token))


def _locked_round(voting_round: VotingRound) -> VotingRound:
    return VotingRound.objects.select_for_update().get(pk=voting_round.pk)


def _transition(
    voting_round: VotingRound,
    *,
    source: str,
    target: str,
    stamp: str,
    refusal: StrOrPromise,
    also: Callable[[VotingRound], list[str]] | None = None,
) -> VotingRound:
    """Move a round from one state to the next under its row lock, or refuse."""
    locked = _locked_round(voting_round)  # waits for every dot in flight (they share-lock it)
    if locked.state != source:
        raise ValidationError(refusal)
    locked.state = target
    setattr(locked, stamp, timezone.now())
    fields = ["state", stamp, *(also(locked) if also else [])]
    locked.save(update_fields=fields)
    _refresh_projectors(locked)
    return locked


@transaction.atomic
def open_round(*, voting_round: VotingRound) -> VotingRound:
    return _transition(
        voting_round,
        source=RoundState.PREPARED,
        target=RoundState.OPEN,
        stamp="opened_at",
        refusal=_("Only a prepared round can be opened."),
    )


def _seal(locked: VotingRound) -> list[str]:
    heads = list(locked.voters.values_list("pseudonym", "chain_head"))
    heads.append((PAPER_CHAIN, locked.paper_chain_head))
    locked.seal = seal(heads)
    locked.seal_key_id, key = audit_keys.current()
    locked.seal_mac = seal_mac(key, locked.seal)
    return ["seal", "seal_key_id", "seal_mac"]


@transaction.atomic
def close_round(*, voting_round: VotingRound) -> VotingRound:
    """Close the round for good: no dot can be placed or taken back afterwards."""
    return _transition(
        voting_round,
        source=RoundState.OPEN,
        target=RoundState.CLOSED,
        stamp="closed_at",
        refusal=_("Only an open round can be closed."),
        also=_seal,
    )


@transaction.atomic
def reveal_round(*, voting_round: VotingRound) -> VotingRound:
    revealed = _transition(
        voting_round,
        source=RoundState.CLOSED,
        target=RoundState.REVEALED,
        stamp="revealed_at",
        refusal=_("Results can be revealed once the round is closed."),
    )
    reveal_changes(round_id=revealed.pk)  # the paper dots entered are part of the result now
    return revealed


@transaction.atomic
def delete_round(*, voting_round: VotingRound) -> None:
    if voting_round.state != RoundState.PREPARED:
        raise ValidationError(
            _("Only a prepared round can be deleted; a round that was open is kept.")
        )
    voting_round.delete()


# --- codes --------------------------------------------------------------------------------------


def _record(
    voting_round: VotingRound, kind: ChangeKind, by: User | None, subject: str, *change: Values
) -> None:
    """Into the history: voters by pseudonym only; paper dots hidden until the reveal."""
    counts = kind == ChangeKind.PAPER_DOTS and voting_round.state != RoundState.REVEALED
    record_change(
        process=voting_round.process,
        kind=kind,
        by=by,
        subject=f"{voting_round.title} · {subject}",
        before=change[0],
        after=change[1],
        hidden_round=voting_round.pk if counts else None,
    )


@transaction.atomic
def revoke_code(*, voter: Voter, by: User | None) -> Voter:
    """The code stops working (a lost sheet or phone); the dots already placed stay."""
    was_revoked = voter.revoked_at is not None
    Voter.objects.filter(pk=voter.pk).update(revoked_at=timezone.now())
    voter.refresh_from_db()
    _record(
        voter.voting_round,
        ChangeKind.CODE_REVOKED,
        by,
        voter.pseudonym,
        {"revoked": was_revoked},
        {"revoked": True},
    )
    return voter


@transaction.atomic
def reissue_code(*, voter: Voter, by: User | None) -> Voter:
    """A new code for the same voter; the old code and every device joined with it stop working."""
    was_revoked = voter.revoked_at is not None
    new_code = _unique(codes.personal_code, lambda c: Voter.objects.filter(code=c).exists())
    Voter.objects.filter(pk=voter.pk).update(
        code=new_code, revoked_at=None, picked_up_at=None, joined_at=None
    )
    voter.refresh_from_db()
    _record(
        voter.voting_round,
        ChangeKind.CODE_REISSUED,
        by,
        voter.pseudonym,
        {"revoked": was_revoked, "new_code": False},
        {"revoked": False, "new_code": True},
    )
    return voter


def voter_for_code(code: str) -> Voter | None:
    normalised = codes.normalise_code(code)
    if len(normalised) != codes.PERSONAL_CODE_LENGTH:
        return None
    return (
        Voter.objects.select_related("voting_round", "voting_round__process")
        .filter(code=normalised, revoked_at=None)
        .exclude(voting_round__state__in=[RoundState.CLOSED, RoundState.REVEALED])
        .first()
    )


@transaction.atomic
def mark_joined(*, voter: Voter) -> None:
    Voter.objects.filter(pk=voter.pk, joined_at=None).update(joined_at=timezone.now())


@transaction.atomic
def pick_up_code(*, voting_round: VotingRound, voter_id: int) -> Voter:
    """Self-service: a member picks their own entry with the round code and gets their code once."""
    claim_entry(entry=Voter.objects.filter(pk=voter_id, voting_round=voting_round))
    return Voter.objects.get(pk=voter_id)


@transaction.atomic
def claim_entry(*, entry: QuerySet[Any]) -> None:
    """Mark the one entry (voter, participant) picked up if it is still free, else refuse."""
    updated = entry.filter(revoked_at=None, picked_up_at=None, joined_at=None).update(
        picked_up_at=timezone.now()
    )
    if updated != 1:
        raise ValidationError(
            _("This code has been picked up already. If that was not you, tell the facilitator.")
        )


# --- paper --------------------------------------------------------------------------------------


@transaction.atomic
def set_paper_total(
    *, voting_round: VotingRound, card: Card, dots: int, actor: User | None
) -> PaperTally:
    """Paper dots counted on a card (not attributed to a member): set the total."""
    if dots < 0:
        raise ValidationError({"dots": _("Dots cannot be negative.")})
    locked = _locked_round(voting_round)
    if locked.state != RoundState.OPEN:
        raise ValidationError(_("Paper dots can be entered while the round is open."))
    if not _card_in_round(locked, card):
        raise ValidationError(_("This card is not part of the round."))
    tally, _created = PaperTally.objects.select_for_update().get_or_create(
        voting_round=locked, card=card
    )
    before = tally.dots
    delta = dots - before
    if delta == 0:
        return tally
    budget = sum(locked.voters.values_list("budget", flat=True))
    digital = sum(locked.voters.values_list("used", flat=True))
    paper = sum(locked.paper_tallies.values_list("dots", flat=True)) + delta
    if digital + paper > budget:
        raise ValidationError(
            {
                "dots": _("More dots than the members of the round have in all (%(budget)s).")
                % {"budget": budget}
            }
        )
    tally.dots = dots
    tally.save(update_fields=["dots"])
    now = timezone.now()
    sequence = locked.paper_events + 1
    previous = locked.paper_chain_head or GENESIS
    new_hash = event_hash(
        previous_hash=previous,
        round_id=locked.pk,
        chain=PAPER_CHAIN,
        sequence=sequence,
        card_id=card.pk,
        delta=delta,
        source=Source.PAPER_TOTAL.value,
        created_at=now.isoformat(),
    )
    key_id, key = audit_keys.current()
    DotEvent.objects.create(
        voting_round=locked,
        voter=None,
        card=card,
        delta=delta,
        source=Source.PAPER_TOTAL,
        actor=actor,
        created_at=now,
        sequence=sequence,
        previous_hash=previous,
        hash=new_hash,
        key_id=key_id,
        mac=event_mac(key, new_hash),
    )
    VotingRound.objects.filter(pk=locked.pk).update(
        paper_events=sequence, paper_chain_head=new_hash
    )
    _record(locked, ChangeKind.PAPER_DOTS, actor, card.label, {"dots": before}, {"dots": dots})
    return tally


def set_paper_ballot(
    *, voter: Voter, card: Card, dots: int, actor: User | None
) -> DotResult | None:
    """Paper dots of one member on one card: placed or taken back one by one, all or nothing."""
    if dots < 0:
        raise ValidationError({"dots": _("Dots cannot be negative.")})
    current = voter.ballots.filter(card=card).values_list("dots", flat=True).first() or 0
    step = 1 if dots > current else -1
    result = None
    try:
        with transaction.atomic():
            for _step in range(abs(dots - current)):
                result = _change_dot(
                    voter.pk, card.pk, step, Source.PAPER, actor, None, durable=False
                )
            if dots != current:  # by the voter's pseudonym, never the name
                subject = f"{voter.pseudonym} · {card.label}"
                change = ({"dots": current}, {"dots": dots})
                _record(voter.voting_round, ChangeKind.PAPER_DOTS, actor, subject, *change)
    except VotingError as error:
        raise ValidationError(error.message) from None
    return result


def _card_in_round(voting_round: VotingRound, card: Card) -> bool:
    if card.theme_field.process_id != voting_round.process_id:
        return False
    if voting_round.cards.exists() and not voting_round.cards.filter(pk=card.pk).exists():
        return False
    return voting_round.theme_field_id is None or card.theme_field_id == voting_round.theme_field_id
