"""Attendance, decisions, the report's texts and its issued versions in the process file.

``proceedings_of`` reads them as domain values for the export (``process_document`` writes
them); ``store_proceedings`` writes them back for a process being imported, inside the
import's transaction, so a file is stored whole or not at all. Both are registered with
``processes.extensions`` when the app is ready. Nothing is lost: the wording each decision
froze is kept, so a priority "changed after the decision" is still changed after an import.

How a decision is voted on goes with it (``voting``: show of hands, phones open or phones
secret), and an open vote on the phones with who voted what (members by their position in
the file, as the attendance names them). A secret vote carries nothing of its members: its
markers are never written (they are deleted at the close anyway), and while it is still
open not even its anonymous running tally is written (it is hidden while open, and without
the markers an imported copy could not tell who has voted): it is written as a secret vote
that nobody has voted in yet, and in an imported copy the members present vote anew.
"""

from __future__ import annotations

import secrets
from typing import Any

from klebepunkt.decisions import models
from klebepunkt.domain import proceedings as records
from klebepunkt.processes import models as process_models
from klebepunkt.processes.extensions import ImportedProcess
from klebepunkt.processes.selectors import meetings_in_order, members_in_order

# --- out --------------------------------------------------------------------------------------


def proceedings_of(process: process_models.Process) -> records.Proceedings:
    meetings = {
        pk: i for i, pk in enumerate(meetings_in_order(process).values_list("pk", flat=True))
    }
    members = {pk: i for i, pk in enumerate(members_in_order(process).values_list("pk", flat=True))}
    attendance = sorted(
        (
            records.AttendanceEntry(meetings[meeting], members[member], presence)
            for meeting, member, presence in models.Attendance.objects.filter(
                meeting__process=process
            ).values_list("meeting_id", "member_id", "presence")
        ),
        key=lambda entry: (entry.meeting, entry.member),
    )
    decisions = (
        models.Decision.objects.filter(process=process)
        .order_by("created_at", "id")
        .prefetch_related("items", "counts__stakeholder_group", "phone_votes")
    )
    return records.Proceedings(
        attendance=tuple(attendance),
        decision_rule=models.DecisionSettings.objects.filter(process=process)
        .values_list("rule", flat=True)
        .first(),
        decisions=tuple(_decision(d, meetings[d.meeting_id], members) for d in decisions),
        texts=_texts(process, meetings),
        versions=tuple(
            records.ReportVersionRecord(
                label=version.label,
                issued_at=version.issued_at,
                snapshot=version.snapshot,
                sha256=version.sha256,
                files=tuple(
                    records.VersionFileRecord(fmt, bytes(content))
                    for fmt, content in version.files.order_by("fmt").values_list("fmt", "content")
                ),
            )
            for version in models.ReportVersion.objects.filter(process=process).order_by(
                "issued_at", "id"
            )
        ),
    )


# what a decision is called the same in the database and in the file
SAME_FIELDS = (
    "title",
    "rule",
    "state",
    "outcome",
    "yes",
    "no",
    "abstain",
    "present_voting",
    "voting_members",
    "created_at",
    "decided_at",
)


def _same_fields(decision: models.Decision | records.DecisionRecord) -> dict[str, Any]:
    return {name: getattr(decision, name) for name in SAME_FIELDS}


def _decision(
    decision: models.Decision, meeting: int, members: dict[int, int]
) -> records.DecisionRecord:
    counts = sorted(
        decision.counts.all(),
        key=lambda c: (c.stakeholder_group.position, c.stakeholder_group_id),
    )
    fields = _same_fields(decision)
    if decision.secret and decision.is_open:  # the running tally stays hidden (see above)
        fields.update(yes=0, no=0, abstain=0)
    return records.DecisionRecord(
        meeting=meeting,
        **fields,
        voting=records.voting_way(phone=decision.phone, secret=decision.secret),
        votes=tuple(
            sorted(
                (
                    records.PhoneVoteRecord(members[vote.member_id], vote.choice)
                    for vote in decision.phone_votes.all()
                    if not decision.secret
                ),
                key=lambda vote: vote.member,
            )
        ),
        items=tuple(
            records.DecisionItemRecord(
                rank=item.rank,
                text=item.text,
                goal=str(item.goal_id) if item.goal_id is not None else None,
            )
            for item in decision.items.all()  # ordered by rank, id
        ),
        group_counts=tuple(
            records.GroupCountRecord(c.stakeholder_group.name, c.yes, c.no, c.abstain)
            for c in counts
        ),
    )


