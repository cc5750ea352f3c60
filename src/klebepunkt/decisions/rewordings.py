"""The history of a priority's working out, read for its page and for the report's annex:
each kept rewording with its part, who, when and the word-level difference."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from klebepunkt.domain.messages import gettext_noop
from klebepunkt.domain.rewording import FIELD_LABELS, GOAL, Segment, word_diff
from klebepunkt.processes import models as process_models
from klebepunkt.processes.selectors import evaluate_process, rewording_records
from klebepunkt.reports.own_texts import RewordingLine

CARD_PART = gettext_noop("%(part)s of recommendation %(n)s")


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    record: process_models.ChangeRecord
    part: str  # "Ziel", "Indikator der Empfehlung 2"
    before: str
    after: str
    segments: tuple[Segment, ...]


def _part(
    record: process_models.ChangeRecord,
    field: str,
    numbers: dict[int, int],
    translate: Callable[[str], str],
) -> str:
    label = translate(FIELD_LABELS.get(field, field))
    label = label[:1].upper() + label[1:]
    number = numbers.get(record.card_id) if record.card_id else None
    if field == GOAL or number is None:
        return label
    return translate(CARD_PART) % {"part": label, "n": number}


def card_numbers(goal: process_models.Goal) -> dict[int, int]:
    """Card id → its number within the priority (1, 2, …), as the page lists them."""
    ids = goal.cards.order_by("position", "id").values_list("pk", flat=True)
    return {pk: number for number, pk in enumerate(ids, start=1)}


def _entry(
    record: process_models.ChangeRecord, numbers: dict[int, int], translate: Callable[[str], str]
) -> HistoryEntry:
    field = next(iter(record.after), GOAL)
    before = str(record.before.get(field) or "")
    after = str(record.after.get(field) or "")
    return HistoryEntry(
        record=record,
        part=_part(record, field, numbers, translate),
        before=before,
        after=after,
        segments=word_diff(before, after),
    )


def goal_history(
    goal: process_models.Goal, translate: Callable[[str], str]
) -> tuple[HistoryEntry, ...]:
    """The rewordings of a priority, newest first."""
    records = rewording_records(goal.theme_field.process).filter(goal=goal)
    numbers = card_numbers(goal)
    return tuple(_entry(record, numbers, translate) for record in reversed(records))


def report_lines(
    process: process_models.Process, translate: Callable[[str], str]
) -> tuple[RewordingLine, ...]:
    """Every rewording of a priority that is one now, by priority, oldest first: the
    report's annex (the priorities themselves show the final wording)."""
    lines: list[RewordingLine] = []
    records = list(rewording_records(process).select_related("goal"))
    for priority in evaluate_process(process).priorities:
        own = [r for r in records if str(r.goal_id) == priority.goal.id]
        if not own or own[0].goal is None:
            continue
        numbers = card_numbers(own[0].goal)
        title = f"{priority.goal.nr} {priority.goal.text}".strip()
        for record in own:
            entry = _entry(record, numbers, translate)
            lines.append(
                RewordingLine(
                    goal_id=priority.goal.id,
                    priority=title,
                    part=entry.part,
                    before=entry.before,
                    after=entry.after,
                    by=record.actor_name,
                    at=f"{timezone.localtime(record.created_at):%d.%m.%Y %H:%M}",
                    segments=tuple((s.op, s.text) for s in entry.segments),
                )
            )
    return tuple(lines)
