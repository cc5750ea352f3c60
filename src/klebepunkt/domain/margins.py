"""Margins: how many dots would change a goal's status.

For a goal below the threshold: the fewest dots it lacks. For a priority: the
fewest dots it would have to lose to drop below. Both are at least 1, always
counted on the side the goal is on.

- Sum (the seed): lacks ``threshold - points``; drops after losing
  ``points - threshold + 1``.
- Best card: a goal's points are the dots of its strongest card. It lacks
  ``threshold - best`` (dots added to its strongest card). To drop below, every
  card at or above the threshold has to fall to ``threshold - 1``: it loses
  ``Σ max(0, dots - threshold + 1)`` over its cards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from klebepunkt.domain.evaluation import Evaluation, GoalResult
from klebepunkt.domain.rules import Aggregation


@dataclass(frozen=True, slots=True)
class GoalMargin:
    goal: GoalResult
    dots_to_change: int  # ≥ 1: dots it lacks (below) or would have to lose (priority)

    @property
    def is_priority(self) -> bool:
        return self.goal.is_priority

    @property
    def dots_needed(self) -> int | None:
        """Dots the goal lacks to reach the threshold; None for a priority."""
        return None if self.goal.is_priority else self.dots_to_change

    @property
    def dots_to_lose(self) -> int | None:
        """Dots a priority would have to lose to drop below; None below the threshold."""
        return self.dots_to_change if self.goal.is_priority else None


def dots_to_change(card_dots: Iterable[int], threshold: int, aggregation: Aggregation) -> int:
    """The fewest dots that change the status of a goal whose cards carry ``card_dots``."""
    dots = [d for d in card_dots if d > 0]
    if aggregation is Aggregation.BEST_CARD:
        best = max(dots, default=0)
        if best < threshold:
            return threshold - best
        return sum(d - threshold + 1 for d in dots if d >= threshold)
    points = sum(dots)
    if points < threshold:
        return threshold - points
    return points - threshold + 1


def margins(evaluation: Evaluation) -> tuple[GoalMargin, ...]:
    """The margin of every goal of the evaluation, in the evaluation's order."""
    rules = evaluation.rules
    return tuple(
        GoalMargin(
            goal,
            dots_to_change(
                (card.dots for card in goal.cards), rules.goal_threshold, rules.aggregation
            ),
        )
        for goal in evaluation.goals
    )
