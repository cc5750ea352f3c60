"""Reads of a card collection: the wall, a phone's view of its theme field, the ETag stamp."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum

from klebepunkt.collection.models import (
    CardState,
    CardSupport,
    CollectedCard,
    Collection,
    Participant,
)
from klebepunkt.domain.model import Card as DomainCard
from klebepunkt.domain.model import Tally
from klebepunkt.domain.similarity import similar_cards
from klebepunkt.processes import selectors as process_selectors
from klebepunkt.processes.models import ThemeField

ALIKE_THRESHOLD = 0.6  # as the card form's help


def wall_stamp(collection: Collection, *, theme_field_id: int | None = None) -> str:
    """Changes whenever anything on the wall (or in one theme field) changes: the ETag."""
    cards = CollectedCard.objects.filter(collection=collection)
    if theme_field_id is not None:
        cards = cards.filter(theme_field_id=theme_field_id)
    # every change of a card raises its version by one and a new card adds one to the count,
    # so the sum of the versions grows with every change, whatever order transactions commit in
    figures = cards.aggregate(n=Count("id"), versions=Sum("version"))
    supports = CardSupport.objects.filter(collected_card__collection=collection).count()
    state = Collection.objects.filter(pk=collection.pk).values_list("state", "voting_round_id")
    raw = f"{collection.pk}:{list(state)}:{figures['n']}:{figures['versions']}:{supports}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


@dataclass
class WallCard:
    card: CollectedCard
    merged: list[CollectedCard] = field(default_factory=list)


@dataclass
class WallField:
    theme_field: ThemeField
    cards: list[WallCard] = field(default_factory=list)
    sent_back: list[CollectedCard] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return sum(1 for entry in self.cards if entry.card.state == CardState.ACCEPTED)


def cards_of(collection: Collection) -> QuerySet[CollectedCard]:
    return (
        CollectedCard.objects.filter(collection=collection)
        .select_related("stakeholder_group", "theme_field")
        .annotate(support_count=Count("supports"))
    )


def wall(collection: Collection, *, theme_field_id: int | None = None) -> list[WallField]:
    """The cards per theme field: on the wall (with what was merged into them), sent back."""
    fields = list(collection.theme_fields.order_by("position", "id"))
    if theme_field_id is not None:
        fields = [f for f in fields if f.pk == theme_field_id]
    by_field = {f.pk: WallField(f) for f in fields}
    cards = list(cards_of(collection).filter(theme_field__in=by_field.keys()))
    entries = {
        c.pk: WallCard(c) for c in cards if c.state in (CardState.SUBMITTED, CardState.ACCEPTED)
    }
    for card in cards:
        if card.pk in entries:
            by_field[card.theme_field_id].cards.append(entries[card.pk])
        elif card.state == CardState.MERGED and card.merged_into_id in entries:
            entries[card.merged_into_id].merged.append(card)
        elif card.state == CardState.SENT_BACK:
            by_field[card.theme_field_id].sent_back.append(card)
    return list(by_field.values())


def own_cards(participant: Participant, collection: Collection) -> list[CollectedCard]:
    return list(
        cards_of(collection)
        .filter(author=participant)
        .exclude(state=CardState.WITHDRAWN)
        .order_by("-created_at", "-id")
    )


def open_collections(participant: Participant) -> QuerySet[Collection]:
    return Collection.objects.filter(meeting=participant.meeting_id).order_by("-created_at", "-id")


def alike(
    collection: Collection, theme_field: ThemeField, text: str, *, exclude: int | None = None
) -> list[tuple[str, float, int | None]]:
    """Cards on the wall and cards of the process in this theme field that look like ``text``:
    (text, similarity, the wall card's id or None for a card of the process)."""
    texts: dict[str, str] = {}
    for card in cards_of(collection).filter(
        theme_field=theme_field, state__in=(CardState.SUBMITTED, CardState.ACCEPTED)
    ):
        if card.pk != exclude and card.card_id is None:
            texts[f"w{card.pk}"] = card.text
    tally = process_selectors.tally_of(collection.meeting.process, include_rounds=False)
    for process_card in tally.cards:
        if process_card.theme_field == theme_field.name and process_card.text:
            texts[f"p{process_card.id}"] = process_card.text
    candidates = tuple(
        DomainCard(id=key, theme_field=theme_field.name, text=value) for key, value in texts.items()
    )
    index_tally = Tally(
        goals=(),
        cards=(*candidates, DomainCard(id="new", theme_field=theme_field.name, text=text)),
        theme_fields=tally.theme_fields,
    )
    found: list[tuple[str, float, int | None]] = []
    for pair in similar_cards(index_tally, threshold=ALIKE_THRESHOLD):
        if "new" in (pair.first.id, pair.second.id):
            other = pair.second if pair.first.id == "new" else pair.first
            entry = int(other.id[1:]) if other.id.startswith("w") else None
            found.append((other.text, pair.score, entry))
    return found[:5]
