"""Who is present at the meeting of a round, without the voting app importing the decisions.

The decisions record attendance per meeting and register, when they are installed, how
to read it (``register``). A round's meeting is the process's meeting on the day the
round was opened (before that: today). If attendance is recorded there, only the
members present may join the round; the facilitator's page marks the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from klebepunkt.voting.models import VotingRound


@dataclass(frozen=True, slots=True)
class RoundAttendance:
    day: dt.date  # the meeting's date
    present: frozenset[int]  # member ids recorded present

    def keeps_out(self, member_id: int | None) -> bool:
        """Not recorded present; a voter without a member (a secret round) is never kept out."""
        return member_id is not None and member_id not in self.present


Finder = Callable[[int, dt.date], frozenset[int] | None]  # process id, day → present members
_finders: list[Finder] = []


def register(find: Finder) -> None:
    if find not in _finders:
        _finders.append(find)


def of_round(voting_round: VotingRound) -> RoundAttendance | None:
    """The attendance recorded at the round's meeting, or None (no meeting that day, or
    nothing recorded): then everybody with a code may vote, as before."""
    opened = voting_round.opened_at
    day = timezone.localdate(opened) if opened is not None else timezone.localdate()
    for find in _finders:
        present = find(voting_round.process_id, day)
        if present is not None:
            return RoundAttendance(day, present)
    return None


def absent(voting_round: VotingRound, member_id: int | None) -> RoundAttendance | None:
    """The attendance that keeps this member out of the round (recorded, and they are not
    present), or None. A voter without a member (a secret round) is never kept out."""
    if member_id is None:
        return None
    found = of_round(voting_round)
    return found if found is not None and found.keeps_out(member_id) else None
