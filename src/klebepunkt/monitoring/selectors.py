"""Reads: the monitoring of a process and the topic store archive, each fetched at once.

``monitoring_of`` turns the evaluation (which goals are priorities, derived, never
stored) and the monitoring rows into ``state.Monitoring``: a handful of queries
for a whole process, whatever its size.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import models as auth
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from klebepunkt.domain import Evaluation, Message, TopicStoreEntry, TopicStoreReason
from klebepunkt.domain.monitoring import IndicatorSeries
from klebepunkt.domain.monitoring import Measurement as MeasurementValue
from klebepunkt.domain.monitoring import Status as StatusValue
from klebepunkt.domain.monitoring_state import (
    Change,
    Item,
    ItemKind,
    Monitoring,
    Priority,
    TrackedIndicator,
)
from klebepunkt.domain.search import search_topic_store
from klebepunkt.monitoring import models
from klebepunkt.processes import selectors as process_selectors
from klebepunkt.processes.extensions import CardOrigin
from klebepunkt.processes.models import Card, Process, ProcessRole, Role
from klebepunkt.processes.permissions import visible_processes

User = auth.User | auth.AnonymousUser


def implementations_of(process: Process) -> QuerySet[models.Implementation]:
    return models.Implementation.objects.filter(process=process).prefetch_related(
        Prefetch("changes", queryset=models.StatusChange.objects.order_by("changed_at", "id")),
        Prefetch(
            "indicators",
            queryset=models.Indicator.objects.order_by("position", "id").prefetch_related(
                Prefetch("measurements", queryset=models.Measurement.objects.order_by("date"))
            ),
        ),
    )


def _change(record: models.StatusChange) -> Change:
    return Change(
        id=record.pk,
        status=StatusValue(record.status),
        responsible=record.responsible,
        contact=record.contact,
        due_date=record.due_date,
        comment=record.comment,
        changed_at=record.changed_at,
        changed_on=timezone.localdate(record.changed_at),
        changed_by=record.changed_by_name,
        source=record.source,
        source_file=record.source_file,
    )


def series_of(indicator: models.Indicator) -> IndicatorSeries:
    return IndicatorSeries(
        name=indicator.name,
        unit=indicator.unit,
        baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        target_value=indicator.target_value,
        target_date=indicator.target_date,
        measurements=tuple(
            MeasurementValue(m.date, m.value, m.source, m.note)
            for m in indicator.measurements.all()
        ),
    )


def _tracked(indicator: models.Indicator) -> TrackedIndicator:
    return TrackedIndicator(
        id=indicator.pk,
        key=indicator.key,
        series=series_of(indicator),
        measurement_ids=tuple(m.pk for m in indicator.measurements.all()),
    )


def _join(texts: Iterable[str]) -> str:
    """Several texts as one, each once, without the full stop that would meet the separator."""
    parts = (" ".join(text.split()).rstrip(".") for text in texts)
    return "; ".join(dict.fromkeys(part for part in parts if part))


def monitoring_of(process: Process, evaluation: Evaluation | None = None) -> Monitoring:
    """Every priority of the process with its recommendations and their monitoring."""
    evaluation = evaluation or process_selectors.evaluate_process(process)
    implementations = list(implementations_of(process))
    by_goal = {i.goal_id: i for i in implementations if i.goal_id}
    by_card = {i.card_id: i for i in implementations if i.card_id}
    used: set[int] = set()

    def item(
        kind: ItemKind, object_id: int, key: str, text: str, indicator_text: str, responsible: str
    ) -> Item:
        implementation = (by_goal if kind is ItemKind.GOAL else by_card).get(object_id)
        if implementation is None:
            return Item(kind, object_id, key, text, indicator_text, responsible)
        used.add(implementation.pk)
        return Item(
            kind,
            object_id,
            key,
            text,
            indicator_text,
            responsible,
            changes=tuple(_change(c) for c in implementation.changes.all()),
            indicators=tuple(_tracked(i) for i in implementation.indicators.all()),
            implementation_id=implementation.pk,
        )

    priorities = []
    for result in evaluation.priorities:
        if not result.clustered:
            continue  # a card with dots but no goal yet: nothing to follow until it has one
        goal_id = int(result.goal.id)
        cards = tuple(
            item(
                ItemKind.CARD,
                int(card.id),
                models.card_key(int(card.id)),
                card.text or result.goal.text,
                card.indicator,
                card.responsible,
            )
            for card in result.cards
        )
        goal = item(
            ItemKind.GOAL,
            goal_id,
            models.goal_key(goal_id),
            result.goal.text,
            "",  # the indicators the working group wrote belong to the cards
            _join(card.responsible for card in result.cards),
        )
        priorities.append(
            Priority(
                goal=goal,
                cards=cards,
                theme_field=result.theme_field,
                nr=result.goal.nr,
                points=result.points,
            )
        )
    detached = tuple(
        Item(
            ItemKind.GOAL if i.goal_id or not i.card_id else ItemKind.CARD,
            i.goal_id or i.card_id or 0,
            i.key,
            i.label,
            "",
            "",
            changes=tuple(_change(c) for c in i.changes.all()),
            indicators=tuple(_tracked(x) for x in i.indicators.all()),
            implementation_id=i.pk,
        )
        for i in implementations
        if i.pk not in used and (i.changes.all() or i.indicators.all())
    )
    return Monitoring(priorities=tuple(priorities), detached=detached)


def progress_reports_of(process: Process) -> QuerySet[models.ProgressReport]:
    return process.progress_reports.order_by("-as_of", "-id")


def previous_report_date(process: Process, as_of: date) -> date | None:
    """The date of the latest report issued before ``as_of``: what "changes since" starts from."""
    report = process.progress_reports.filter(as_of__lt=as_of).order_by("-as_of", "-id").first()
    return report.as_of if report else None


def responsible_bodies(monitoring: Monitoring) -> list[str]:
    """The responsible bodies named in the monitoring, each once, for the export filter."""
    bodies: dict[str, str] = {}
    for item in monitoring.items():
        for part in re.split(r"[;,/·]", item.state().responsible):
            name = " ".join(part.split())
            if name:
                bodies.setdefault(name.casefold(), name)
    return sorted(bodies.values(), key=str.casefold)


# --- the topic store archive, across processes ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class TakenInto:
    process_id: int
    process_title: str | None  # None: a process the reader cannot see
    card_id: int
    taken_on: date


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """One topic store entry of one process, with where it came from and where it went."""

    process: Process
    entry: TopicStoreEntry
    card_id: int
    taken_into: tuple[TakenInto, ...] = ()
    came_from: models.CardProvenance | None = None

    @property
    def text(self) -> str:
        return self.entry.text

    @property
    def points(self) -> int:
        return self.entry.card.dots

    @property
    def reason(self) -> TopicStoreReason:
        return self.entry.reason

    @property
    def explanation(self) -> Message:
        """Why the entry is in the topic store (the domain's wording, with the goal's points)."""
        return self.entry.explanation(self.process.goal_threshold)


@dataclass(frozen=True, slots=True)
class Archive:
    entries: tuple[ArchiveEntry, ...]
    processes: tuple[Process, ...]
    theme_fields: tuple[str, ...]
    years: tuple[int, ...]
    changeable: frozenset[int] = field(default_factory=frozenset)  # processes the user facilitates


def _topic_store_entry(entry: ArchiveEntry) -> TopicStoreEntry:
    return entry.entry


def archive_for(
    user: User,
    *,
    query: str = "",
    theme_field: str = "",
    year: int | None = None,
    process_id: int | None = None,
) -> Archive:
    """Every topic store entry of every process the user may see, searched and filtered.

    Derived from the evaluations (never a copy): an entry leaves the archive when
    its card gets enough dots, and appears when a goal drops below the threshold.
    """
    processes = list(visible_processes(user).order_by("-year", "title", "id"))
    if getattr(user, "is_superuser", False):
        changeable = frozenset(p.pk for p in processes)
    elif user.is_anonymous:
        changeable = frozenset()
    else:
        changeable = frozenset(
            ProcessRole.objects.filter(user=user, role=Role.FACILITATOR).values_list(
                "process_id", flat=True
            )
        )
    visible_ids = {p.pk for p in processes}
    entries: list[ArchiveEntry] = []
    card_ids: list[int] = []
    raw: list[tuple[Process, TopicStoreEntry]] = []
    for process in processes:
        for entry in process_selectors.evaluate_process(process).topic_store:
            raw.append((process, entry))
            card_ids.append(int(entry.card.id))
    taken: dict[int, list[TakenInto]] = defaultdict(list)
    for provenance in (
        models.CardProvenance.objects.filter(source_card_id__in=card_ids)
        .select_related("process")
        .order_by("taken_at")
    ):
        assert provenance.source_card_id is not None
        taken[provenance.source_card_id].append(
            TakenInto(
                process_id=provenance.process_id,
                process_title=provenance.process.title
                if provenance.process_id in visible_ids
                else None,
                card_id=provenance.card_id,
                taken_on=timezone.localdate(provenance.taken_at),
            )
        )
    came_from = {p.card_id: p for p in models.CardProvenance.objects.filter(card_id__in=card_ids)}
    for process, entry in raw:
        card_id = int(entry.card.id)
        entries.append(
            ArchiveEntry(
                process=process,
                entry=entry,
                card_id=card_id,
                taken_into=tuple(taken.get(card_id, ())),
                came_from=came_from.get(card_id),
            )
        )
    theme_fields = tuple(sorted({e.entry.theme_field for e in entries}, key=str.casefold))
    years = tuple(sorted({p.year for p in processes if p.year}, reverse=True))
    selected = [
        e
        for e in entries
        if (not theme_field or e.entry.theme_field.casefold() == theme_field.casefold())
        and (year is None or e.process.year == year)
        and (process_id is None or e.process.pk == process_id)
    ]
    selected = search_topic_store(selected, query, _topic_store_entry)
    return Archive(
        entries=tuple(selected),
        processes=tuple(processes),
        theme_fields=theme_fields,
        years=years,
        changeable=changeable,
    )


def source_card_in_topic_store(card: Card) -> TopicStoreEntry | None:
    """The topic store entry of a card, if its process's evaluation puts it there now."""
    process = card.theme_field.process
    for entry in process_selectors.evaluate_process(process).topic_store:
        if entry.card.id == str(card.pk):
            return entry
    return None


def card_origins(process: Process) -> dict[int, CardOrigin]:
    """Card id → the process it was taken from, for the cards of the process (one query)."""
    return {
        provenance.card_id: CardOrigin(
            source_process_title=provenance.source_process_title,
            source_year=provenance.source_year,
            original_points=provenance.original_points,
        )
        for provenance in models.CardProvenance.objects.filter(process=process)
    }
