"""Every write of a card collection: one function each, one transaction each.

The invariants live in the database: a card sent twice is stored once (a unique
constraint on the collection and the idempotency key; the second insert waits for
the first and then finds it); an edit is a conditional ``UPDATE … WHERE version = n``,
so of two concurrent saves the second is told the card changed, and its text is kept
as a conflicting revision next to the first; a submission share-locks the collection
(PostgreSQL ``FOR SHARE``; SQLite takes the write lock at BEGIN), so closing it
(``FOR UPDATE``) waits for cards in flight and every later card sees it closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klebepunkt.collection.models import (
    CardRevision,
    CardState,
    CardSupport,
    CollectedCard,
    Collection,
    CollectionState,
    Participant,
)
from klebepunkt.domain import collection as rules
from klebepunkt.domain.messages import CodedRefusal
from klebepunkt.domain.similarity import normalise_german
from klebepunkt.processes import services as process_services
from klebepunkt.processes.models import Card, Meeting, Member, Origin, ThemeField
from klebepunkt.voting import codes
from klebepunkt.voting import services as voting_services
from klebepunkt.voting.models import Voter, VotingRound

MAX_KEY = 64


class CollectionError(CodedRefusal):
    """A card that cannot be written or changed, with a message for the member."""

    MESSAGES = {
        "closed": _("The card collection is closed: no new cards and no changes."),
        "unknown_participant": _("Unknown code. Please join again with your personal code."),
        "code_revoked": _("This code has been revoked. Please ask the facilitator for a new one."),
        "not_yours": _("This is not one of your cards."),
        "theme_field": _("This theme field is not part of the card collection."),
        "decided": _("The facilitator has decided on this card already; it cannot be changed."),
        "bad_key": _("The card could not be sent (no valid key). Please reload the page."),
        "merge": _("A card can only be merged into another card of the same theme field."),
        "support": _("Only a card of another member on the wall can be supported."),
    }


@dataclass(frozen=True, slots=True)
class CardFields:
    text: str = ""
    goal_text: str = ""
    indicator: str = ""
    responsible: str = ""

    def cleaned(self) -> CardFields:
        return CardFields(
            text=self.text.strip(),
            goal_text=self.goal_text.strip(),
            indicator=self.indicator.strip(),
            responsible=self.responsible.strip(),
        )


FIELD_LIMITS = {
    "text": (rules.MAX_TEXT, _("recommendation")),
    "goal_text": (rules.MAX_GOAL, _("suggested goal")),
    "indicator": (rules.MAX_INDICATOR, _("indicator")),
    "responsible": (rules.MAX_RESPONSIBLE, _("responsible body")),
}


def check_fields(fields: CardFields) -> CardFields:
    """The fields, trimmed, or a ValidationError per field with a message in the user's language."""
    fields = fields.cleaned()
    errors: dict[str, list[str]] = {}
    for name, (limit, label) in FIELD_LIMITS.items():
        value = getattr(fields, name)
        if "\x00" in value:
            errors[name] = [str(_("Null characters are not allowed."))]
        elif len(value) > limit:
            errors[name] = [
                str(_("The %(field)s may have at most %(limit)s characters (it has %(count)s)."))
                % {"field": label, "limit": limit, "count": len(value)}
            ]
    if not fields.text and "text" not in errors:
        errors["text"] = [str(_("A card needs a recommendation text."))]
    if errors:
        raise ValidationError(errors)
    return fields


class CardChanged(Exception):
    """The card was changed by somebody else since it was loaded: both texts are kept."""

    def __init__(self, current: CollectedCard, yours: CardFields):
        self.current = current
        self.yours = yours
        super().__init__("card changed")


# --- codes and participants ------------------------------------------------------------------


def _code_is_free(code: str) -> bool:
    return (
        not Participant.objects.filter(code=code).exists()
        and not Voter.objects.filter(code=code).exists()
    )


def _unique(make: object, free: object) -> str:
    for _attempt in range(20):
        value = make()  # type: ignore[operator]
        if free(value):  # type: ignore[operator]
            return str(value)
    raise RuntimeError("could not draw a unique code")


def ensure_participants(*, meeting: Meeting) -> int:
    """A personal code for this meeting for every member (voting right or not) without one."""
    have = set(meeting.participants.values_list("member_id", flat=True))
    added = 0
    for member in Member.objects.filter(process=meeting.process_id, erased_at=None).exclude(
        pk__in=have
    ):
        Participant.objects.create(
            meeting=meeting, member=member, code=_unique(codes.personal_code, _code_is_free)
        )
        added += 1
    return added


