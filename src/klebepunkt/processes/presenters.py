"""What the result and history pages show, built from the domain's results and the stored
change records (no rule is decided here).

A presenter takes a domain value (an ``Evaluation``, an ``Analysis``) and arranges it for a
template: which topic store entries a search finds, and each entry's reason as a domain
message. Templates render these values and derive nothing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Model, Q
from django.template.loader import get_template
from django.utils.translation import gettext

from klebepunkt.domain import Evaluation, TopicStoreEntry
from klebepunkt.domain.analysis import Analysis
from klebepunkt.domain.messages import Message
from klebepunkt.domain.search import search_topic_store
from klebepunkt.domain.similarity import SimilarCards
from klebepunkt.processes import models, selectors
from klebepunkt.processes.extensions import CardOrigin, card_origins
from klebepunkt.processes.history import visible_changes
from klebepunkt.processes.memo import digest


@dataclass(frozen=True, slots=True)
class TopicStoreRow:
    """One topic store entry with the reason it is there."""

    entry: TopicStoreEntry
    reason: Message

    @property
    def theme_field(self) -> str:
        return self.entry.theme_field

    @property
    def text(self) -> str:
        return self.entry.text

    @property
    def goal_text(self) -> str:
        return self.entry.goal.text if self.entry.goal else ""


def _entry(entry: TopicStoreEntry) -> TopicStoreEntry:
    return entry


def topic_store_rows(evaluation: Evaluation, query: str = "") -> tuple[TopicStoreRow, ...]:
    """The topic store entries the query finds (all for no query), each with its reason."""
    found = search_topic_store(evaluation.topic_store, query, _entry)
    return tuple(TopicStoreRow(entry, entry.explanation(evaluation.threshold)) for entry in found)


@dataclass(frozen=True, slots=True)
class TopicStoreSearch:
    """The topic store part of a result page: the search and what it found."""

    evaluation: Evaluation
    query: str
    store: tuple[TopicStoreRow, ...]
    # the digest of the inputs and of the template: with the process, the language and the
    # query, the key of the cached HTML
    version: str


@dataclass(frozen=True, slots=True)
class ResultPage(TopicStoreSearch):
    """The result page: priorities, explanation and the searched topic store."""

    analysis: Analysis


def topic_store_search(process: models.Process, query: str) -> TopicStoreSearch:
    tally, rules = selectors.tally_of(process), selectors.rules_of(process)
    evaluation = selectors.evaluation_of(tally, rules)
    version = digest(tally, rules, template_stamp("processes/result.html"))
    return TopicStoreSearch(evaluation, query, topic_store_rows(evaluation, query), version)


def result_page(process: models.Process, query: str) -> ResultPage:
    inputs = selectors.analysis_inputs(process)
    analysis = selectors.analysis_of(process, inputs)
    evaluation = analysis.evaluation
    version = digest(inputs, template_stamp("processes/result.html"))
    return ResultPage(evaluation, query, topic_store_rows(evaluation, query), version, analysis)


@functools.cache
def template_stamp(name: str) -> str:
    """A digest of a template's source (a cached rendering of an older template is not used)."""
    source = getattr(get_template(name), "template", None)
    return digest(getattr(source, "source", name))


# --- the history of a process ------------------------------------------------------------------

