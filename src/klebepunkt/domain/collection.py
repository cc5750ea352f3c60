"""The rules of a card collection (Kartenabfrage): what a card may hold, who may change it when.

A card is written on a phone (or typed in from paper at the wall) while the collection
is open. The facilitator accepts it (it becomes a card of the process), sends it back
with a reason, or merges it into a look-alike; the author edits or withdraws it as long
as the collection is open and nobody has decided on it. Nothing is ever deleted.
"""

from __future__ import annotations

from enum import StrEnum

# maximum lengths of a card's fields (characters), the same on phone, wall and database
MAX_TEXT = 600
MAX_GOAL = 300
MAX_INDICATOR = 300
MAX_RESPONSIBLE = 200
MAX_REASON = 300
MAX_QUESTION = 300


class CardState(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    SENT_BACK = "sent_back"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


# what the author may still change: a card nobody has decided on, or one sent back to them
AUTHOR_MAY_CHANGE = frozenset({CardState.SUBMITTED, CardState.SENT_BACK})
# what the facilitator may decide on (accept, send back, merge, edit)
OPEN_FOR_DECISION = frozenset({CardState.SUBMITTED, CardState.SENT_BACK})
# cards that are on the wall (the others are kept, shown apart)
ON_THE_WALL = frozenset({CardState.SUBMITTED, CardState.ACCEPTED})


def author_may_change(state: CardState, *, collection_open: bool) -> bool:
    return collection_open and state in AUTHOR_MAY_CHANGE


def facilitator_may_decide(state: CardState) -> bool:
    return state in OPEN_FOR_DECISION


def state_after_author_edit(state: CardState) -> CardState:
    """A card sent back and edited by its author is submitted again."""
    return CardState.SUBMITTED if state == CardState.SENT_BACK else state
