"""Numbers from a request, read without surprises.

``str.isdigit`` accepts "²" and "٣", which ``int`` then refuses, and a string of
thirty nines is a whole number that no database column holds. A view that reads an
id or a count from a form or a query parameter goes through these two functions and
gets a number that fits, or None (and answers "not found" or with a message).
"""

from __future__ import annotations

from klebepunkt.domain.limits import MAX_POINTS

_MAX_ID_DIGITS = 18  # a 64-bit primary key has 19; an id of 18 digits is already unheard of


def object_id(raw: object) -> int | None:
    """A primary key from a request parameter: ASCII digits only, within a 64-bit column."""
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not raw or len(raw) > _MAX_ID_DIGITS or not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw)


def whole_number(raw: object, *, maximum: int = MAX_POINTS) -> int | None:
    """A count from 0 to ``maximum`` typed into a form: ASCII digits only."""
    value = object_id(raw)
    return value if value is not None and value <= maximum else None
