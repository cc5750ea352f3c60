"""What a working group recorded besides its tally, as plain values: attendance, the rule
and the decisions, the report's own texts and the issued report versions.

The process document carries these (``process_document/proceedings.py``); the decisions app
maps its models to them and back. References are positions in the process record
(``meeting`` and ``member`` index ``ProcessRecord.meetings`` and ``.members``), a goal is
its ``Goal.id`` in the record's tally, a stakeholder group its name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRESENCES = ("present", "excused", "absent")
DECISION_STATES = ("open", "closed")
# how a decision is voted on: counted by show of hands, or on the members' phones, open
# (who voted what is kept) or secret (nothing of a member is kept with a vote)
SHOW_OF_HANDS, PHONES_OPEN, PHONES_SECRET = "show_of_hands", "phones_open", "phones_secret"
VOTING_WAYS = (SHOW_OF_HANDS, PHONES_OPEN, PHONES_SECRET)
CHOICES = ("yes", "no", "abstain")  # a member's vote on the phone
CHAPTER_KEYS = ("foreword", "introduction", "method", "closing")
MAX_MOTION = 300  # the title of a decision (its motion)
MAX_VERSION_LABEL = 200
MAX_COUNT = 1_000_000  # yes, no, abstentions, members: far beyond any working group


@dataclass(frozen=True, slots=True)
class AttendanceEntry:
    meeting: int
    member: int
    presence: str  # one of PRESENCES


@dataclass(frozen=True, slots=True)
class DecisionItemRecord:
    rank: int
    text: str  # the priority as worded when it was put to the vote
    goal: str | None  # the goal's id in the record's tally; None: the goal is gone


@dataclass(frozen=True, slots=True)
class GroupCountRecord:
    stakeholder_group: str
    yes: int
    no: int
    abstain: int


def voting_way(*, phone: bool, secret: bool) -> str:
    """One of VOTING_WAYS for a decision voted on the phones (or not) and secretly (or not)."""
    if not phone:
        return SHOW_OF_HANDS
    return PHONES_SECRET if secret else PHONES_OPEN


@dataclass(frozen=True, slots=True)
class PhoneVoteRecord:
    """A member's vote in an open vote on the phones (a secret vote records none)."""

    member: int
    choice: str  # one of CHOICES


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    meeting: int
    title: str
    rule: str  # a DecisionRule value
    state: str  # one of DECISION_STATES
    outcome: str  # "" while open, an Outcome value when closed
    yes: int
    no: int
    abstain: int
    present_voting: int
    voting_members: int
    created_at: dt.datetime
    decided_at: dt.datetime | None
    items: tuple[DecisionItemRecord, ...] = ()
    group_counts: tuple[GroupCountRecord, ...] = ()
    voting: str = SHOW_OF_HANDS  # one of VOTING_WAYS
    votes: tuple[PhoneVoteRecord, ...] = ()  # only when voting is PHONES_OPEN


@dataclass(frozen=True, slots=True)
class TextPlace:
    """Where a text of the report stands: a chapter (``key`` one of CHAPTER_KEYS), a theme
    field (``key`` "field", by name), a priority's reason ("priority", a goal id) or a
    meeting's minutes ("minutes", a meeting index)."""

    key: str
    theme_field: str = ""
    goal: str = ""
    meeting: int = -1


@dataclass(frozen=True, slots=True)
class ReportTextRecord:
    place: TextPlace
    text: str
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class VersionFileRecord:
    fmt: str
    content: bytes


@dataclass(frozen=True, slots=True)
class ReportVersionRecord:
    label: str
    issued_at: dt.datetime
    snapshot: str  # the report's content as canonical JSON
    sha256: str  # of the snapshot
    files: tuple[VersionFileRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class Proceedings:
    attendance: tuple[AttendanceEntry, ...] = ()
    decision_rule: str | None = None  # None: never set (the default rule applies)
    decisions: tuple[DecisionRecord, ...] = ()
    texts: tuple[ReportTextRecord, ...] = ()
    versions: tuple[ReportVersionRecord, ...] = ()
