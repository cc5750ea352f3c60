"""The functional core: rules, cards, goals, evaluation and analysis. No Django, no I/O."""

from klebepunkt.domain.analysis import Analysis, CardSuggestions, GoalExplanation, analyse
from klebepunkt.domain.ballots import BallotField, BallotProblem, ballot_problems, check_ballots
from klebepunkt.domain.clustering import ClusteringEffect, WhatIf, WhatIfOutcome
from klebepunkt.domain.evaluation import (
    Evaluation,
    Finding,
    FindingCode,
    GoalResult,
    NearSide,
    NearThreshold,
    Placement,
    PlacementKind,
    ThemeFieldResult,
    TopicStoreEntry,
    TopicStoreReason,
    evaluate,
    goal_points,
)
from klebepunkt.domain.margins import GoalMargin
from klebepunkt.domain.messages import DomainError, Location, Message, gettext_noop
from klebepunkt.domain.model import Ballot, Card, Goal, Tally, normalise_text
from klebepunkt.domain.rules import Aggregation, Rules
from klebepunkt.domain.similarity import GoalSuggester, GoalSuggestion, SimilarCards
from klebepunkt.domain.stability import GoalStability, Stability
from klebepunkt.domain.support import GoalSupport, GroupSupport, Support

__all__ = [
    "Aggregation",
    "Analysis",
    "Ballot",
    "BallotField",
    "BallotProblem",
    "Card",
    "CardSuggestions",
    "ClusteringEffect",
    "DomainError",
    "Evaluation",
    "Finding",
    "FindingCode",
    "Goal",
    "GoalExplanation",
    "GoalMargin",
    "GoalResult",
    "GoalStability",
    "GoalSuggester",
    "GoalSuggestion",
    "GoalSupport",
    "GroupSupport",
    "Location",
    "Message",
    "NearSide",
    "NearThreshold",
    "Placement",
    "PlacementKind",
    "Rules",
    "SimilarCards",
    "Stability",
    "Support",
    "Tally",
    "ThemeFieldResult",
    "TopicStoreEntry",
    "TopicStoreReason",
    "WhatIf",
    "WhatIfOutcome",
    "analyse",
    "ballot_problems",
    "check_ballots",
    "evaluate",
    "gettext_noop",
    "goal_points",
    "normalise_text",
]
