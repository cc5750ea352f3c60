"""Explain every outcome: one call that gathers every measure of a dot vote.

``analyse(tally, rules, ballots)`` returns an :class:`Analysis` with

- ``margins``: per goal, the dots it lacks or could lose (``domain.margins``);
- ``support``: per goal, distinct supporters, support per stakeholder group and the
  largest supporter's share; priorities carried by one voter (``domain.support``);
- ``stability``: leave-one-voter-out (``domain.stability``);
- ``clustering_effect``: goal points against cards, with what-if scorings
  (``domain.clustering``);
- ``consistency``: where a hand-made table departs from the rule
  (``domain.consistency``);
- ``similar_cards`` and ``goal_suggestions``: clustering help
  (``domain.similarity``).

Support and stability need per-voter data (ballots); without it they say so
(``available`` is False, ``reason`` a message) instead of failing. Everything is
pure and deterministic. ``Analysis.goals`` bundles the measures per goal, in the
evaluation's order, for a result page or a report's explanation section.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from klebepunkt.domain.ballots import check_ballots
from klebepunkt.domain.clustering import ClusteringEffect, clustering_effect
from klebepunkt.domain.consistency import consistency
from klebepunkt.domain.evaluation import Evaluation, Finding, GoalResult, evaluate
from klebepunkt.domain.margins import GoalMargin, margins
from klebepunkt.domain.model import Ballot, Card, Tally
from klebepunkt.domain.rules import Rules
from klebepunkt.domain.similarity import (
    DUPLICATE_THRESHOLD,
    GoalSuggester,
    GoalSuggestion,
    SimilarCards,
    similar_cards,
)
from klebepunkt.domain.stability import GoalStability, Stability, stability
from klebepunkt.domain.support import GoalSupport, Support, support


@dataclass(frozen=True, slots=True)
class CardSuggestions:
    """Goals suggested for a card that has no goal yet."""

    card: Card
    suggestions: tuple[GoalSuggestion, ...]


@dataclass(frozen=True, slots=True)
class GoalExplanation:
    """Every measure of one goal; support and stability are None without ballots."""

    goal: GoalResult
    margin: GoalMargin
    clustering_effect: ClusteringEffect
    support: GoalSupport | None
    stability: GoalStability | None


@dataclass(frozen=True, slots=True)
class Analysis:
    tally: Tally
    evaluation: Evaluation
    margins: tuple[GoalMargin, ...]
    support: Support
    stability: Stability
    clustering_effect: tuple[ClusteringEffect, ...]
    consistency: tuple[Finding, ...]
    similar_cards: tuple[SimilarCards, ...]
    goal_suggestions: tuple[CardSuggestions, ...]  # for cards with dots and no goal yet

    @property
    def goals(self) -> tuple[GoalExplanation, ...]:
        supports = {s.goal.goal.id: s for s in self.support.goals}
        stabilities = {s.goal.goal.id: s for s in self.stability.goals}
        return tuple(
            GoalExplanation(
                goal=margin.goal,
                margin=margin,
                clustering_effect=effect,
                support=supports.get(margin.goal.goal.id),
                stability=stabilities.get(margin.goal.goal.id),
            )
            for margin, effect in zip(self.margins, self.clustering_effect, strict=True)
        )


def analyse(
    tally: Tally,
    rules: Rules | None = None,
    ballots: Sequence[Ballot] | None = None,
    *,
    evaluation: Evaluation | None = None,
    duplicate_threshold: float = DUPLICATE_THRESHOLD,
) -> Analysis:
    """Every measure of a dot vote.

    ``evaluation`` (of this tally) saves evaluating it again; its rules then apply.
    Ballots that contradict the tally or the rules raise a ``DomainError``.
    """
    rules = evaluation.rules if evaluation is not None else rules or Rules()
    evaluation = evaluation if evaluation is not None else evaluate(tally, rules)
    if ballots:
        check_ballots(tally, ballots, rules)
    unclustered = [goal.cards[0] for goal in evaluation.goals if not goal.clustered]
    suggester = GoalSuggester(tally) if unclustered else None
    return Analysis(
        tally=tally,
        evaluation=evaluation,
        margins=margins(evaluation),
        support=support(evaluation, ballots),
        stability=stability(evaluation, ballots),
        clustering_effect=clustering_effect(evaluation, ballots),
        consistency=consistency(tally, evaluation),
        similar_cards=similar_cards(tally, duplicate_threshold),
        goal_suggestions=tuple(
            CardSuggestions(card, suggester.suggest_for(card))
            for card in unclustered
            if suggester is not None
        ),
    )