def participant_for_code(code: str) -> Participant | None:
    """The participant with this personal code, if it is valid and a collection was held."""
    normalised = codes.normalise_code(code)
    if len(normalised) != codes.PERSONAL_CODE_LENGTH:
        return None
    return (
        Participant.objects.select_related("meeting", "member")
        .filter(code=normalised, revoked_at=None, meeting__collections__isnull=False)
        .first()
    )


def mark_joined(*, participant: Participant) -> None:
    Participant.objects.filter(pk=participant.pk, joined_at=None).update(joined_at=timezone.now())


@transaction.atomic
def pick_up_code(*, collection: Collection, participant_id: int) -> Participant:
    """Self-service with the meeting code: a member picks their own name and gets their code once."""
    voting_services.claim_entry(
        entry=Participant.objects.filter(pk=participant_id, meeting=collection.meeting_id)
    )
    return Participant.objects.get(pk=participant_id)


@transaction.atomic
def revoke_code(*, participant: Participant) -> None:
    Participant.objects.filter(pk=participant.pk).update(revoked_at=timezone.now())


# --- the collection ----------------------------------------------------------------------------


@transaction.atomic
def open_collection(
    *,
    meeting: Meeting,
    question: str,
    theme_fields: Sequence[ThemeField],
    hide_groups: bool = False,
) -> Collection:
    """Open a card collection in a meeting; every member gets a personal code for the meeting."""
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Please enter the question to show.")})
    if len(question) > rules.MAX_QUESTION:
        raise ValidationError(
            {"question": _("At most %(limit)s characters.") % {"limit": rules.MAX_QUESTION}}
        )
    if not theme_fields:
        raise ValidationError({"theme_fields": _("Choose at least one theme field.")})
    if any(field.process_id != meeting.process_id for field in theme_fields):
        raise ValidationError({"theme_fields": _("Unknown theme field.")})
    collection = Collection.objects.create(
        meeting=meeting,
        question=question,
        hide_groups=hide_groups,
        short_code=_unique(
            codes.round_code,
            lambda c: (
                not Collection.objects.filter(short_code=c).exists()
                and not VotingRound.objects.filter(short_code=c).exists()
            ),
        ),
    )
    collection.theme_fields.set(theme_fields)
    ensure_participants(meeting=meeting)
    return collection


@transaction.atomic
def close_collection(*, collection: Collection) -> Collection:
    """No new cards and no changes by the members; waits for cards in flight."""
    locked = Collection.objects.select_for_update().get(pk=collection.pk)
    if locked.state != CollectionState.OPEN:
        raise ValidationError(_("The card collection is closed already."))
    locked.state = CollectionState.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["state", "closed_at"])
    return locked


