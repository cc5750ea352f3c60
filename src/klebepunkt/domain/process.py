"""A whole process as plain values: who took part, when they met, and their tally.

This is what the process document (JSON) holds and what a report's Teil I is
made of. The web app maps its models to these values and back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from klebepunkt.domain.model import Tally
from klebepunkt.domain.proceedings import Proceedings
from klebepunkt.domain.rewording import Rewording
from klebepunkt.domain.rules import Rules

ORIGIN_ADMINISTRATION = "administration"
ORIGIN_MEETING = "meeting"
ORIGINS = (ORIGIN_ADMINISTRATION, ORIGIN_MEETING)


@dataclass(frozen=True, slots=True)
class StakeholderGroup:
    """A Bereich of the working group (Politik, Freie Träger, …) and its voting right."""

    name: str
    description: str = ""  # "Wer?": who sits in it
    count_text: str = ""  # how the mandate states its size, e.g. "9 Personen aus …"
    voting: bool = True


# The composition of the seed's working group (AG Sozialplanung Koblenz 2017), offered as the
# template of a new process: the political groups, welfare associations and advisory councils
# vote; the administration and its experts take part without a vote.
SEED_COMPOSITION: tuple[StakeholderGroup, ...] = (
    StakeholderGroup("Politik", "Vertreterinnen und Vertreter der Fraktionen", voting=True),
    StakeholderGroup("Freie Träger", "Vertreterinnen und Vertreter der Wohlfahrtsverbände"),
    StakeholderGroup(
        "Interessenvertretungen",
        "Seniorenbeirat, Jugendrat, Behindertenbeauftragte, Beirat für Migration und Integration",
    ),
    StakeholderGroup("Verwaltung", "Fachämter und Sozialplanung", voting=False),
    StakeholderGroup("Expertinnen und Experten", "aus der Verwaltung und Fachleute", voting=False),
)


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    stakeholder_group: str
    voting: bool = True
    contact: str = ""
    erased: bool = False  # personal data erased on request: the name is a neutral label


@dataclass(frozen=True, slots=True)
class Meeting:
    date: dt.date
    start: dt.time | None = None
    end: dt.time | None = None
    place: str = ""
    focus: str = ""


@dataclass(frozen=True, slots=True)
class VotingRoundRecord:
    """A voting round as it was held: what a report's method section describes."""

    title: str
    dots_per_voter: int
    cap_per_card: int | None  # None: no cap
    hide_results: bool  # counts per card hidden until the facilitator revealed them
    secret: bool  # the records carry a pseudonym, never the member
    held_on: dt.date | None  # the day it was opened
    voters: int  # members with a code in the round
    voted: int  # of them, those who placed at least one dot
    digital_dots: int  # placed on the phones
    paper_dots: int  # counted on paper and entered per card
    theme_field: str = ""  # "": the cards of every theme field

    @property
    def dots(self) -> int:
        return self.digital_dots + self.paper_dots


@dataclass(frozen=True, slots=True)
class CompositionRow:
    """One line of the seed's composition table."""

    group: StakeholderGroup
    members: int
    voting_members: int


@dataclass(frozen=True, slots=True)
class ProcessRecord:
    title: str
    rules: Rules = field(default_factory=Rules)
    body: str = (
        ""  # the commissioning body, e.g. "AG Sozialplanung, eingesetzt vom Sozialausschuss"
    )
    year: int | None = None
    description: str = ""
    stakeholder_groups: tuple[StakeholderGroup, ...] = ()
    members: tuple[Member, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    tally: Tally = field(default_factory=Tally)
    proceedings: Proceedings = field(default_factory=Proceedings)  # attendance, decisions, texts…
    rewordings: tuple[Rewording, ...] = ()  # the priorities' working out, oldest first

    def composition(self) -> tuple[CompositionRow, ...]:
        """The composition by stakeholder group, counted from the members."""
        groups = {group.name: group for group in self.stakeholder_groups}
        for member in self.members:
            groups.setdefault(member.stakeholder_group, StakeholderGroup(member.stakeholder_group))
        rows = []
        for group in groups.values():
            members = [m for m in self.members if m.stakeholder_group == group.name]
            rows.append(CompositionRow(group, len(members), sum(1 for m in members if m.voting)))
        return tuple(rows)

    @property
    def voters(self) -> int:
        return sum(1 for member in self.members if member.voting)
