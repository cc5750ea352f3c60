"""The evaluation of a dot vote by the seed's method.

1. A card without a dot goes straight into the topic store (``no_dots``).
2. Cards with dots count under their goal; a goal's points follow from its cards'
   dots by the process's aggregation (the seed: the sum).
3. Goals that reach the threshold are the priorities; the cards of the others go
   into the topic store (``goal_below_threshold``).

A card with dots but no goal is "not yet clustered": it counts as a goal of its
own, with a warning. Everything here is pure and deterministic, and linear in the
number of cards.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from klebepunkt.domain.messages import DomainError, Location, Message, gettext_noop
from klebepunkt.domain.model import Card, Goal, Tally
from klebepunkt.domain.rules import Aggregation, Rules


class TopicStoreReason(StrEnum):
    NO_DOTS = "no_dots"
    GOAL_BELOW_THRESHOLD = "goal_below_threshold"

    @property
    def label(self) -> Message:
        return {
            TopicStoreReason.NO_DOTS: Message(gettext_noop("no dot")),
            TopicStoreReason.GOAL_BELOW_THRESHOLD: Message(
                gettext_noop("goal below the threshold")
            ),
        }[self]


class FindingCode(StrEnum):
    UNCLUSTERED_CARD = "unclustered_card"
    STATED_POINTS_DIFFER = "stated_points_differ"
    # departures of a hand-made table from the rule (klebepunkt.domain.consistency)
    MISSING_FROM_TOPIC_STORE = "missing_from_topic_store"
    PRIORITY_IN_TOPIC_STORE = "priority_in_topic_store"
    DUPLICATE_GOAL_NUMBER = "duplicate_goal_number"


@dataclass(frozen=True, slots=True)
class Finding:
    """A warning about the input: what, where, and a message for people."""

    code: FindingCode
    message: Message
    theme_field: str
    goal_id: str | None = None
    card_id: str | None = None
    row: int | None = None


@dataclass(frozen=True, slots=True)
class GoalResult:
    goal: Goal
    cards: tuple[Card, ...]  # the goal's cards that carry dots, in input order
    points: int
    is_priority: bool
    clustered: bool = True  # False: a card with dots and no goal, counted as a goal of its own

    @property
    def theme_field(self) -> str:
        return self.goal.theme_field

    @property
    def card_dots(self) -> int:
        return sum(card.dots for card in self.cards)


@dataclass(frozen=True, slots=True)
class TopicStoreEntry:
    card: Card
    reason: TopicStoreReason
    goal: Goal | None = None
    goal_points: int | None = None

    @property
    def theme_field(self) -> str:
        return self.card.theme_field

    @property
    def text(self) -> str:
        """The card's text; for a dot on the goal itself, the goal's text."""
        if self.card.text:
            return self.card.text
        return self.goal.text if self.goal else ""

    def explanation(self, threshold: int) -> Message:
        """Why the entry is in the topic store, with its goal's points against the threshold."""
        if self.reason is TopicStoreReason.GOAL_BELOW_THRESHOLD and self.goal_points is not None:
            return Message(
                gettext_noop("goal below the threshold (%(points)s of %(threshold)s)"),
                {"points": self.goal_points, "threshold": threshold},
            )
        return self.reason.label


class NearSide(StrEnum):
    BELOW = "below"  # one dot short of the threshold
    AT = "at"  # one dot less and it would drop below


@dataclass(frozen=True, slots=True)
class NearThreshold:
    goal: GoalResult
    side: NearSide


@dataclass(frozen=True, slots=True)
class ThemeFieldResult:
    name: str
    goals: tuple[GoalResult, ...]
    topic_store: tuple[TopicStoreEntry, ...]

    @property
    def dots(self) -> int:
        return sum(goal.card_dots for goal in self.goals)

    @property
    def priorities(self) -> tuple[GoalResult, ...]:
        return tuple(goal for goal in self.goals if goal.is_priority)


