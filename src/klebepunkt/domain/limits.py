"""How long a text and how large a number may be, once for every way in.

Sheets, process files, forms and the database keep the same limits, so that a
file that reads cleanly can always be stored: a name that is too long or a number
beyond any working group is refused where it is read, with its place named, not
later by the database.
"""

from __future__ import annotations

from datetime import date

from klebepunkt.domain.messages import gettext_noop

MAX_POINTS = 1_000_000  # dots of a card, points of a goal, dots per voter: far beyond any group
MAX_TITLE = 300  # process title and commissioning body, member contact, meeting place
MAX_NAME = 200  # theme field, stakeholder group, member, stakeholder group size as mandated
MAX_DESCRIPTION = 500  # who sits in a stakeholder group
MAX_GOAL_NR = 20  # a goal's number, as a table writes it ("1", "2a", "II.3")
MAX_YEAR = 9999
# A date typed or imported (a meeting, a due date, an indicator's baseline, target or value):
# a century on either side of today is room for any history or plan, and keeps the pages'
# date arithmetic far from the calendar's ends (0001-01-01 and 9999-12-31 broke the chart).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)


DATE_OUT_OF_RANGE = gettext_noop(
    "“%(value)s” is outside the dates this app takes (01.01.1900 to 31.12.2200)."
)


def is_sensible_date(value: date) -> bool:
    """Whether a date lies in the range every way in accepts (1900 to 2200)."""
    return EARLIEST_DATE <= value <= LATEST_DATE


def has_forbidden_character(text: str) -> bool:
    """NUL cannot be stored (PostgreSQL refuses it) and no keyboard types it."""
    return "\x00" in text
