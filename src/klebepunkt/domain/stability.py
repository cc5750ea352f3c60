"""Stability: would the result hold if any single voter had stayed home?

Leave-one-voter-out: for every voter, take away their ballots (and nothing else:
dots without a ballot stay) and see which goals change their status. Taking dots
away never lifts a goal, so only priorities can change: they drop into the topic
store. Per goal: the voters whose absence alone would drop it.

This costs O(ballots + cards · log cards), not O(voters × cards): a voter can only
change the goals they put dots on, and for each such goal only their own cards
move. Under the sum rule a goal loses exactly the voter's dots on it; under the
best-card rule its new points are the larger of its strongest card the voter did
not touch (found in a list of its cards sorted once) and the voter's cards less
the voter's dots.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from klebepunkt.domain.ballots import NO_BALLOTS, arrange_ballots
from klebepunkt.domain.evaluation import Evaluation, GoalResult
from klebepunkt.domain.messages import Message
from klebepunkt.domain.model import Ballot
from klebepunkt.domain.rules import Aggregation


@dataclass(frozen=True, slots=True)
class GoalStability:
    goal: GoalResult
    pivotal_voters: tuple[str, ...]  # voters whose absence alone would change its status,
    # in the order of their first ballot

    @property
    def changes_without(self) -> int:
        """For how many voters the goal's status would change had that voter not voted."""
        return len(self.pivotal_voters)

    @property
    def stable(self) -> bool:
        return not self.pivotal_voters


@dataclass(frozen=True, slots=True)
class Stability:
    available: bool
    goals: tuple[GoalStability, ...] = ()
    reason: Message | None = None  # why it is not available
    voters: int = 0  # voters with a ballot

    @property
    def unstable(self) -> tuple[GoalStability, ...]:
        """The goals whose status hangs on a single voter."""
        return tuple(goal for goal in self.goals if not goal.stable)


def stability(evaluation: Evaluation, ballots: Sequence[Ballot] | None) -> Stability:
    """Leave-one-voter-out for every goal, in the evaluation's order."""
    if not ballots:
        return Stability(available=False, reason=NO_BALLOTS)
    arranged = arrange_ballots(evaluation, ballots)
    rules = evaluation.rules
    threshold = rules.goal_threshold
    position = {voter: index for index, voter in enumerate(arranged.voters)}
    result: list[GoalStability] = []
    for goal in evaluation.goals:
        pivotal: list[str] = []
        if goal.is_priority:
            by_card = {card.id: card.dots for card in goal.cards}
            strongest = (
                sorted(goal.cards, key=lambda card: -card.dots)
                if rules.aggregation is Aggregation.BEST_CARD
                else ()
            )
            for voter, cards in arranged.on_goal(goal.goal.id).items():
                if rules.aggregation is Aggregation.BEST_CARD:
                    untouched = next((c.dots for c in strongest if c.id not in cards), 0)
                    touched = max(by_card[card_id] - dots for card_id, dots in cards.items())
                    points = max(untouched, touched)
                else:
                    points = goal.points - sum(cards.values())
                if points < threshold:
                    pivotal.append(voter)
        result.append(GoalStability(goal, tuple(sorted(pivotal, key=position.__getitem__))))
    return Stability(available=True, goals=tuple(result), voters=len(arranged.voters))
