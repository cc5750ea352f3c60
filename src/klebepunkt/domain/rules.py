"""The rules of a process: every number of the method is a setting, with the seed's defaults."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from klebepunkt.domain.messages import DomainError, Location, Message, gettext_noop


class Aggregation(StrEnum):
    """How a goal's points follow from the dots on its cards."""

    SUM = "sum"  # the seed: a goal's points are the sum of its cards' dots
    BEST_CARD = "best_card"  # the dots of the goal's strongest card

    @property
    def label(self) -> Message:
        return {
            Aggregation.SUM: Message(gettext_noop("sum of the dots on its cards")),
            Aggregation.BEST_CARD: Message(gettext_noop("dots of its strongest card")),
        }[self]


DEFAULT_DOTS_PER_VOTER = 8
DEFAULT_GOAL_THRESHOLD = 3


@dataclass(frozen=True, slots=True)
class Rules:
    """Dots per voter, optional cap per card, goal threshold and aggregation."""

    dots_per_voter: int = DEFAULT_DOTS_PER_VOTER
    cap_per_card: int | None = None
    goal_threshold: int = DEFAULT_GOAL_THRESHOLD
    aggregation: Aggregation = Aggregation.SUM

    def __post_init__(self) -> None:
        if self.dots_per_voter < 1:
            raise DomainError(
                Message(gettext_noop("Dots per voter must be at least 1.")),
                Location(column="dots_per_voter"),
            )
        if self.cap_per_card is not None and self.cap_per_card < 1:
            raise DomainError(
                Message(gettext_noop("The cap per card must be at least 1 or empty (no cap).")),
                Location(column="cap_per_card"),
            )
        if self.goal_threshold < 1:
            raise DomainError(
                Message(gettext_noop("The goal threshold must be at least 1.")),
                Location(column="goal_threshold"),
            )