class PlacementKind(StrEnum):
    PRIORITY = "priority"
    TOPIC_STORE = "topic_store"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one card ended up, and why."""

    kind: PlacementKind
    goal: GoalResult | None
    entry: TopicStoreEntry | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    rules: Rules
    theme_fields: tuple[ThemeFieldResult, ...]
    warnings: tuple[Finding, ...]

    @property
    def threshold(self) -> int:
        return self.rules.goal_threshold

    @property
    def total_dots(self) -> int:
        return sum(field.dots for field in self.theme_fields)

    @property
    def goals(self) -> tuple[GoalResult, ...]:
        return tuple(goal for field in self.theme_fields for goal in field.goals)

    @property
    def priorities(self) -> tuple[GoalResult, ...]:
        return tuple(goal for goal in self.goals if goal.is_priority)

    @property
    def topic_store(self) -> tuple[TopicStoreEntry, ...]:
        return tuple(entry for field in self.theme_fields for entry in field.topic_store)

    @property
    def near_threshold(self) -> tuple[NearThreshold, ...]:
        near: list[NearThreshold] = []
        for goal in self.goals:
            if goal.points == self.threshold - 1:
                near.append(NearThreshold(goal, NearSide.BELOW))
            elif goal.points == self.threshold:
                near.append(NearThreshold(goal, NearSide.AT))
        return tuple(near)

    def placements(self) -> dict[str, Placement]:
        """Card id → where the card ended up. Every card has exactly one placement."""
        result: dict[str, Placement] = {}
        for goal in self.priorities:
            for card in goal.cards:
                result[card.id] = Placement(PlacementKind.PRIORITY, goal, None)
        goals_by_id = {goal.goal.id: goal for goal in self.goals}
        for entry in self.topic_store:
            goal_result = goals_by_id.get(entry.goal.id) if entry.goal else None
            result[entry.card.id] = Placement(PlacementKind.TOPIC_STORE, goal_result, entry)
        return result


def goal_points(cards: tuple[Card, ...] | list[Card], aggregation: Aggregation) -> int:
    """A goal's points from the dots of its cards, by the process's aggregation."""
    if not cards:
        return 0
    if aggregation is Aggregation.BEST_CARD:
        return max(card.dots for card in cards)
    return sum(card.dots for card in cards)


def evaluate(tally: Tally, rules: Rules | None = None) -> Evaluation:
    """Evaluate a tally by the rules (the seed's defaults when none are given)."""
    rules = rules or Rules()
    goals_by_id: dict[str, Goal] = {}
    for goal in tally.goals:
        if goal.id in goals_by_id:
            raise DomainError(
                Message(gettext_noop("Goal “%(goal)s” appears twice."), {"goal": goal.text}),
                Location(column=goal.theme_field),
            )
        goals_by_id[goal.id] = goal

    dotted: dict[str, list[Card]] = defaultdict(list)  # goal id → cards with dots
    unclustered: dict[str, list[Card]] = defaultdict(list)  # theme field → cards with dots, no goal
    no_dots: dict[str, list[TopicStoreEntry]] = defaultdict(list)
    for card in tally.cards:
        card_goal = _goal_of(card, goals_by_id)
        if card.dots <= 0:
            no_dots[card.theme_field].append(
                TopicStoreEntry(card=card, reason=TopicStoreReason.NO_DOTS, goal=card_goal)
            )
        elif card_goal is None:
            unclustered[card.theme_field].append(card)
        else:
            dotted[card_goal.id].append(card)

    goals_by_field: dict[str, list[GoalResult]] = defaultdict(list)
    warnings: list[Finding] = []
    for goal in tally.goals:
        cards = tuple(dotted.get(goal.id, ()))
        points = goal_points(cards, rules.aggregation)
        if goal.stated_points is not None and goal.stated_points != points:
            warnings.append(_stated_points_differ(goal, points, cards))
        if not cards:
            continue
        goals_by_field[goal.theme_field].append(
            GoalResult(goal, cards, points, is_priority=points >= rules.goal_threshold)
        )
    for field_name, cards_without_goal in unclustered.items():
        for card in cards_without_goal:
            own_goal = Goal(id=f"card:{card.id}", theme_field=field_name, text=card.text)
            points = goal_points((card,), rules.aggregation)
            goals_by_field[field_name].append(
                GoalResult(
                    own_goal,
                    (card,),
                    points,
                    is_priority=points >= rules.goal_threshold,
                    clustered=False,
                )
            )
            warnings.append(_unclustered(card))

    fields: list[ThemeFieldResult] = []
    for name in tally.ordered_theme_fields():
        goal_results = tuple(goals_by_field.get(name, ()))
        below = [
            TopicStoreEntry(
                card=card,
                reason=TopicStoreReason.GOAL_BELOW_THRESHOLD,
                goal=goal.goal,
                goal_points=goal.points,
            )
            for goal in goal_results
            if not goal.is_priority
            for card in goal.cards
        ]
        fields.append(
            ThemeFieldResult(name, goal_results, tuple(no_dots.get(name, [])) + tuple(below))
        )
    return Evaluation(rules=rules, theme_fields=tuple(fields), warnings=tuple(warnings))


def _goal_of(card: Card, goals_by_id: dict[str, Goal]) -> Goal | None:
    if card.goal_id is None:
        return None
    goal = goals_by_id.get(card.goal_id)
    if goal is None:
        raise DomainError(
            Message(
                gettext_noop("Card “%(card)s” refers to a goal that does not exist."),
                {"card": card.text},
            ),
            Location(row=card.row),
        )
    if goal.theme_field != card.theme_field:
        raise DomainError(
            Message(
                gettext_noop(
                    "Card “%(card)s” is in theme field “%(card_field)s”, "
                    "its goal in “%(goal_field)s”."
                ),
                {"card": card.text, "card_field": card.theme_field, "goal_field": goal.theme_field},
            ),
            Location(row=card.row),
        )
    return goal


def _stated_points_differ(goal: Goal, points: int, cards: tuple[Card, ...]) -> Finding:
    return Finding(
        code=FindingCode.STATED_POINTS_DIFFER,
        message=Message(
            gettext_noop("Goal “%(goal)s” states %(stated)s points, its cards carry %(points)s."),
            {"goal": goal.text, "stated": goal.stated_points, "points": points},
        ),
        theme_field=goal.theme_field,
        goal_id=goal.id,
        row=cards[0].row if cards else None,
    )


def _unclustered(card: Card) -> Finding:
    return Finding(
        code=FindingCode.UNCLUSTERED_CARD,
        message=Message(
            gettext_noop(
                "Card “%(card)s” has %(dots)s dots but no goal yet; it counts as a goal of its own."
            ),
            {"card": card.text, "dots": card.dots},
        ),
        theme_field=card.theme_field,
        card_id=card.id,
        row=card.row,
    )
