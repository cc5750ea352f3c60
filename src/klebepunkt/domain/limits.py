"""How long a text and how large a number may be, once for every way in.

Sheets, process files, forms and the database keep the same limits, so that a
file that reads cleanly can always be stored: a name that is too long or a number
beyond any working group is refused where it is read, with its place named, not
later by the database.
"""

from __future__ import annotations

MAX_POINTS = 1_000_000  # dots of a card, points of a goal, dots per voter: far beyond any group
MAX_TITLE = 300  # process title and commissioning body, member contact, meeting place
MAX_NAME = 200  # theme field, stakeholder group, member, stakeholder group size as mandated
MAX_DESCRIPTION = 500  # who sits in a stakeholder group
MAX_GOAL_NR = 20  # a goal's number, as a table writes it ("1", "2a", "II.3")
MAX_YEAR = 9999


def has_forbidden_character(text: str) -> bool:
    """NUL cannot be stored (PostgreSQL refuses it) and no keyboard types it."""
    return "\x00" in text
