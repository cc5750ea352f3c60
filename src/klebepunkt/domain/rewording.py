"""Working out a priority (Ausarbeitung): which parts may be reworded, how long they may
be, and the word-level difference between two wordings.

Pure: the app stores a rewording (who, when, before, after) and shows its difference
with ``word_diff``; the report and the process file carry it as a ``Rewording``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from klebepunkt.domain.messages import Message, gettext_noop

# The parts of a priority that can be reworded: the goal's text, and of each of its cards
# the recommendation, the indicator and the responsible body.
GOAL = "goal"
RECOMMENDATION = "text"
INDICATOR = "indicator"
RESPONSIBLE = "responsible"
FIELDS: tuple[str, ...] = (GOAL, RECOMMENDATION, INDICATOR, RESPONSIBLE)
CARD_FIELDS: tuple[str, ...] = (RECOMMENDATION, INDICATOR, RESPONSIBLE)
FIELD_LABELS: dict[str, str] = {
    GOAL: gettext_noop("goal"),
    RECOMMENDATION: gettext_noop("recommendation"),
    INDICATOR: gettext_noop("indicator"),
    RESPONSIBLE: gettext_noop("responsible body"),
}
# A wording is a sentence or a short paragraph, not a chapter (those are the report's texts).
MAX_WORDING: dict[str, int] = {
    GOAL: 2_000,
    RECOMMENDATION: 5_000,
    INDICATOR: 2_000,
    RESPONSIBLE: 1_000,
}
# Beyond this many words on a side the difference is shown as one replacement: comparing
# two long texts word by word costs time quadratic in their length.
MAX_DIFF_WORDS = 1_000

Op = Literal["same", "deleted", "inserted"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of words that stayed, was deleted or was inserted (words joined by spaces)."""

    op: Op
    text: str


@dataclass(frozen=True, slots=True)
class Rewording:
    """A change of one part of a priority after the vote, as kept: who, when, before, after.

    ``goal_id`` and ``card_id`` are the tally's ids of the goal it belongs to and of the
    card whose part changed (None: the goal's own text, or the card is gone)."""

    goal_id: str | None
    card_id: str | None
    field: str
    before: str
    after: str
    by: str
    at: dt.datetime


def wording_problem(field: str, text: str) -> Message | None:
    """Why ``text`` cannot be the new wording of ``field``, or None."""
    if field not in FIELDS:
        return Message(gettext_noop("Unknown part of a priority: %(field)s."), {"field": field})
    if "\x00" in text:
        return Message(gettext_noop("The text contains a null character."))
    if field in (GOAL, RECOMMENDATION) and not text.strip():
        return Message(gettext_noop("This text cannot be empty."))
    limit = MAX_WORDING[field]
    if len(text) > limit:
        return Message(
            gettext_noop("The text has %(length)s characters; at most %(max)s are allowed here."),
            {"length": _thousands(len(text)), "max": _thousands(limit)},
        )
    return None


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def word_diff(before: str, after: str) -> tuple[Segment, ...]:
    """The difference of two wordings word by word: runs of words that stayed, were deleted
    and were inserted, in reading order (a replacement: its deletion, then its insertion).
    Whitespace only separates words; a change of line breaks alone is no difference."""
    old, new = before.split(), after.split()
    if len(old) > MAX_DIFF_WORDS or len(new) > MAX_DIFF_WORDS:
        if old == new:
            return _joined([("same", old)])
        return _joined([("deleted", old), ("inserted", new)])
    parts: list[tuple[Op, list[str]]] = []
    matcher = SequenceMatcher(a=old, b=new)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("same", old[i1:i2]))
            continue
        if i2 > i1:
            parts.append(("deleted", old[i1:i2]))
        if j2 > j1:
            parts.append(("inserted", new[j1:j2]))
    return _joined(parts)


def _joined(parts: list[tuple[Op, list[str]]]) -> tuple[Segment, ...]:
    merged: list[tuple[Op, list[str]]] = []
    for op, words in parts:
        if not words:
            continue
        if merged and merged[-1][0] == op:
            merged[-1][1].extend(words)
        else:
            merged.append((op, list(words)))
    return tuple(Segment(op, " ".join(words)) for op, words in merged)


def changed(segments: tuple[Segment, ...]) -> bool:
    return any(segment.op != "same" for segment in segments)
