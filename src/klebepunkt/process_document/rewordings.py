"""The ``rewordings`` section of the process document: the working out of the priorities.

Optional: a process without rewordings writes no section, and a file without one
(older files) reads as a process without. A rewording names its goal and card by their
place in the file, counted from 1 in the order the file lists them ("goal": 3 is the
third goal of the file, over all theme fields; "card": 5 the fifth card, the cards of
a goal before the theme field's cards without one); null: the goal's own text, or a
card or goal that is gone. Times are UTC in ISO 8601, so the file stays canonical.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from klebepunkt.domain import Tally, gettext_noop
from klebepunkt.domain.rewording import FIELDS, MAX_WORDING, Rewording
from klebepunkt.process_document.reader import Reader

KEY = "rewordings"
MAX_BY = 150  # a user name


def _places(tally: Tally) -> tuple[dict[str, int], dict[str, int]]:
    """Goal id → its place in the file, card id → its place, as ``process_document`` writes."""
    goals: dict[str, int] = {}
    cards: dict[str, int] = {}
    for name in tally.ordered_theme_fields():
        field_goals = [goal for goal in tally.goals if goal.theme_field == name]
        field_cards = [card for card in tally.cards if card.theme_field == name]
        for goal in field_goals:
            goals[goal.id] = len(goals) + 1
            for card in field_cards:
                if card.goal_id == goal.id:
                    cards[card.id] = len(cards) + 1
        for card in field_cards:
            if card.goal_id is None:
                cards[card.id] = len(cards) + 1
    return goals, cards


def section(tally: Tally, rewordings: tuple[Rewording, ...]) -> dict[str, Any]:
    """``{"rewordings": [...]}``, or nothing when there are none (an older file's shape)."""
    if not rewordings:
        return {}
    goals, cards = _places(tally)
    return {
        KEY: [
            {
                "goal": goals.get(rewording.goal_id or ""),
                "card": cards.get(rewording.card_id or ""),
                "field": rewording.field,
                "before": rewording.before,
                "after": rewording.after,
                "by": rewording.by,
                "at": rewording.at.astimezone(dt.UTC).isoformat(),
            }
            for rewording in rewordings
        ]
    }


def read(reader: Reader, document: dict[str, Any], tally: Tally) -> tuple[Rewording, ...]:
    """The section of a file whose tally was read already (ids ``g<n>`` and ``c<n>``)."""

    def place(obj: dict[str, Any], key: str, path: str, count: int) -> int | None:
        value: int | None = reader.get(obj, key, path, int, None)
        if value is not None and not 1 <= value <= count:
            raise reader.fail(
                f"{path}.{key}",
                gettext_noop("Expected a whole number from 1 to %(max)s."),
                max=count,
            )
        return value

    def rewording(obj: dict[str, Any], path: str) -> Rewording:
        field = reader.get(obj, "field", path, str)
        if field not in FIELDS:
            raise reader.fail(
                f"{path}.field",
                gettext_noop("Unknown part of a priority; expected one of: %(choices)s."),
                choices=", ".join(FIELDS),
            )
        goal = place(obj, "goal", path, len(tally.goals))
        card = place(obj, "card", path, len(tally.cards))
        limit = MAX_WORDING[field]
        return Rewording(
            goal_id=f"g{goal}" if goal else None,
            card_id=f"c{card}" if card else None,
            field=field,
            before=reader.get(obj, "before", path, str, limit=limit),
            after=reader.get(obj, "after", path, str, limit=limit),
            by=reader.get(obj, "by", path, str, "", limit=MAX_BY),
            at=_moment(reader, obj, path),
        )

    return tuple(reader.items(document, KEY, "", rewording))


def _moment(reader: Reader, obj: dict[str, Any], path: str) -> dt.datetime:
    raw = reader.get(obj, "at", path, str, limit=40)
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise reader.fail(
            f"{path}.at",
            gettext_noop("“%(value)s” is not a moment with its time zone (ISO 8601)."),
            value=raw,
        )
    return value.astimezone(dt.UTC)
