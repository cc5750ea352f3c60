"""Per-voter data: ballots, their checks against the tally and the rules, arranged by goal.

A ballot is one voter's dots on one card. Ballots explain a card's dots in whole or
in part: paper dots entered as totals have no ballot. They never explain more than
the card carries, a voter never spends more than the dots each voter has, and never
more than the cap per card on one card.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from klebepunkt.domain.evaluation import Evaluation
from klebepunkt.domain.messages import DomainError, Location, Message, gettext_noop
from klebepunkt.domain.model import Ballot, Tally
from klebepunkt.domain.rules import Rules

NO_BALLOTS = Message(
    gettext_noop("No per-voter data: the dots were entered as totals per card, not per voter.")
)


class BallotField(StrEnum):
    """The part of a ballot a problem is about (a sheet maps it to its column)."""

    VOTER = "voter"
    STAKEHOLDER_GROUP = "stakeholder_group"
    CARD = "card"
    DOTS = "dots"


@dataclass(frozen=True, slots=True)
class BallotProblem:
    ballot: Ballot
    field: BallotField
    message: Message


def ballot_problems(
    tally: Tally, ballots: Sequence[Ballot], rules: Rules
) -> tuple[BallotProblem, ...]:
    """Every way the ballots contradict the tally or the rules, in ballot order.

    Each limit is reported once, at the ballot that first goes over it.
    """
    cards = {card.id: card for card in tally.cards}
    problems: list[BallotProblem] = []
    group_of: dict[str, str] = {}
    on_card: dict[str, int] = defaultdict(int)
    spent: dict[str, int] = defaultdict(int)
    on_card_by_voter: dict[tuple[str, str], int] = defaultdict(int)
    reported: set[tuple[str, str, str]] = set()

    def once(key: tuple[str, str, str], problem: BallotProblem) -> None:
        if key not in reported:
            reported.add(key)
            problems.append(problem)

    for ballot in ballots:
        if not ballot.voter_id.strip():
            problems.append(
                BallotProblem(
                    ballot, BallotField.VOTER, Message(gettext_noop("The voter is missing."))
                )
            )
            continue
        if ballot.dots < 0:
            problems.append(
                BallotProblem(
                    ballot,
                    BallotField.DOTS,
                    Message(
                        gettext_noop("Dots cannot be negative (“%(value)s”)."),
                        {"value": ballot.dots},
                    ),
                )
            )
            continue
        card = cards.get(ballot.card_id)
        if card is None:
            problems.append(
                BallotProblem(
                    ballot,
                    BallotField.CARD,
                    Message(gettext_noop("This ballot refers to a card that does not exist.")),
                )
            )
            continue
        known_group = group_of.setdefault(ballot.voter_id, ballot.stakeholder_group)
        if known_group != ballot.stakeholder_group:
            once(
                ("group", ballot.voter_id, ""),
                BallotProblem(
                    ballot,
                    BallotField.STAKEHOLDER_GROUP,
                    Message(
                        gettext_noop(
                            "Voter “%(voter)s” is in stakeholder group “%(group)s” here "
                            "and in “%(known)s” before."
                        ),
                        {
                            "voter": ballot.voter_id,
                            "group": ballot.stakeholder_group,
                            "known": known_group,
                        },
                    ),
                ),
            )
        on_card[card.id] += ballot.dots
        if on_card[card.id] > card.dots:
            once(
                ("card", card.id, ""),
                BallotProblem(
                    ballot,
                    BallotField.DOTS,
                    Message(
                        gettext_noop(
                            "The ballots give card “%(card)s” %(ballot_dots)s dots, "
                            "but it carries only %(dots)s."
                        ),
                        {
                            "card": card.text or card.id,
                            "ballot_dots": on_card[card.id],
                            "dots": card.dots,
                        },
                    ),
                ),
            )
        spent[ballot.voter_id] += ballot.dots
        if spent[ballot.voter_id] > rules.dots_per_voter:
            once(
                ("budget", ballot.voter_id, ""),
                BallotProblem(
                    ballot,
                    BallotField.DOTS,
                    Message(
                        gettext_noop(
                            "Voter “%(voter)s” spends %(spent)s dots, "
                            "more than the %(budget)s each voter has."
                        ),
                        {
                            "voter": ballot.voter_id,
                            "spent": spent[ballot.voter_id],
                            "budget": rules.dots_per_voter,
                        },
                    ),
                ),
            )
        key = (ballot.voter_id, card.id)
        on_card_by_voter[key] += ballot.dots
        if rules.cap_per_card is not None and on_card_by_voter[key] > rules.cap_per_card:
            once(
                ("cap", ballot.voter_id, card.id),
                BallotProblem(
                    ballot,
                    BallotField.DOTS,
                    Message(
                        gettext_noop(
                            "Voter “%(voter)s” puts %(dots)s dots on card “%(card)s”, "
                            "more than the cap of %(cap)s per card."
                        ),
                        {
                            "voter": ballot.voter_id,
                            "dots": on_card_by_voter[key],
                            "card": card.text or card.id,
                            "cap": rules.cap_per_card,
                        },
                    ),
                ),
            )
    return tuple(problems)


def check_ballots(tally: Tally, ballots: Sequence[Ballot], rules: Rules) -> None:
    """Raise a :class:`DomainError` for the first problem of the ballots, if any."""
    problems = ballot_problems(tally, ballots, rules)
    if problems:
        first = problems[0]
        raise DomainError(first.message, Location(row=first.ballot.row, column=first.field.value))


@dataclass(frozen=True, slots=True)
class BallotsByGoal:
    """Ballots arranged by the goals of an evaluation: who put how many dots where.

    Only ballots with dots count; a voter with none is still among ``voters``.
    """

    voters: tuple[str, ...]  # every voter with a ballot, in order of their first ballot
    stakeholder_group: dict[str, str] = field(default_factory=dict)  # voter → group
    dots: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    # goal id → voter → card id → dots
    attributed: dict[str, int] = field(default_factory=dict)  # card id → dots with a ballot

    def on_goal(self, goal_id: str) -> dict[str, dict[str, int]]:
        return self.dots.get(goal_id, {})


def arrange_ballots(evaluation: Evaluation, ballots: Sequence[Ballot]) -> BallotsByGoal:
    """Ballots by goal: linear in the number of ballots and cards."""
    goal_of_card = {card.id: goal.goal.id for goal in evaluation.goals for card in goal.cards}
    voters: dict[str, None] = {}
    groups: dict[str, str] = {}
    by_goal: dict[str, dict[str, dict[str, int]]] = {}
    attributed: dict[str, int] = defaultdict(int)
    for ballot in ballots:
        voters.setdefault(ballot.voter_id)
        groups.setdefault(ballot.voter_id, ballot.stakeholder_group)
        goal_id = goal_of_card.get(ballot.card_id)
        if ballot.dots <= 0 or goal_id is None:
            continue
        per_card = by_goal.setdefault(goal_id, {}).setdefault(ballot.voter_id, {})
        per_card[ballot.card_id] = per_card.get(ballot.card_id, 0) + ballot.dots
        attributed[ballot.card_id] += ballot.dots
    return BallotsByGoal(tuple(voters), groups, by_goal, dict(attributed))