def _texts(
    process: process_models.Process, meetings: dict[int, int]
) -> tuple[records.ReportTextRecord, ...]:
    """The texts at a place the process still has, in the order of the places (chapters,
    theme fields, priorities' reasons, minutes); a text whose place is gone is not exported."""
    fields = list(process.theme_fields.order_by("position", "id").values_list("pk", "name"))
    field_names = {pk: (i, name) for i, (pk, name) in enumerate(fields)}
    goals = {
        pk: i
        for i, pk in enumerate(
            process_models.Goal.objects.filter(theme_field__process=process)
            .order_by("theme_field__position", "theme_field_id", "position", "id")
            .values_list("pk", flat=True)
        )
    }
    found: list[tuple[tuple[int, int], records.ReportTextRecord]] = []
    for key, text, updated_at in models.ReportText.objects.filter(process=process).values_list(
        "key", "text", "updated_at"
    ):
        kind, _dash, ref = key.partition("-")
        number = int(ref) if ref.isdigit() else -1
        if key in records.CHAPTER_KEYS:
            order, place = (0, records.CHAPTER_KEYS.index(key)), records.TextPlace(key)
        elif kind == "field" and number in field_names:
            position, name = field_names[number]
            order, place = (1, position), records.TextPlace("field", theme_field=name)
        elif kind == "priority" and number in goals:
            order, place = (2, goals[number]), records.TextPlace("priority", goal=str(number))
        elif kind == "minutes" and number in meetings:
            order, place = (
                (3, meetings[number]),
                records.TextPlace("minutes", meeting=meetings[number]),
            )
        else:
            continue
        found.append((order, records.ReportTextRecord(place, text, updated_at)))
    return tuple(record for _order, record in sorted(found, key=lambda pair: pair[0]))


# --- in ---------------------------------------------------------------------------------------


def store_proceedings(imported: ImportedProcess, recorded: records.Proceedings) -> None:
    """Store ``recorded`` with the process ``imported`` from the same record (already checked
    by the process file's reader: every reference exists)."""
    process = imported.process
    models.Attendance.objects.bulk_create(
        models.Attendance(
            meeting=imported.meetings[entry.meeting],
            member=imported.members[entry.member],
            presence=entry.presence,
        )
        for entry in recorded.attendance
    )
    if recorded.decision_rule is not None:
        models.DecisionSettings.objects.create(process=process, rule=recorded.decision_rule)
    for decision in recorded.decisions:
        secret = decision.voting == records.PHONES_SECRET
        stored = models.Decision.objects.create(
            process=process,
            meeting=imported.meetings[decision.meeting],
            **_same_fields(decision),
            phone=decision.voting != records.SHOW_OF_HANDS,
            secret=secret,
            marker_salt=secrets.token_hex(32)
            if secret and decision.state == models.DecisionState.OPEN
            else "",
        )
        models.PhoneVote.objects.bulk_create(
            models.PhoneVote(
                decision=stored, member=imported.members[vote.member], choice=vote.choice
            )
            for vote in decision.votes
        )
        models.DecisionItem.objects.bulk_create(
            models.DecisionItem(
                decision=stored,
                goal=imported.goals[item.goal] if item.goal is not None else None,
                rank=item.rank,
                text=item.text,
            )
            for item in decision.items
        )
        models.GroupCount.objects.bulk_create(
            models.GroupCount(
                decision=stored,
                stakeholder_group=imported.groups[count.stakeholder_group],
                yes=count.yes,
                no=count.no,
                abstain=count.abstain,
            )
            for count in decision.group_counts
        )
    fields = dict(process.theme_fields.values_list("name", "pk"))
    models.ReportText.objects.bulk_create(
        models.ReportText(
            process=process,
            key=_key(text.place, imported, fields),
            text=text.text,
            updated_at=text.updated_at,
        )
        for text in recorded.texts
    )
    for version in recorded.versions:
        stored_version = models.ReportVersion.objects.create(
            process=process,
            label=version.label,
            issued_at=version.issued_at,
            snapshot=version.snapshot,
            sha256=version.sha256,
        )
        models.ReportVersionFile.objects.bulk_create(
            models.ReportVersionFile(version=stored_version, fmt=file.fmt, content=file.content)
            for file in version.files
        )


def _key(place: records.TextPlace, imported: ImportedProcess, fields: dict[str, int]) -> str:
    if place.key == "field":
        return f"field-{fields[place.theme_field]}"
    if place.key == "priority":
        return f"priority-{imported.goals[place.goal].pk}"
    if place.key == "minutes":
        return f"minutes-{imported.meetings[place.meeting].pk}"
    return place.key