def _share_lock_open(collection_id: int) -> Collection:
    """The collection, share-locked: closing it waits for this transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM collection_collection WHERE id = %s FOR SHARE", [collection_id]
            )
    collection = Collection.objects.get(pk=collection_id)
    if collection.state != CollectionState.OPEN:
        raise CollectionError("closed")
    return collection


def _check_author(author: Participant, collection: Collection) -> None:
    current = Participant.objects.filter(pk=author.pk).values("revoked_at", "meeting_id").first()
    if current is None or current["meeting_id"] != collection.meeting_id:
        raise CollectionError("unknown_participant")
    if current["revoked_at"] is not None:
        raise CollectionError("code_revoked")


def _revision(card: CollectedCard, fields: CardFields, *, version: int, **flags: bool) -> None:
    CardRevision.objects.create(
        collected_card=card,
        version=version,
        text=fields.text,
        goal_text=fields.goal_text,
        indicator=fields.indicator,
        responsible=fields.responsible,
        created_at=timezone.now(),
        **flags,
    )


def submit_card(
    *,
    collection: Collection,
    author: Participant | None,
    theme_field_id: int,
    fields: CardFields,
    idempotency_key: str,
) -> tuple[CollectedCard, bool]:
    """Store a card (``author`` None: typed in from paper at the wall) once per key.

    Returns the card and whether it was new; a repeated key returns the stored card."""
    key = idempotency_key.strip()
    if not key or len(key) > MAX_KEY or not key.isascii() or not key.isprintable():
        raise CollectionError("bad_key")
    fields = check_fields(fields)
    with transaction.atomic(durable=True):
        stored = _stored(collection.pk, key, author)
        if stored is not None:
            return stored, False
        locked = _share_lock_open(collection.pk)
        if author is not None:
            _check_author(author, locked)
        if not locked.theme_fields.filter(pk=theme_field_id).exists():
            raise CollectionError("theme_field")
        now = timezone.now()
        try:
            with transaction.atomic():
                card = CollectedCard.objects.create(
                    collection=locked,
                    theme_field_id=theme_field_id,
                    author=author,
                    stakeholder_group_id=author.member.stakeholder_group_id if author else None,
                    from_paper=author is None,
                    text=fields.text,
                    goal_text=fields.goal_text,
                    indicator=fields.indicator,
                    responsible=fields.responsible,
                    idempotency_key=key,
                    created_at=now,
                    updated_at=now,
                )
                _revision(card, fields, version=0)
        except IntegrityError:  # the same card, sent at the same moment, was stored first
            stored = _stored(collection.pk, key, author)
            if stored is None:
                raise
            return stored, False
    return card, True


def _stored(collection_id: int, key: str, author: Participant | None) -> CollectedCard | None:
    stored = CollectedCard.objects.filter(collection_id=collection_id, idempotency_key=key).first()
    if stored is not None and (author.pk if author else None) != stored.author_id:
        raise CollectionError("bad_key")  # somebody else's key: refuse, show nothing
    return stored


def edit_card(
    *,
    card: CollectedCard,
    fields: CardFields,
    version: int,
    author: Participant | None,
    theme_field_id: int | None = None,
) -> CollectedCard:
    """Save new texts on top of ``version``; ``author`` None: the facilitator edits.

    If the card changed since ``version``, nothing is overwritten: the texts are kept as a
    conflicting revision and CardChanged carries the current card and these texts."""
    fields = check_fields(fields)
    conflict = None
    with transaction.atomic(durable=True):
        current = CollectedCard.objects.select_for_update().get(pk=card.pk)
        collection = Collection.objects.get(pk=current.collection_id)
        if author is not None:
            if current.author_id != author.pk:
                raise CollectionError("not_yours")
            _check_author(author, collection)
            if not collection.is_open:
                raise CollectionError("closed")
            if not rules.author_may_change(rules.CardState(current.state), collection_open=True):
                raise CollectionError("decided")
            state = rules.state_after_author_edit(rules.CardState(current.state))
        else:
            if not rules.facilitator_may_decide(rules.CardState(current.state)):
                raise CollectionError("decided")
            state = rules.CardState(current.state)
        field_id = current.theme_field_id
        if theme_field_id is not None and theme_field_id != field_id:
            if not collection.theme_fields.filter(pk=theme_field_id).exists():
                raise CollectionError("theme_field")
            field_id = theme_field_id
        updated = CollectedCard.objects.filter(pk=card.pk, version=version).update(
            text=fields.text,
            goal_text=fields.goal_text,
            indicator=fields.indicator,
            responsible=fields.responsible,
            theme_field_id=field_id,
            state=state.value,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        _revision(
            current, fields, version=version, conflict=updated != 1, by_facilitator=author is None
        )
        if updated != 1:
            conflict = current
    if conflict is not None:
        raise CardChanged(conflict, fields)
    return CollectedCard.objects.get(pk=card.pk)


@transaction.atomic
def withdraw_card(*, card: CollectedCard, author: Participant) -> CollectedCard:
    """The author takes their card off the wall (it is kept, marked withdrawn)."""
    current = CollectedCard.objects.select_for_update().get(pk=card.pk)
    if current.author_id != author.pk:
        raise CollectionError("not_yours")
    collection = Collection.objects.get(pk=current.collection_id)
    _check_author(author, collection)
    if not collection.is_open:
        raise CollectionError("closed")
    if not rules.author_may_change(rules.CardState(current.state), collection_open=True):
        raise CollectionError("decided")
    return _set_state(current, CardState.WITHDRAWN)


def _set_state(
    entry: CollectedCard,
    state: CardState,
    *,
    actor: AbstractBaseUser | None = None,
    **extra: object,
) -> CollectedCard:
    now = timezone.now()
    entry.state = state
    entry.version += 1
    entry.updated_at = now
    fields = ["state", "version", "updated_at", *extra]
    if actor is not None:
        entry.decided_at = now
        entry.decided_by = actor  # type: ignore[assignment]
        fields += ["decided_at", "decided_by"]
    for name, value in extra.items():
        setattr(entry, name, value)
    entry.save(update_fields=fields)
    return entry


def _for_decision(card: CollectedCard) -> CollectedCard:
    current = CollectedCard.objects.select_for_update().get(pk=card.pk)
    if not rules.facilitator_may_decide(rules.CardState(current.state)):
        raise CollectionError("decided")
    return current


def support_card(*, card: CollectedCard, participant: Participant) -> bool:
    """The member supports a card on the wall (once; a second time changes nothing).

    Returns whether the support is new."""
    with transaction.atomic(durable=True):
        locked = _share_lock_open(card.collection_id)
        _check_author(participant, locked)
        current = CollectedCard.objects.get(pk=card.pk)
        if current.author_id == participant.pk or current.state not in (
            CardState.SUBMITTED,
            CardState.ACCEPTED,
        ):
            raise CollectionError("support")
        try:
            with transaction.atomic():
                CardSupport.objects.create(
                    collected_card=current, participant=participant, created_at=timezone.now()
                )
        except IntegrityError:  # supported already
            return False
    return True


@transaction.atomic
def send_back(*, card: CollectedCard, reason: str, actor: AbstractBaseUser) -> CollectedCard:
    """Back to the author with a reason; the card is kept (they may rework it while open)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    if len(reason) > rules.MAX_REASON or "\x00" in reason:
        raise ValidationError(
            {"reason": _("At most %(limit)s characters.") % {"limit": rules.MAX_REASON}}
        )
    current = _for_decision(card)
    return _set_state(current, CardState.SENT_BACK, actor=actor, reason=reason)


