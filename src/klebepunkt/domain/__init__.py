"""The functional core: rules, cards, goals, evaluation and analysis. No Django, no I/O."""

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
from klebepunkt.domain.messages import DomainError, Location, Message, gettext_noop
from klebepunkt.domain.model import Card, Goal, Tally, normalise_text
from klebepunkt.domain.rules import Aggregation, Rules

__all__ = [
    "Aggregation",
    "Card",
    "DomainError",
    "Evaluation",
    "Finding",
    "FindingCode",
    "Goal",
    "GoalResult",
    "Location",
    "Message",
    "NearSide",
    "NearThreshold",
    "Placement",
    "PlacementKind",
    "Rules",
    "Tally",
    "ThemeFieldResult",
    "TopicStoreEntry",
    "TopicStoreReason",
    "evaluate",
    "gettext_noop",
    "goal_points",
    "normalise_text",
]