HISTORY_PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One value of a change, worded for the page: what, before and after."""

    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class HistoryRow:
    record: models.ChangeRecord
    what: str
    changes: tuple[FieldChange, ...]

    @property
    def who(self) -> str:
        return self.record.actor_name


@dataclass(frozen=True, slots=True)
class HistoryPage:
    rows: tuple[HistoryRow, ...]
    page: Page[models.ChangeRecord]


def _verbose_name(model: type[Model], name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _field_labels() -> dict[str, str]:
    return {
        **{
            name: _verbose_name(models.Process, name)
            for name in ("dots_per_voter", "cap_per_card", "goal_threshold", "aggregation")
        },
        "dots": _verbose_name(models.Card, "dots"),
        # the parts of a priority that a rewording changes
        **{
            name: _verbose_name(models.Card, name)
            for name in ("goal", "text", "indicator", "responsible")
        },
        "role": _verbose_name(models.ProcessRole, "role"),
        "revoked": gettext("code revoked"),
        "new_code": gettext("new code issued"),
    }


def _value_text(name: str, value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if name == "role":
        return str(models.Role(value).label) if value in models.Role.values else str(value)
    if name == "aggregation":
        choices = dict(models.Process._meta.get_field("aggregation").flatchoices)
        return str(choices.get(value, value))
    return str(value)


def history_row(record: models.ChangeRecord) -> HistoryRow:
    labels = _field_labels()
    names = list(dict.fromkeys([*record.before, *record.after]))
    return HistoryRow(
        record=record,
        what=str(models.ChangeKind(record.kind).label),
        changes=tuple(
            FieldChange(
                label=labels.get(name, name),
                before=_value_text(name, record.before.get(name)),
                after=_value_text(name, record.after.get(name)),
            )
            for name in names
        ),
    )


def history_page(process: models.Process, page_number: int | None) -> HistoryPage:
    """The process's changes, newest first, a page at a time."""
    paginator = Paginator(visible_changes(process), HISTORY_PAGE_SIZE)
    page = paginator.get_page(page_number)
    return HistoryPage(rows=tuple(history_row(record) for record in page.object_list), page=page)


# --- the cards page ----------------------------------------------------------------------------

CARDS_PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class FieldTab:
    field: models.ThemeField
    count: int


@dataclass(frozen=True, slots=True)
class CardsPage:
    """One page of a process's cards (of one theme field, or of all), grouped by theme field,
    with the look-alike cards among them."""

    tabs: tuple[FieldTab, ...]
    field: models.ThemeField | None  # the theme field chosen, None: all
    page: Page[models.Card]
    groups: tuple[tuple[models.ThemeField, tuple[tuple[models.Card, CardOrigin | None], ...]], ...]
    duplicates: tuple[SimilarCards, ...]
    total: int


def cards_page(process: models.Process, field_id: int | None, page_number: str | None) -> CardsPage:
    """The cards of a page with their origin, in two queries and a cached look-alike search."""
    counts = dict(
        models.Card.objects.filter(theme_field__process=process)
        .order_by()
        .values("theme_field_id")
        .annotate(n=Count("id"))
        .values_list("theme_field_id", "n")
    )
    fields = list(selectors.theme_fields_of(process))
    tabs = tuple(FieldTab(field, counts.get(field.pk, 0)) for field in fields)
    field = next((f for f in fields if f.pk == field_id), None)
    cards = selectors.cards_of(process).select_related("goal")
    if field is not None:
        cards = cards.filter(theme_field=field)
    page = Paginator(cards, CARDS_PAGE_SIZE).get_page(page_number)
    origins = card_origins(process)
    by_field: dict[int, list[tuple[models.Card, CardOrigin | None]]] = {}
    for card in page.object_list:
        by_field.setdefault(card.theme_field_id, []).append((card, origins.get(card.pk)))
    shown = [field] if field is not None else fields
    groups = tuple(
        (f, tuple(by_field.get(f.pk, ())))
        for f in shown
        # a theme field without cards on the first page (to add its first card)
        if f.pk in by_field or field is not None or (page.number == 1 and not counts.get(f.pk))
    )
    duplicates = selectors.similar_cards_of(selectors.tally_of(process, include_rounds=False))
    if field is not None:
        duplicates = tuple(
            pair
            for pair in duplicates
            if field.name in (pair.first.theme_field, pair.second.theme_field)
        )
    return CardsPage(
        tabs=tabs,
        field=field,
        page=page,
        groups=groups,
        duplicates=duplicates,
        total=sum(counts.values()),
    )


def cards_page_number(card: models.Card) -> int:
    """The page of its theme field's cards on which a card is shown."""
    before = models.Card.objects.filter(theme_field_id=card.theme_field_id).filter(
        Q(position__lt=card.position) | Q(position=card.position, id__lt=card.pk)
    )
    return before.count() // CARDS_PAGE_SIZE + 1
