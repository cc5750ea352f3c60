"""The clustering effect: did a goal win only because it collected many cards?

Per goal: its number of cards against its points, and side by side what it would
score by other aggregations with the same threshold — the sum of its cards' dots,
the dots of its best card, and (with per-voter data) its distinct supporters.
This is information only: the process's own rule decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from klebepunkt.domain.ballots import arrange_ballots
from klebepunkt.domain.evaluation import Evaluation, GoalResult, goal_points
from klebepunkt.domain.messages import Message, gettext_noop
from klebepunkt.domain.model import Ballot
from klebepunkt.domain.rules import Aggregation


class WhatIf(StrEnum):
    """A way to score a goal, for comparison."""

    SUM = "sum"  # the sum of its cards' dots (the seed's rule)
    BEST_CARD = "best_card"  # the dots of its strongest card
    SUPPORTERS = "supporters"  # its distinct supporters (needs ballots)

    @property
    def label(self) -> Message:
        return {
            WhatIf.SUM: Message(gettext_noop("sum of the dots on its cards")),
            WhatIf.BEST_CARD: Message(gettext_noop("dots of its strongest card")),
            WhatIf.SUPPORTERS: Message(gettext_noop("number of distinct supporters")),
        }[self]


@dataclass(frozen=True, slots=True)
class WhatIfOutcome:
    scoring: WhatIf
    points: int
    is_priority: bool  # the same threshold reached by this scoring


@dataclass(frozen=True, slots=True)
class ClusteringEffect:
    goal: GoalResult
    outcomes: tuple[WhatIfOutcome, ...]  # sum, best card, and supporters when there are ballots

    @property
    def cards(self) -> int:
        return len(self.goal.cards)

    def outcome(self, scoring: WhatIf) -> WhatIfOutcome | None:
        return next((o for o in self.outcomes if o.scoring is scoring), None)

    @property
    def needs_several_cards(self) -> bool:
        """A priority that none of its cards would have made alone."""
        best = self.outcome(WhatIf.BEST_CARD)
        return self.goal.is_priority and best is not None and not best.is_priority

    @property
    def differs(self) -> bool:
        """Some other scoring would give the goal another status."""
        return any(o.is_priority != self.goal.is_priority for o in self.outcomes)


def clustering_effect(
    evaluation: Evaluation, ballots: Sequence[Ballot] | None = None
) -> tuple[ClusteringEffect, ...]:
    """The clustering effect of every goal, in the evaluation's order."""
    threshold = evaluation.threshold
    arranged = arrange_ballots(evaluation, ballots) if ballots else None
    effects: list[ClusteringEffect] = []
    for goal in evaluation.goals:
        scores = [
            (WhatIf.SUM, goal_points(goal.cards, Aggregation.SUM)),
            (WhatIf.BEST_CARD, goal_points(goal.cards, Aggregation.BEST_CARD)),
        ]
        if arranged is not None:
            scores.append((WhatIf.SUPPORTERS, len(arranged.on_goal(goal.goal.id))))
        effects.append(
            ClusteringEffect(
                goal,
                tuple(
                    WhatIfOutcome(scoring, points, points >= threshold)
                    for scoring, points in scores
                ),
            )
        )
    return tuple(effects)