@transaction.atomic
def accept_card(*, card: CollectedCard, actor: AbstractBaseUser) -> CollectedCard:
    """The card becomes an ordinary card of the process (origin: meeting)."""
    current = _for_decision(card)
    field = ThemeField.objects.get(pk=current.theme_field_id)
    goal = None
    if current.goal_text:
        wanted = normalise_german(current.goal_text)
        goal = next((g for g in field.goals.all() if normalise_german(g.text) == wanted), None)
    process_card = process_services.create_card(
        theme_field=field,
        goal=goal,
        fields=process_services.CardFields(
            text=current.text,
            indicator=current.indicator,
            responsible=current.responsible,
            origin=Origin.MEETING,
        ),
    )
    return _set_state(current, CardState.ACCEPTED, actor=actor, card=process_card, reason="")


@transaction.atomic
def merge_cards(
    *, source: CollectedCard, target: CollectedCard, actor: AbstractBaseUser
) -> CollectedCard:
    """A look-alike goes into another card: it stays under it, marked merged."""
    current = _for_decision(source)
    into = CollectedCard.objects.select_for_update().get(pk=target.pk)
    if (
        into.pk == current.pk
        or into.collection_id != current.collection_id
        or into.theme_field_id != current.theme_field_id
        or into.state not in (CardState.SUBMITTED, CardState.ACCEPTED)
    ):
        raise CollectionError("merge")
    return _set_state(current, CardState.MERGED, actor=actor, merged_into=into)


@transaction.atomic
def start_round(
    *,
    collection: Collection,
    title: str,
    dots_per_voter: int | None = None,
    cap_per_card: int | None = None,
    secret: bool = False,
) -> VotingRound:
    """A voting round over exactly the cards accepted in this meeting.

    The members keep the personal code of the meeting for the round (unless it is secret:
    then the stored records must not lead to the member, and everybody gets a new code)."""
    locked = Collection.objects.select_for_update().get(pk=collection.pk)
    if locked.state != CollectionState.CLOSED:
        raise ValidationError(_("Close the card collection first."))
    cards = list(
        Card.objects.filter(
            collected_as__collection__meeting=locked.meeting_id,
            collected_as__state=CardState.ACCEPTED,
        ).select_related("theme_field")
    )
    if not cards:
        raise ValidationError(_("No card has been accepted in this meeting."))
    voting_round = voting_services.create_round(
        process=locked.meeting.process,
        title=title,
        dots_per_voter=dots_per_voter,
        cap_per_card=cap_per_card,
        secret=secret,
        cards=cards,
    )
    if not secret:
        meeting_codes = dict(locked.meeting.participants.values_list("member_id", "code"))
        for voter in voting_round.voters.all():
            code = meeting_codes.get(voter.member_id) if voter.member_id else None
            if code and not Voter.objects.filter(code=code).exists():
                Voter.objects.filter(pk=voter.pk).update(code=code)
    locked.voting_round = voting_round
    locked.save(update_fields=["voting_round"])
    return voting_round


def voter_in_round(*, participant: Participant, voting_round: VotingRound) -> Voter | None:
    """The participant's place in the meeting's round (same code), if they have a voting right."""
    return Voter.objects.filter(
        voting_round=voting_round, code=participant.code, revoked_at=None
    ).first()
