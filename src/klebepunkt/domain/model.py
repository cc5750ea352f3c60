"""Theme fields, goals and recommendation cards: what a working group produces."""

from __future__ import annotations

from dataclasses import dataclass


def normalise_text(text: str | None) -> str:
    """Whitespace-normalised text: how two spellings of the same goal are matched."""
    return " ".join((text or "").split())


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal (Ziel: "what do we want to achieve?") in one theme field."""

    id: str
    theme_field: str
    text: str
    nr: str = ""
    stated_points: int | None = None  # what a hand-made table says; None when it says nothing


@dataclass(frozen=True, slots=True)
class Card:
    """A recommendation card (Handlungsempfehlung) with its dots.

    ``text`` may be empty: then the dots sit on the goal itself (the seed has two such rows).
    ``stated_in_topic_store`` is what a hand-made table says (None when it says nothing).
    ``row`` is where the card came from in a sheet, for messages.
    """

    id: str
    theme_field: str
    text: str = ""
    dots: int = 0
    goal_id: str | None = None
    indicator: str = ""
    responsible: str = ""
    stated_in_topic_store: bool | None = None
    row: int | None = None
    origin: str = ""  # "administration" (prepared beforehand) or "meeting"; "" when unknown


@dataclass(frozen=True, slots=True)
class Tally:
    """The cards of a process with their dots, clustered under goals, per theme field.

    ``theme_fields`` gives the order of the theme fields; theme fields of goals and
    cards that are not listed follow in the order they first appear.
    """

    goals: tuple[Goal, ...] = ()
    cards: tuple[Card, ...] = ()
    theme_fields: tuple[str, ...] = ()

    def ordered_theme_fields(self) -> tuple[str, ...]:
        seen = dict.fromkeys(self.theme_fields)
        for goal in self.goals:
            seen.setdefault(goal.theme_field)
        for card in self.cards:
            seen.setdefault(card.theme_field)
        return tuple(seen)

    @property
    def total_dots(self) -> int:
        return sum(card.dots for card in self.cards)

    @property
    def states_goal_points(self) -> bool:
        return any(goal.stated_points is not None for goal in self.goals)

    @property
    def states_topic_store(self) -> bool:
        return any(card.stated_in_topic_store is not None for card in self.cards)


@dataclass(frozen=True, slots=True)
class Ballot:
    """One voter's dots on one card, as a voting round (or a ballots sheet) records them.

    ``voter_id`` may be a pseudonym (a secret round). A card's dots may include dots
    that have no ballot (paper dots entered as totals): ballots explain part of them.
    ``row`` is where the ballot came from in a sheet, for messages.
    """

    voter_id: str
    stakeholder_group: str
    card_id: str
    dots: int
    row: int | None = None
