"""What the public page shows, built from the evaluation and the monitoring (no rule here).

The priorities are the evaluation's (``GoalResult.is_priority``) through ``monitoring_of``;
each tracked item carries its state, traffic light and indicator assessments for the day;
the topic store rows carry the domain's reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from klebepunkt.domain import Evaluation
from klebepunkt.domain.monitoring import IndicatorAssessment, LightResult
from klebepunkt.domain.monitoring_state import Item, ItemState, Priority, TrackedIndicator
from klebepunkt.monitoring import selectors
from klebepunkt.processes import selectors as process_selectors
from klebepunkt.processes.memo import digest
from klebepunkt.processes.models import Process
from klebepunkt.processes.presenters import TopicStoreRow, template_stamp, topic_store_rows


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    indicator: TrackedIndicator
    assessment: IndicatorAssessment


@dataclass(frozen=True, slots=True)
class ItemRow:
    item: Item
    state: ItemState
    light: LightResult
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True, slots=True)
class PriorityRow:
    priority: Priority
    light: LightResult
    items: tuple[ItemRow, ...]


@dataclass(frozen=True, slots=True)
class PublicPage:
    process: Process
    evaluation: Evaluation
    priorities: tuple[PriorityRow, ...]
    store: tuple[TopicStoreRow, ...]
    today: date
    # a digest of everything the page shows and of its template: the key of its cached HTML
    version: str = ""


def _item_row(item: Item, today: date) -> ItemRow:
    return ItemRow(
        item=item,
        state=item.state(),
        light=item.light(today),
        indicators=tuple(
            IndicatorRow(indicator, assessment)
            for indicator, (_name, assessment) in zip(
                item.indicators, item.assessments(today), strict=True
            )
        ),
    )


def public_page(process: Process, today: date) -> PublicPage:
    evaluation = process_selectors.evaluate_process(process)
    monitoring = selectors.monitoring_of(process, evaluation)
    priorities = tuple(
        PriorityRow(p, p.light(today), tuple(_item_row(item, today) for item in p.items))
        for p in monitoring.priorities
    )
    store = topic_store_rows(evaluation)
    shown = (process.pk, process.title, process.body, process.year, process.description)
    return PublicPage(
        process=process,
        evaluation=evaluation,
        priorities=priorities,
        store=store,
        today=today,
        version=digest(
            shown, evaluation, priorities, store, today, template_stamp("monitoring/public.html")
        ),
    )
