"""The monitoring of a process as plain values: fetched once, read by every page and report.

``selectors.monitoring_of`` builds these from the database; everything here is
pure, so the pages, the progress report in every format, the public page and
the status sheet all show the same state, computed the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from klebepunkt.domain.monitoring import (
    IndicatorAssessment,
    IndicatorSeries,
    LightResult,
    Measurement,
    Status,
    assess,
    combined_light,
    traffic_light,
)


class ItemKind(StrEnum):
    GOAL = "goal"
    CARD = "card"


@dataclass(frozen=True, slots=True)
class Change:
    """One record of an item's history: the whole state after the change."""

    id: int
    status: Status
    responsible: str
    contact: str
    due_date: date | None
    comment: str
    changed_at: datetime
    changed_on: date  # the day in the city's time zone
    changed_by: str
    source: str = "form"
    source_file: str = ""


@dataclass(frozen=True, slots=True)
class ItemState:
    """An item's state at some moment: the latest change by then, or the defaults."""

    status: Status
    responsible: str
    contact: str
    due_date: date | None
    comment: str
    change: Change | None  # None: never changed (status open)


@dataclass(frozen=True, slots=True)
class TrackedIndicator:
    id: int
    key: str
    series: IndicatorSeries
    measurement_ids: tuple[int, ...] = ()  # in the order of series.measurements

    @property
    def name(self) -> str:
        return self.series.name

    def values(self) -> tuple[tuple[int, Measurement], ...]:
        """(measurement id, measurement) pairs, oldest first."""
        pairs = zip(self.measurement_ids, self.series.measurements, strict=True)
        return tuple(sorted(pairs, key=lambda pair: pair[1].date))


@dataclass(frozen=True, slots=True)
class Item:
    """A priority (kind goal) or one of its recommendations (kind card), with its monitoring."""

    kind: ItemKind
    object_id: int  # the goal's or the card's id
    key: str  # Z12 / HE34, as status sheets name it
    text: str
    indicator_text: str  # the card's indicator as the working group wrote it
    default_responsible: str  # the card's responsible body (for a goal: those of its cards)
    changes: tuple[Change, ...] = ()  # oldest first
    indicators: tuple[TrackedIndicator, ...] = ()
    implementation_id: int | None = None

    @property
    def tracked(self) -> bool:
        return bool(self.changes or self.indicators)

    def state(self, at: date | None = None) -> ItemState:
        """The state on day ``at`` (its end), or now."""
        changes = [c for c in self.changes if at is None or c.changed_on <= at]
        if not changes:
            return ItemState(Status.OPEN, self.default_responsible, "", None, "", None)
        last = changes[-1]
        return ItemState(
            last.status,
            last.responsible or self.default_responsible,
            last.contact,
            last.due_date,
            last.comment,
            last,
        )

    def changes_between(
        self, since: date | None, until: date
    ) -> tuple[tuple[Change, ItemState], ...]:
        """The changes made after ``since`` up to ``until``, each with the state before it."""
        result = []
        for index, change in enumerate(self.changes):
            if change.changed_on > until or (since is not None and change.changed_on <= since):
                continue
            before = Item(
                self.kind,
                self.object_id,
                self.key,
                self.text,
                self.indicator_text,
                self.default_responsible,
                self.changes[:index],
            ).state()
            result.append((change, before))
        return tuple(result)

    def assessments(self, today: date) -> tuple[tuple[str, IndicatorAssessment], ...]:
        return tuple((i.name, assess(i.series, today)) for i in self.indicators)

    def light(self, today: date) -> LightResult:
        state = self.state(today)
        return traffic_light(
            status=state.status,
            due=state.due_date,
            today=today,
            indicators=self.assessments(today),
        )


@dataclass(frozen=True, slots=True)
class Priority:
    """A goal that the evaluation keeps as a priority, with its recommendations."""

    goal: Item
    cards: tuple[Item, ...]
    theme_field: str
    nr: str
    points: int

    @property
    def items(self) -> tuple[Item, ...]:
        return (self.goal, *self.cards)

    def light(self, today: date) -> LightResult:
        tracked = [item.light(today) for item in self.items if item.tracked]
        return combined_light(tracked, fallback=self.goal.light(today))


@dataclass(frozen=True, slots=True)
class Monitoring:
    """Every priority of a process with its monitoring, and items whose goal or card is gone."""

    priorities: tuple[Priority, ...]
    detached: tuple[Item, ...] = field(default_factory=tuple)

    def items(self) -> tuple[Item, ...]:
        return tuple(item for priority in self.priorities for item in priority.items)

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items() if item.key == key), None)


def latest_change(items: Sequence[Item]) -> Change | None:
    changes = [change for item in items for change in item.changes]
    return max(changes, key=lambda c: (c.changed_at, c.id)) if changes else None
