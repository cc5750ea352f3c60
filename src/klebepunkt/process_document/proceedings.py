"""The sections of the process document after the tally: attendance, the decision rule, the
decisions, the report's own texts and the issued report versions (with their files).

A section that is empty is not written, so a process without them is written as before,
and a file without them (an older one) is read as a process without them. Meetings and
members are named by their position in the file's lists (0 is the first), a goal by its
theme field and its position there, a stakeholder group by its name. Times are UTC.
``process_document`` calls ``to_dict`` and ``load``; every error names its path.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from klebepunkt.domain import DomainError, Tally, gettext_noop
from klebepunkt.domain.decision import DecisionRule, Outcome, Votes, check_counts
from klebepunkt.domain.formats import MEDIA_TYPES
from klebepunkt.domain.limits import DATE_OUT_OF_RANGE, MAX_NAME, is_sensible_date
from klebepunkt.domain.proceedings import (
    CHAPTER_KEYS,
    CHOICES,
    DECISION_STATES,
    MAX_COUNT,
    MAX_MOTION,
    MAX_VERSION_LABEL,
    PHONES_OPEN,
    PHONES_SECRET,
    PRESENCES,
    SHOW_OF_HANDS,
    VOTING_WAYS,
    AttendanceEntry,
    DecisionItemRecord,
    DecisionRecord,
    GroupCountRecord,
    PhoneVoteRecord,
    Proceedings,
    ReportTextRecord,
    ReportVersionRecord,
    TextPlace,
    VersionFileRecord,
)
from klebepunkt.domain.process import ProcessRecord
from klebepunkt.process_document.reader import Reader
from klebepunkt.richtext import MAX_LENGTH

T = TypeVar("T")


# --- dump --------------------------------------------------------------------


def goal_positions(tally: Tally) -> dict[str, tuple[str, int]]:
    """Goal id → (theme field, position among the field's goals), as the file lists them."""
    positions: dict[str, tuple[str, int]] = {}
    for name in tally.ordered_theme_fields():
        for index, goal in enumerate(g for g in tally.goals if g.theme_field == name):
            positions[goal.id] = (name, index)
    return positions


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def to_dict(record: ProcessRecord) -> dict[str, Any]:
    """The sections that are not empty, in a fixed order."""
    proceedings = record.proceedings
    positions = goal_positions(record.tally)

    def goal_ref(goal: str | None) -> dict[str, Any] | None:
        if goal is None or goal not in positions:
            return None
        field, index = positions[goal]
        return {"theme_field": field, "index": index}

    sections: dict[str, Any] = {}
    if proceedings.attendance:
        sections["attendance"] = [
            {"meeting": a.meeting, "member": a.member, "presence": a.presence}
            for a in proceedings.attendance
        ]
    if proceedings.decision_rule is not None:
        sections["decision_rule"] = proceedings.decision_rule
    if proceedings.decisions:
        sections["decisions"] = [
            {
                "meeting": d.meeting,
                "title": d.title,
                "rule": d.rule,
                "state": d.state,
                "outcome": d.outcome,
                "yes": d.yes,
                "no": d.no,
                "abstain": d.abstain,
                "present_voting": d.present_voting,
                "voting_members": d.voting_members,
                "created_at": _time(d.created_at),
                "decided_at": _time(d.decided_at) if d.decided_at else None,
                "items": [
                    {"rank": i.rank, "text": i.text, "goal": goal_ref(i.goal)} for i in d.items
                ],
                "group_counts": [
                    {"stakeholder_group": c.stakeholder_group, "yes": c.yes, "no": c.no}
                    | {"abstain": c.abstain}
                    for c in d.group_counts
                ],
                "voting": d.voting,
            }
            | (
                {"votes": [{"member": v.member, "choice": v.choice} for v in d.votes]}
                if d.voting == PHONES_OPEN
                else {}
            )
            for d in proceedings.decisions
        ]
    if proceedings.texts:
        sections["report_texts"] = [
            _place(t.place, goal_ref) | {"text": t.text, "updated_at": _time(t.updated_at)}
            for t in proceedings.texts
        ]
    if proceedings.versions:
        sections["report_versions"] = [
            {
                "label": v.label,
                "issued_at": _time(v.issued_at),
                "sha256": v.sha256,
                "snapshot": v.snapshot,
                "files": [
                    {"format": f.fmt, "base64": base64.b64encode(f.content).decode("ascii")}
                    for f in v.files
                ],
            }
            for v in proceedings.versions
        ]
    return sections


def _place(
    place: TextPlace, goal_ref: Callable[[str | None], dict[str, Any] | None]
) -> dict[str, Any]:
    if place.key == "field":
        return {"place": "field", "theme_field": place.theme_field}
    if place.key == "priority":
        return {"place": "priority", "goal": goal_ref(place.goal)}
    if place.key == "minutes":
        return {"place": "minutes", "meeting": place.meeting}
    return {"place": place.key}


# --- load --------------------------------------------------------------------


def load(reader: Reader, document: dict[str, Any], record: ProcessRecord) -> Proceedings:
    """The sections of ``document`` that refer to ``record`` (read from the same document)."""
    return _Sections(reader, record).read(document)


class _Sections:
    def __init__(self, reader: Reader, record: ProcessRecord):
        self.reader = reader
        self.record = record
        self.goals = {position: goal for goal, position in goal_positions(record.tally).items()}
        self.groups = {g.name for g in record.stakeholder_groups} | {
            m.stakeholder_group for m in record.members
        }

    def once(self, values: list[Any], place: Callable[[int], str], msgid: str) -> None:
        """Refuses a value that stands earlier in ``values``, at ``place(index)``."""
        for index, value in enumerate(values):
            if value in values[:index]:
                raise self.reader.fail(place(index), msgid)

    def read(self, document: dict[str, Any]) -> Proceedings:
        reader = self.reader
        attendance = reader.items(document, "attendance", "", self.attendance)
        seen: set[tuple[int, int]] = set()
        for index, entry in enumerate(attendance):
            if (entry.meeting, entry.member) in seen:
                raise reader.fail(
                    f"attendance[{index}]",
                    gettext_noop("The attendance of this member at this meeting appears twice."),
                )
            seen.add((entry.meeting, entry.member))
        rule = reader.get(document, "decision_rule", "", str, None)
        if rule is not None:
            self.choice("decision_rule", rule, [r.value for r in DecisionRule])
        texts = reader.items(document, "report_texts", "", self.text)
        places = [t.place for t in texts]
        self.once(places, lambda i: f"report_texts[{i}]", gettext_noop("This place has two texts."))
        return Proceedings(
            attendance=tuple(attendance),
            decision_rule=rule,
            decisions=tuple(reader.items(document, "decisions", "", self.decision)),
            texts=tuple(texts),
            versions=tuple(reader.items(document, "report_versions", "", self.version)),
        )

    # --- fields ---

    def choice(self, path: str, value: str, choices: list[str]) -> str:
        if value not in choices:
            raise self.reader.fail(
                path,
                gettext_noop("Unknown value; expected one of: %(choices)s."),
                choices=", ".join(choices),
            )
        return value

    def index(self, obj: dict[str, Any], key: str, path: str, of: tuple[object, ...]) -> int:
        value = self.reader.get(obj, key, path, int, limit=MAX_COUNT)
        if value >= len(of):
            raise self.reader.fail(
                f"{path}.{key}",
                gettext_noop("There is no entry %(index)s in this list (it has %(count)s)."),
                index=value,
                count=len(of),
            )
        return value

    def count(self, obj: dict[str, Any], key: str, path: str) -> int:
        return self.reader.get(obj, key, path, int, 0, limit=MAX_COUNT)

    def time(self, obj: dict[str, Any], key: str, path: str, *, required: bool) -> Any:
        raw: str | None = self.reader.get(obj, key, path, str, ... if required else None)
        if raw is None:
            return None
        try:
            value = dt.datetime.fromisoformat(raw)
        except ValueError:
            value = None
        if value is None or value.tzinfo is None:
            raise self.reader.fail(
                f"{path}.{key}",
                gettext_noop(
                    "“%(value)s” is not a point in time with its time zone "
                    "(YYYY-MM-DDTHH:MM:SS+00:00)."
                ),
                value=raw[:40],
            )
        if not is_sensible_date(value.date()):
            raise self.reader.fail(f"{path}.{key}", DATE_OUT_OF_RANGE, value=raw[:40])
        return value.astimezone(dt.UTC)

    def goal(self, obj: dict[str, Any], key: str, path: str) -> str | None:
        ref: dict[str, Any] | None = self.reader.get(obj, key, path, dict, None)
        if ref is None:
            return None
        here = f"{path}.{key}"
        field = self.reader.get(ref, "theme_field", here, str, limit=MAX_NAME)
        position = self.reader.get(ref, "index", here, int, limit=MAX_COUNT)
        goal = self.goals.get((field, position))
        if goal is None:
            raise self.reader.fail(
                here,
                gettext_noop("There is no goal %(index)s in the theme field “%(field)s”."),
                index=position,
                field=field[:80],
            )
        return goal

    def required_text(self, obj: dict[str, Any], key: str, path: str, limit: int) -> str:
        value = self.reader.get(obj, key, path, str, limit=limit)
        if not value.strip():
            raise self.reader.fail(f"{path}.{key}", gettext_noop("This field is empty."))
        return value

    # --- sections ---

    def attendance(self, obj: dict[str, Any], path: str) -> AttendanceEntry:
        presence = self.reader.get(obj, "presence", path, str)
        return AttendanceEntry(
            meeting=self.index(obj, "meeting", path, self.record.meetings),
            member=self.index(obj, "member", path, self.record.members),
            presence=self.choice(f"{path}.presence", presence, list(PRESENCES)),
        )

    def decision(self, obj: dict[str, Any], path: str) -> DecisionRecord:
        reader = self.reader
        rule = self.choice(
            f"{path}.rule", reader.get(obj, "rule", path, str), [r.value for r in DecisionRule]
        )
        state = self.choice(
            f"{path}.state", reader.get(obj, "state", path, str), list(DECISION_STATES)
        )
        outcome = reader.get(obj, "outcome", path, str, "")
        if state == "open" and outcome:
            raise reader.fail(
                f"{path}.outcome", gettext_noop("An open decision has no result yet.")
            )
        if state == "closed":
            self.choice(f"{path}.outcome", outcome, [o.value for o in Outcome])
        voting = self.choice(
            f"{path}.voting",
            reader.get(obj, "voting", path, str, SHOW_OF_HANDS),
            list(VOTING_WAYS),
        )
        decision = DecisionRecord(
            meeting=self.index(obj, "meeting", path, self.record.meetings),
            title=self.required_text(obj, "title", path, MAX_MOTION),
            rule=rule,
            state=state,
            outcome=outcome,
            yes=self.count(obj, "yes", path),
            no=self.count(obj, "no", path),
            abstain=self.count(obj, "abstain", path),
            present_voting=self.count(obj, "present_voting", path),
            voting_members=self.count(obj, "voting_members", path),
            created_at=self.time(obj, "created_at", path, required=True),
            decided_at=self.time(obj, "decided_at", path, required=False),
            items=tuple(reader.items(obj, "items", path, self.item)),
            group_counts=tuple(reader.items(obj, "group_counts", path, self.group_count)),
            voting=voting,
            votes=tuple(reader.items(obj, "votes", path, self.phone_vote)),
        )
        self.check_voting(decision, path)
        try:
            check_counts(
                Votes(decision.yes, decision.no, decision.abstain),
                present_voting=decision.present_voting,
                voting_members=decision.voting_members,
            )
        except DomainError as error:
            raise reader.fail(path, error.message.msgid, **error.message.params) from None
        names = [c.stakeholder_group for c in decision.group_counts]
        for index, name in enumerate(names):
            if name in names[:index]:
                raise reader.fail(
                    f"{path}.group_counts[{index}].stakeholder_group",
                    gettext_noop("This stakeholder group appears twice."),
                )
        return decision

    def check_voting(self, decision: DecisionRecord, path: str) -> None:
        """Who voted what only in an open vote on the phones, each member once; counts per
        group only by show of hands; no running tally of a secret vote still open."""
        fail = self.reader.fail
        if decision.votes and decision.voting != PHONES_OPEN:
            raise fail(
                f"{path}.votes",
                gettext_noop("Only an open vote on the phones records who voted what."),
            )
        if decision.group_counts and decision.voting != SHOW_OF_HANDS:
            raise fail(
                f"{path}.group_counts",
                gettext_noop("Counts per stakeholder group belong to a show of hands."),
            )
        secret_open = decision.voting == PHONES_SECRET and decision.state == "open"
        if secret_open and (decision.yes or decision.no or decision.abstain):
            raise fail(
                path,
                gettext_noop("A secret vote that is still open carries no counts in the file."),
            )
        members = [v.member for v in decision.votes]
        for index, member in enumerate(members):
            if member in members[:index]:
                raise fail(
                    f"{path}.votes[{index}].member",
                    gettext_noop("This member's vote appears twice."),
                )

    def phone_vote(self, obj: dict[str, Any], path: str) -> PhoneVoteRecord:
        choice = self.reader.get(obj, "choice", path, str)
        return PhoneVoteRecord(
            member=self.index(obj, "member", path, self.record.members),
            choice=self.choice(f"{path}.choice", choice, list(CHOICES)),
        )

    def item(self, obj: dict[str, Any], path: str) -> DecisionItemRecord:
        return DecisionItemRecord(
            rank=self.reader.get(obj, "rank", path, int, limit=MAX_COUNT),
            text=self.reader.get(obj, "text", path, str, limit=MAX_LENGTH),
            goal=self.goal(obj, "goal", path),
        )

    def group_count(self, obj: dict[str, Any], path: str) -> GroupCountRecord:
        name = self.reader.get(obj, "stakeholder_group", path, str, limit=MAX_NAME)
        if name not in self.groups:
            raise self.reader.fail(
                f"{path}.stakeholder_group",
                gettext_noop("Unknown stakeholder group “%(group)s”."),
                group=name[:80],
            )
        return GroupCountRecord(
            stakeholder_group=name,
            yes=self.count(obj, "yes", path),
            no=self.count(obj, "no", path),
            abstain=self.count(obj, "abstain", path),
        )

    def text(self, obj: dict[str, Any], path: str) -> ReportTextRecord:
        reader = self.reader
        key = self.choice(
            f"{path}.place",
            reader.get(obj, "place", path, str),
            [*CHAPTER_KEYS, "field", "priority", "minutes"],
        )
        place = TextPlace(key)
        if key == "field":
            field = reader.get(obj, "theme_field", path, str, limit=MAX_NAME)
            if field not in self.record.tally.ordered_theme_fields():
                raise reader.fail(
                    f"{path}.theme_field", gettext_noop("There is no theme field of this name.")
                )
            place = TextPlace(key, theme_field=field)
        elif key == "priority":
            goal = self.goal(obj, "goal", path)
            if goal is None:
                raise reader.fail(f"{path}.goal", gettext_noop("This field is missing."))
            place = TextPlace(key, goal=goal)
        elif key == "minutes":
            place = TextPlace(key, meeting=self.index(obj, "meeting", path, self.record.meetings))
        return ReportTextRecord(
            place=place,
            text=self.required_text(obj, "text", path, MAX_LENGTH),
            updated_at=self.time(obj, "updated_at", path, required=True),
        )

    def version(self, obj: dict[str, Any], path: str) -> ReportVersionRecord:
        reader = self.reader
        snapshot = reader.get(obj, "snapshot", path, str)
        try:
            content = json.loads(snapshot)
        except (ValueError, RecursionError):
            content = None
        if not isinstance(content, dict):
            raise reader.fail(
                f"{path}.snapshot", gettext_noop("The snapshot is not a report's content (JSON).")
            )
        digest = reader.get(obj, "sha256", path, str, limit=64)
        if digest != hashlib.sha256(snapshot.encode("utf-8")).hexdigest():
            raise reader.fail(
                f"{path}.sha256",
                gettext_noop("The SHA-256 does not match the snapshot: the version was altered."),
            )
        files = reader.items(obj, "files", path, self.version_file)
        formats = [f.fmt for f in files]
        self.once(
            formats,
            lambda i: f"{path}.files[{i}].format",
            gettext_noop("This format appears twice."),
        )
        return ReportVersionRecord(
            label=self.required_text(obj, "label", path, MAX_VERSION_LABEL),
            issued_at=self.time(obj, "issued_at", path, required=True),
            snapshot=snapshot,
            sha256=digest,
            files=tuple(files),
        )

    def version_file(self, obj: dict[str, Any], path: str) -> VersionFileRecord:
        fmt = self.choice(
            f"{path}.format", self.reader.get(obj, "format", path, str), sorted(MEDIA_TYPES)
        )
        raw = self.reader.get(obj, "base64", path, str)
        try:
            content = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise self.reader.fail(
                f"{path}.base64", gettext_noop("The file's content is not valid Base64.")
            ) from None
        return VersionFileRecord(fmt=fmt, content=content)
