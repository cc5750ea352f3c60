"""The process document: a whole process as one JSON file, lossless and canonical.

``dump`` writes a fixed key order, two-space indent and UTF-8, so that
export → import → export is byte-identical. ``load`` validates every field and
names the place of an error as a path ("theme_fields[1].goals[0].cards[2].dots").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from klebepunkt.domain import (
    Aggregation,
    Card,
    DomainError,
    Goal,
    Location,
    Message,
    Rules,
    Tally,
    gettext_noop,
)
from klebepunkt.domain.limits import (
    DATE_OUT_OF_RANGE,
    MAX_DESCRIPTION,
    MAX_GOAL_NR,
    MAX_NAME,
    MAX_POINTS,
    MAX_TITLE,
    MAX_YEAR,
    is_sensible_date,
)
from klebepunkt.domain.process import ORIGINS, Meeting, Member, ProcessRecord, StakeholderGroup
from klebepunkt.process_document import rewordings as process_rewordings
from klebepunkt.process_document.proceedings import load as load_proceedings
from klebepunkt.process_document.proceedings import to_dict as proceedings_dict
from klebepunkt.process_document.reader import DocumentError, Reader

FORMAT = "klebepunkt/process"
VERSION = 1

# --- dump --------------------------------------------------------------------


def to_dict(record: ProcessRecord) -> dict[str, Any]:
    tally = record.tally
    fields = []
    for name in tally.ordered_theme_fields():
        goals = [goal for goal in tally.goals if goal.theme_field == name]
        cards = [card for card in tally.cards if card.theme_field == name]
        fields.append(
            {
                "name": name,
                "goals": [
                    {
                        "nr": goal.nr,
                        "text": goal.text,
                        "stated_points": goal.stated_points,
                        "cards": [_card(card) for card in cards if card.goal_id == goal.id],
                    }
                    for goal in goals
                ],
                "cards": [_card(card) for card in cards if card.goal_id is None],
            }
        )
    rules = record.rules
    return {
        "format": FORMAT,
        "version": VERSION,
        "process": {
            "title": record.title,
            "body": record.body,
            "year": record.year,
            "description": record.description,
            "rules": {
                "dots_per_voter": rules.dots_per_voter,
                "cap_per_card": rules.cap_per_card,
                "goal_threshold": rules.goal_threshold,
                "aggregation": rules.aggregation.value,
            },
        },
        "stakeholder_groups": [
            {
                "name": group.name,
                "description": group.description,
                "count_text": group.count_text,
                "voting": group.voting,
            }
            for group in record.stakeholder_groups
        ],
        "members": [
            {
                "name": member.name,
                "stakeholder_group": member.stakeholder_group,
                "voting": member.voting,
                "contact": member.contact,
                **({"erased": True} if member.erased else {}),  # absent: not erased (older files)
            }
            for member in record.members
        ],
        "meetings": [
            {
                "date": meeting.date.isoformat(),
                "start": meeting.start.strftime("%H:%M") if meeting.start else None,
                "end": meeting.end.strftime("%H:%M") if meeting.end else None,
                "place": meeting.place,
                "focus": meeting.focus,
            }
            for meeting in record.meetings
        ],
        "theme_fields": fields,
        **proceedings_dict(record),  # attendance, decisions, texts, versions: when there are any
        **process_rewordings.section(tally, record.rewordings),  # optional, after the tally
    }


def _card(card: Card) -> dict[str, Any]:
    return {
        "text": card.text,
        "indicator": card.indicator,
        "responsible": card.responsible,
        "dots": card.dots,
        "origin": card.origin,
        "stated_in_topic_store": card.stated_in_topic_store,
    }


def dumps(record: ProcessRecord) -> bytes:
    return (json.dumps(to_dict(record), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- load --------------------------------------------------------------------


def loads(content: bytes, filename: str = "process.json") -> ProcessRecord:
    reader = Reader(filename)
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise reader.fail("", gettext_noop("The file is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise DocumentError(
            Message(gettext_noop("The file is not valid JSON: %(reason)s"), {"reason": error.msg}),
            Location(file=filename, row=error.lineno),
        ) from None
    except (ValueError, RecursionError):  # a number of thousands of digits; nesting without end
        raise reader.fail(
            "",
            gettext_noop("The file is not a process file: its structure is far too deep or large."),
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise reader.fail(
            "format",
            gettext_noop("This is not a klebepunkt process file (format “%(format)s”)."),
            format=FORMAT,
        )
    if document.get("version") != VERSION:
        raise reader.fail(
            "version",
            gettext_noop("Unknown version; this klebepunkt reads version %(version)s."),
            version=VERSION,
        )
    process = reader.get(document, "process", "", dict)
    rules = _rules(reader, reader.get(process, "rules", "process", dict, {}))
    year = reader.get(process, "year", "process", int, None, limit=MAX_YEAR)
    group_names: set[str] = set()

    def group(obj: dict[str, Any], path: str) -> StakeholderGroup:
        name = _required_text(reader, obj, "name", path, limit=MAX_NAME)
        if name in group_names:
            raise reader.fail(f"{path}.name", gettext_noop("This stakeholder group appears twice."))
        group_names.add(name)
        return StakeholderGroup(
            name=name,
            description=reader.get(obj, "description", path, str, "", limit=MAX_DESCRIPTION),
            count_text=reader.get(obj, "count_text", path, str, "", limit=MAX_NAME),
            voting=reader.get(obj, "voting", path, bool, True),
        )

    groups = reader.items(document, "stakeholder_groups", "", group)
    members = reader.items(
        document,
        "members",
        "",
        lambda obj, path: Member(
            name=_required_text(reader, obj, "name", path, limit=MAX_NAME),
            stakeholder_group=_required_text(
                reader, obj, "stakeholder_group", path, limit=MAX_NAME
            ),
            voting=reader.get(obj, "voting", path, bool, True),
            contact=reader.get(obj, "contact", path, str, "", limit=MAX_TITLE),
            erased=reader.get(obj, "erased", path, bool, False),
        ),
    )
    for index, member in enumerate(members):
        if member.erased and member.contact:
            raise reader.fail(
                f"members[{index}].contact",
                gettext_noop("An erased member has no contact; remove it from the file."),
            )
    meetings = reader.items(document, "meetings", "", lambda obj, path: _meeting(reader, obj, path))
    goals: list[Goal] = []
    cards: list[Card] = []
    names: list[str] = []

    def theme_field(obj: dict[str, Any], path: str) -> None:
        name = _required_text(reader, obj, "name", path, limit=MAX_NAME)
        if name in names:
            raise reader.fail(f"{path}.name", gettext_noop("This theme field appears twice."))
        names.append(name)

        def goal(goal_obj: dict[str, Any], goal_path: str) -> None:
            goal_id = f"g{len(goals) + 1}"
            goals.append(
                Goal(
                    id=goal_id,
                    theme_field=name,
                    text=_required_text(reader, goal_obj, "text", goal_path),
                    nr=reader.get(goal_obj, "nr", goal_path, str, "", limit=MAX_GOAL_NR),
                    stated_points=_points(reader, goal_obj, "stated_points", goal_path, None),
                )
            )
            reader.items(goal_obj, "cards", goal_path, lambda c, p: card(c, p, goal_id))

        def card(card_obj: dict[str, Any], card_path: str, goal_id: str | None) -> None:
            origin = reader.get(card_obj, "origin", card_path, str, "")
            if origin and origin not in ORIGINS:
                raise reader.fail(
                    f"{card_path}.origin",
                    gettext_noop("Unknown origin; expected one of: %(choices)s."),
                    choices=", ".join(ORIGINS),
                )
            cards.append(
                Card(
                    id=f"c{len(cards) + 1}",
                    theme_field=name,
                    text=reader.get(card_obj, "text", card_path, str, ""),
                    dots=_points(reader, card_obj, "dots", card_path, 0) or 0,
                    goal_id=goal_id,
                    indicator=reader.get(card_obj, "indicator", card_path, str, ""),
                    responsible=reader.get(card_obj, "responsible", card_path, str, ""),
                    stated_in_topic_store=reader.get(
                        card_obj, "stated_in_topic_store", card_path, bool, None
                    ),
                    origin=origin,
                )
            )

        reader.items(obj, "goals", path, goal)
        reader.items(obj, "cards", path, lambda c, p: card(c, p, None))

    reader.items(document, "theme_fields", "", theme_field)
    for index, member in enumerate(members):
        if group_names and member.stakeholder_group not in group_names:
            raise reader.fail(
                f"members[{index}].stakeholder_group",
                gettext_noop("Unknown stakeholder group “%(group)s”."),
                group=member.stakeholder_group,
            )
    tally = Tally(goals=tuple(goals), cards=tuple(cards), theme_fields=tuple(names))
    record = ProcessRecord(
        title=_required_text(reader, process, "title", "process", limit=MAX_TITLE),
        rules=rules,
        body=reader.get(process, "body", "process", str, "", limit=MAX_TITLE),
        year=year,
        description=reader.get(process, "description", "process", str, ""),
        stakeholder_groups=tuple(groups),
        members=tuple(members),
        meetings=tuple(meetings),
        tally=tally,
        rewordings=process_rewordings.read(reader, document, tally),
    )
    return dataclasses.replace(record, proceedings=load_proceedings(reader, document, record))


def _required_text(
    reader: Reader, obj: dict[str, Any], key: str, path: str, *, limit: int | None = None
) -> str:
    value = reader.get(obj, key, path, str, limit=limit)
    if not value.strip():
        raise reader.fail(f"{path}.{key}" if path else key, gettext_noop("This field is empty."))
    return value


def _points(reader: Reader, obj: dict[str, Any], key: str, path: str, default: Any) -> int | None:
    value = reader.get(obj, key, path, int, default)
    if value is not None and value < 0:
        raise reader.fail(f"{path}.{key}", gettext_noop("Points cannot be negative."))
    if value is not None and value > MAX_POINTS:
        raise reader.fail(
            f"{path}.{key}",
            gettext_noop("Points can be at most %(max)s."),
            max=f"{MAX_POINTS:,}".replace(",", "."),
        )
    return value


def _rules(reader: Reader, obj: dict[str, Any]) -> Rules:
    path = "process.rules"
    aggregation = reader.get(obj, "aggregation", path, str, Aggregation.SUM.value)
    if aggregation not in {a.value for a in Aggregation}:
        raise reader.fail(
            f"{path}.aggregation",
            gettext_noop("Unknown aggregation; expected one of: %(choices)s."),
            choices=", ".join(a.value for a in Aggregation),
        )
    try:
        return Rules(
            dots_per_voter=reader.get(obj, "dots_per_voter", path, int, 8, limit=MAX_POINTS),
            cap_per_card=reader.get(obj, "cap_per_card", path, int, None, limit=MAX_POINTS),
            goal_threshold=reader.get(obj, "goal_threshold", path, int, 3, limit=MAX_POINTS),
            aggregation=Aggregation(aggregation),
        )
    except DocumentError:
        raise
    except DomainError as error:
        raise DocumentError(
            error.message,
            Location(file=reader.filename, column=f"{path}.{error.location.column}"),
        ) from None


def _meeting(reader: Reader, obj: dict[str, Any], path: str) -> Meeting:
    def parse(key: str, kind: str) -> Any:
        raw: str | None = reader.get(obj, key, path, str, None)
        if raw is None:
            if kind == "date":
                raise reader.fail(f"{path}.{key}", gettext_noop("This field is missing."))
            return None
        try:
            if kind == "date":
                day = dt.date.fromisoformat(raw)
                if not is_sensible_date(day):
                    raise reader.fail(f"{path}.{key}", DATE_OUT_OF_RANGE, value=raw[:40])
                return day
            value = dt.time.fromisoformat(raw)
            if value.tzinfo is not None:  # the meeting's local time; a stored time has no zone
                raise ValueError(raw)
            return value
        except ValueError:
            raise reader.fail(
                f"{path}.{key}",
                gettext_noop("“%(value)s” is not a valid date (YYYY-MM-DD) or time (HH:MM)."),
                value=raw[:40],
            ) from None

    return Meeting(
        date=parse("date", "date"),
        start=parse("start", "time"),
        end=parse("end", "time"),
        place=reader.get(obj, "place", path, str, "", limit=MAX_TITLE),
        focus=reader.get(obj, "focus", path, str, ""),
    )
