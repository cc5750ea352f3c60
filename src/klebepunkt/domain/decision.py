"""The decision (Beschluss) on the priorities: who may vote and when a motion is carried.

Two rules, a setting of the process:

- ``SIMPLE`` (the default): a simple majority of the votes cast — more yes than no;
  abstentions are not votes cast, a tie is a rejection — provided the meeting has a
  quorum: at least half of the voting members are present.
- ``ABSOLUTE``: more yes than half of all voting members (present or not), with the
  same quorum.

Pure: counts in, an outcome out. Counts that cannot be (more votes than voting members
present, more present than there are) raise a ``DomainError``.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

from klebepunkt.domain.evaluation import GoalResult
from klebepunkt.domain.messages import DomainError, Message, gettext_noop


class DecisionRule(StrEnum):
    SIMPLE = "simple"
    ABSOLUTE = "absolute"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NO_QUORUM = "no-quorum"


@dataclass(frozen=True, slots=True)
class Votes:
    yes: int
    no: int
    abstain: int

    @property
    def cast(self) -> int:
        """The votes cast: yes and no (an abstention is no vote cast)."""
        return self.yes + self.no

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain

    def __add__(self, other: Votes) -> Votes:
        return Votes(self.yes + other.yes, self.no + other.no, self.abstain + other.abstain)


NO_VOTES = Votes(0, 0, 0)


def quorum(voting_members: int) -> int:
    """How many voting members must be present: at least half of them (rounded up)."""
    return (voting_members + 1) // 2


def check_counts(votes: Votes, *, present_voting: int, voting_members: int) -> None:
    """Raise a ``DomainError`` if the counts cannot be."""
    if min(votes.yes, votes.no, votes.abstain, present_voting, voting_members) < 0:
        raise DomainError(Message(gettext_noop("A count cannot be negative.")))
    if present_voting > voting_members:
        raise DomainError(
            Message(
                gettext_noop(
                    "%(present)s voting members present, but the process has only "
                    "%(members)s voting members."
                ),
                {"present": present_voting, "members": voting_members},
            )
        )
    if votes.total > present_voting:
        raise DomainError(
            Message(
                gettext_noop(
                    "%(votes)s votes (yes, no and abstentions), but only %(present)s voting "
                    "members are present."
                ),
                {"votes": votes.total, "present": present_voting},
            )
        )


def outcome(
    votes: Votes, *, present_voting: int, voting_members: int, rule: DecisionRule
) -> Outcome:
    """Whether the motion is carried under ``rule``."""
    check_counts(votes, present_voting=present_voting, voting_members=voting_members)
    if voting_members == 0 or present_voting < quorum(voting_members):
        return Outcome.NO_QUORUM
    if rule is DecisionRule.ABSOLUTE:
        carried = 2 * votes.yes > voting_members
    else:
        carried = votes.yes > votes.no
    return Outcome.PASSED if carried else Outcome.FAILED


def priority_text(priority: GoalResult) -> str:
    """The wording of a priority that is decided: its goal, and each recommendation with
    its indicator and responsible body. A change to any of them is a change of what
    was decided."""
    goal = priority.goal
    lines = [f"{goal.nr} {goal.text}".strip()]
    for card in priority.cards:
        parts = (card.text, card.indicator, card.responsible)
        lines.append(" – ".join(part.strip() for part in parts if part.strip()))
    return "\n".join(lines)


def vote_marker(salt: str, member_id: int) -> str:
    """That a member has voted in a secret vote, one-way: an HMAC of the member's id under
    the decision's random salt. Without the salt (erased when the vote closes) nobody can
    tell whose marker it is."""
    return hmac.new(bytes.fromhex(salt), str(member_id).encode(), hashlib.sha256).hexdigest()
