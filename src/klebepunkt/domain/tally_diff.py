"""What importing a sheet into an existing process would change.

Cards are matched by theme field and whitespace-normalised text (a card without
text by its goal's text); goals by theme field and text. The diff is shown to the
facilitator as a preview before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from klebepunkt.domain.model import Card, Goal, Tally, normalise_text


class CardChange(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    MISSING = "missing"  # in the process, not in the sheet


@dataclass(frozen=True, slots=True)
class CardDiff:
    change: CardChange
    current: Card | None  # None for ADDED
    incoming: Card | None  # None for MISSING
    goal_text: str  # the goal the card will have ("" for none)
    fields: tuple[str, ...] = ()  # what changes for CHANGED: "dots", "goal", "indicator", …
    previous_goal_text: str = ""


@dataclass(frozen=True, slots=True)
class TallyDiff:
    new_theme_fields: tuple[str, ...]
    new_goals: tuple[Goal, ...]
    cards: tuple[CardDiff, ...]

    def of(self, change: CardChange) -> tuple[CardDiff, ...]:
        return tuple(diff for diff in self.cards if diff.change is change)

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.new_theme_fields
            or self.new_goals
            or any(d.change in (CardChange.ADDED, CardChange.CHANGED) for d in self.cards)
        )


def _goal_texts(tally: Tally) -> dict[str, str]:
    return {goal.id: goal.text for goal in tally.goals}


def card_key(card: Card, goal_texts: dict[str, str]) -> tuple[str, str, str]:
    if card.text.strip():
        return (card.theme_field, "card", normalise_text(card.text).casefold())
    goal_text = goal_texts.get(card.goal_id or "", "")
    return (card.theme_field, "goal", normalise_text(goal_text).casefold())


def goal_key(goal: Goal) -> tuple[str, str]:
    return (goal.theme_field, normalise_text(goal.text).casefold())


CARD_FIELDS = ("dots", "goal", "indicator", "responsible")


def diff_tallies(
    current: Tally, incoming: Tally, *, compare: tuple[str, ...] = CARD_FIELDS
) -> TallyDiff:
    """The changes that importing ``incoming`` makes; ``compare`` names the card fields it has."""
    current_goal_texts = _goal_texts(current)
    incoming_goal_texts = _goal_texts(incoming)
    known_fields = set(current.ordered_theme_fields())
    new_fields = tuple(name for name in incoming.ordered_theme_fields() if name not in known_fields)
    known_goals = {goal_key(goal) for goal in current.goals}
    new_goals = tuple(goal for goal in incoming.goals if goal_key(goal) not in known_goals)

    existing: dict[tuple[str, str, str], Card] = {}
    for card in current.cards:
        existing.setdefault(card_key(card, current_goal_texts), card)
    seen: set[tuple[str, str, str]] = set()
    diffs: list[CardDiff] = []
    for card in incoming.cards:
        key = card_key(card, incoming_goal_texts)
        goal_text = incoming_goal_texts.get(card.goal_id or "", "")
        if key in seen:
            continue  # a repeated row: the first one counts
        seen.add(key)
        old = existing.get(key)
        if old is None:
            diffs.append(CardDiff(CardChange.ADDED, None, card, goal_text))
            continue
        old_goal = current_goal_texts.get(old.goal_id or "", "")
        changed = tuple(
            name
            for name, before, after in (
                ("dots", old.dots, card.dots),
                ("goal", normalise_text(old_goal), normalise_text(goal_text)),
                ("indicator", old.indicator, card.indicator),
                ("responsible", old.responsible, card.responsible),
            )
            if name in compare and before != after
        )
        diffs.append(
            CardDiff(
                CardChange.CHANGED if changed else CardChange.UNCHANGED,
                old,
                card,
                goal_text,
                changed,
                old_goal,
            )
        )
    for key, card in existing.items():
        if key not in seen:
            goal_text = current_goal_texts.get(card.goal_id or "", "")
            diffs.append(CardDiff(CardChange.MISSING, card, None, goal_text))
    return TallyDiff(new_theme_fields=new_fields, new_goals=new_goals, cards=tuple(diffs))
