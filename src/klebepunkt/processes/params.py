"""Numbers from a request, read without surprises: the one parser for ids and counts.

``str.isdigit`` accepts "²" and "٣", which ``int`` then refuses, and a string of
thirty nines is a whole number that no database column holds. A view that reads an
id or a count from a form or a query parameter goes through these functions and
gets a number that fits, or None (and answers "not found" or with a message).
Ids in a URL path go through the same parser: every route writes ``<id:pk>`` (the
converter registered here), never ``<int:pk>`` (``tests/security/test_params.py``
checks every route).
"""

from __future__ import annotations

from django.urls import register_converter

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


MAX_YEAR = 9999  # a year typed into a filter: four digits at most


def year(raw: object) -> int | None:
    """A year from a query parameter (a filter): ASCII digits, 1 to 9999, or None."""
    value = whole_number(raw, maximum=MAX_YEAR)
    return value or None


class ObjectIdConverter:
    """``<id:name>`` in a URL: the ids of :func:`object_id`, and nothing else reaches a view."""

    regex = f"[0-9]{{1,{_MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        parsed = object_id(value)
        if parsed is None:  # the regex lets nothing else through; the parser stays the judge
            raise ValueError(value)
        return parsed

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(ObjectIdConverter, "id")
