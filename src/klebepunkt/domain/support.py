"""Support: who carried each goal, from per-voter data (ballots).

Per goal: its distinct supporters (voters with at least one dot on its cards),
its support per stakeholder group, and the share of its dots that comes from its
largest single supporter. A priority all of whose dots come from one voter is
flagged: with stacking allowed one person can lift a goal over the threshold.

Dots without a ballot (paper dots entered as totals) count as unattributed: they
are nobody's, so a goal with such dots is never flagged as carried by one voter.
Without ballots, support is not available (a value that says why, not an error).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from klebepunkt.domain.ballots import NO_BALLOTS, BallotsByGoal, arrange_ballots
from klebepunkt.domain.evaluation import Evaluation, GoalResult
from klebepunkt.domain.messages import Message
from klebepunkt.domain.model import Ballot


@dataclass(frozen=True, slots=True)
class GroupSupport:
    stakeholder_group: str
    voters: int
    dots: int


@dataclass(frozen=True, slots=True)
class GoalSupport:
    goal: GoalResult
    supporters: int  # distinct voters with at least one dot on the goal's cards
    groups: tuple[GroupSupport, ...]  # most dots first, then by name
    attributed_dots: int  # the goal's dots that have a ballot
    largest_supporter: str | None  # voter id (a pseudonym in a secret round)
    largest_supporter_dots: int

    @property
    def unattributed_dots(self) -> int:
        return self.goal.card_dots - self.attributed_dots

    @property
    def largest_supporter_share(self) -> float:
        """The share of the goal's dots from its largest single supporter (0 to 1).

        Under the seed's sum rule the goal's dots are its points.
        """
        total = self.goal.card_dots
        return self.largest_supporter_dots / total if total else 0.0

    @property
    def single_supporter(self) -> bool:
        """A priority whose dots all come from one voter."""
        return self.goal.is_priority and self.supporters == 1 and self.unattributed_dots == 0


@dataclass(frozen=True, slots=True)
class Support:
    available: bool
    goals: tuple[GoalSupport, ...] = ()
    reason: Message | None = None  # why it is not available
    voters: int = 0  # voters with a ballot

    @property
    def single_supporter_priorities(self) -> tuple[GoalSupport, ...]:
        return tuple(goal for goal in self.goals if goal.single_supporter)


def support(evaluation: Evaluation, ballots: Sequence[Ballot] | None) -> Support:
    """Support per goal, in the evaluation's order; linear in ballots and cards."""
    if not ballots:
        return Support(available=False, reason=NO_BALLOTS)
    arranged = arrange_ballots(evaluation, ballots)
    return Support(
        available=True,
        goals=tuple(_goal_support(goal, arranged) for goal in evaluation.goals),
        voters=len(arranged.voters),
    )


def _goal_support(goal: GoalResult, arranged: BallotsByGoal) -> GoalSupport:
    on_goal = arranged.on_goal(goal.goal.id)
    by_voter = {voter: sum(cards.values()) for voter, cards in on_goal.items()}
    groups: dict[str, list[int]] = {}
    for voter, dots in by_voter.items():
        counts = groups.setdefault(arranged.stakeholder_group.get(voter, ""), [0, 0])
        counts[0] += 1
        counts[1] += dots
    largest = min(by_voter, key=lambda voter: (-by_voter[voter], voter), default=None)
    return GoalSupport(
        goal=goal,
        supporters=len(by_voter),
        groups=tuple(
            sorted(
                (GroupSupport(name, voters, dots) for name, (voters, dots) in groups.items()),
                key=lambda group: (-group.dots, -group.voters, group.stakeholder_group),
            )
        ),
        attributed_dots=sum(by_voter.values()),
        largest_supporter=largest,
        largest_supporter_dots=by_voter[largest] if largest is not None else 0,
    )
