"""Member sheets: the members of a working group from Excel (pasted or .xlsx) or CSV.

One row per member: ``Name``, ``Bereich`` (the stakeholder group), optionally
``Stimmberechtigt`` (ja/nein; empty: the group's default) and ``Kontakt``. Read against
the process's stakeholder groups and members, a sheet becomes a :class:`MemberPlan`:

- a group the process does not have is created (with voting right unless every row of
  it says "nein"), except when its name is close to an existing group's: then it is
  taken for a typo and the sheet is refused with a "did you mean";
- a member whose name the process has already is left as it is (so that the same list
  can be imported twice); the same name twice in the sheet is refused.

Every error is a :class:`SheetError` naming file, row and column; reading either
succeeds completely or raises.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from klebepunkt.domain import Location, Message, gettext_noop
from klebepunkt.domain.limits import MAX_NAME, MAX_TITLE, has_forbidden_character
from klebepunkt.domain.model import normalise_text
from klebepunkt.sheets.errors import SheetError
from klebepunkt.sheets.table import Layout, Table, read_table


class MemberColumn(StrEnum):
    NAME = "name"
    STAKEHOLDER_GROUP = "stakeholder_group"
    VOTING = "voting"
    CONTACT = "contact"

    @property
    def header(self) -> str:
        return MEMBER_HEADERS[self]


MEMBER_HEADERS: dict[MemberColumn, str] = {
    MemberColumn.NAME: "Name",
    MemberColumn.STAKEHOLDER_GROUP: "Bereich",
    MemberColumn.VOTING: "Stimmberechtigt",
    MemberColumn.CONTACT: "Kontakt",
}

MEMBER_ALIASES: dict[MemberColumn, tuple[str, ...]] = {
    MemberColumn.NAME: (
        "name",
        "mitglied",
        "person",
        "vor- und nachname",
        "teilnehmer",
        "teilnehmerin",
        "teilnehmer:in",
        "teilnehmende",
        "member",
    ),
    MemberColumn.STAKEHOLDER_GROUP: (
        "bereich",
        "gruppe",
        "interessengruppe",
        "akteursgruppe",
        "stakeholder group",
        "group",
    ),
    MemberColumn.VOTING: (
        "stimmberechtigt",
        "stimmberechtigung",
        "stimmrecht",
        "stimme",
        "voting",
        "voting right",
    ),
    MemberColumn.CONTACT: ("kontakt", "e-mail", "email", "telefon", "contact"),
}

MEMBERS = Layout(
    headers=MEMBER_HEADERS,
    aliases=MEMBER_ALIASES,
    required=(MemberColumn.NAME, MemberColumn.STAKEHOLDER_GROUP),
    missing=gettext_noop(
        "Required column “%(column)s” is missing. The header row has: %(found)s. "
        "Expected: %(expected)s."
    ),
    expected="Name, Bereich, Stimmberechtigt, Kontakt",
)


@dataclass(frozen=True, slots=True)
class NewMember:
    row: int
    name: str
    stakeholder_group: str  # as the process (or the new group) spells it
    voting: bool  # as the row says, else the group's default
    contact: str


@dataclass(frozen=True, slots=True)
class NewGroup:
    name: str
    voting: bool


@dataclass(frozen=True, slots=True)
class MemberPlan:
    """What importing a member sheet would do; nothing is saved yet."""

    filename: str
    members: tuple[NewMember, ...]
    new_groups: tuple[NewGroup, ...]
    already_members: tuple[str, ...]  # names the process has already: left as they are

    @property
    def changes_anything(self) -> bool:
        return bool(self.members)


def read_member_sheet(
    content: bytes,
    filename: str,
    *,
    groups: Mapping[str, bool],
    members: Sequence[str],
) -> MemberPlan:
    """The members a sheet adds to a process with these ``groups`` (name → default voting
    right) and ``members`` (names)."""
    table = read_table(content, filename, MEMBERS)
    known_groups = {normalise_text(name).casefold(): name for name in groups}
    known_members = {normalise_text(name).casefold() for name in members}
    new_groups: dict[str, str] = {}  # casefolded → as first written
    group_votes: dict[str, list[bool | None]] = {}
    seen: dict[str, int] = {}
    added: list[NewMember] = []
    already: list[str] = []
    explicit: list[bool | None] = []  # the voting right each added row states, if any
    for row, cells in table.rows():
        _check_texts(table, row, cells)
        name = table.text(cells, MemberColumn.NAME)
        group_text = table.text(cells, MemberColumn.STAKEHOLDER_GROUP)
        if not name:
            raise SheetError(
                Message(gettext_noop("This row has no name.")),
                table.where(row, MemberColumn.NAME),
            )
        if not group_text:
            raise SheetError(
                Message(gettext_noop("This row names no stakeholder group.")),
                table.where(row, MemberColumn.STAKEHOLDER_GROUP),
            )
        key = name.casefold()
        if key in seen:
            raise SheetError(
                Message(
                    gettext_noop("“%(name)s” appears twice; row %(earlier)s has it already."),
                    {"name": name, "earlier": seen[key]},
                ),
                table.where(row, MemberColumn.NAME),
            )
        seen[key] = row
        group = _group(table, row, group_text, known_groups, new_groups)
        voting = (
            None
            if not table.has(MemberColumn.VOTING) or not table.cell(cells, MemberColumn.VOTING)
            else table.yes_no(row, cells, MemberColumn.VOTING)
        )
        contact = table.text(cells, MemberColumn.CONTACT)
        if key in known_members:
            already.append(name)
            continue
        group_votes.setdefault(group.casefold(), []).append(voting)
        added.append(NewMember(row, name, group, voting is not False, contact))
        explicit.append(voting)
    if not seen:
        raise SheetError(
            Message(gettext_noop("The sheet has a header row but no members.")),
            Location(file=filename),
        )
    created = tuple(
        NewGroup(name, voting=any(vote is not False for vote in group_votes[key]))
        for key, name in new_groups.items()
        if key in group_votes  # not a group only of members the process has already
    )
    defaults = {normalise_text(name).casefold(): voting for name, voting in groups.items()}
    defaults.update({group.name.casefold(): group.voting for group in created})
    return MemberPlan(
        filename=filename,
        members=tuple(
            member
            if stated is not None
            else NewMember(
                member.row,
                member.name,
                member.stakeholder_group,
                defaults[member.stakeholder_group.casefold()],
                member.contact,
            )
            for member, stated in zip(added, explicit, strict=True)
        ),
        new_groups=created,
        already_members=tuple(already),
    )


def _check_texts(table: Table[MemberColumn], row: int, cells: Sequence[object]) -> None:
    for column, limit in (
        (MemberColumn.NAME, MAX_NAME),
        (MemberColumn.STAKEHOLDER_GROUP, MAX_NAME),
        (MemberColumn.CONTACT, MAX_TITLE),
    ):
        text = table.text(cells, column)
        if has_forbidden_character(text):
            raise SheetError(
                Message(
                    gettext_noop("The text contains a null character, which cannot be stored.")
                ),
                table.where(row, column),
            )
        if len(text) > limit:
            raise SheetError(
                Message(
                    gettext_noop("This text is longer than %(max)s characters."), {"max": limit}
                ),
                table.where(row, column),
            )


def _group(
    table: Table[MemberColumn],
    row: int,
    text: str,
    known: Mapping[str, str],
    new: dict[str, str],
) -> str:
    """The group a row names, as the process spells it; a new one is recorded in ``new``."""
    key = text.casefold()
    if key in known:
        return known[key]
    if key in new:
        return new[key]
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.8)
    if close:
        raise SheetError(
            Message(
                gettext_noop(
                    "There is no stakeholder group “%(group)s”. Did you mean “%(close)s”? "
                    "(A group whose name is not close to an existing one is created.)"
                ),
                {"group": text, "close": known[close[0]]},
            ),
            table.where(row, MemberColumn.STAKEHOLDER_GROUP),
        )
    new[key] = text
    return text
