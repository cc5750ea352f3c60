"""What the result pages show, built from the domain's results (no rule is decided here).

A presenter takes a domain value (an ``Evaluation``, an ``Analysis``) and arranges it for a
template: which topic store entries a search finds, and each entry's reason as a domain
message. Templates render these values and derive nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from klebepunkt.domain import Evaluation, TopicStoreEntry
from klebepunkt.domain.analysis import Analysis
from klebepunkt.domain.messages import Message
from klebepunkt.domain.search import search_topic_store
from klebepunkt.processes import models, selectors


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


@dataclass(frozen=True, slots=True)
class ResultPage(TopicStoreSearch):
    """The result page: priorities, explanation and the searched topic store."""

    analysis: Analysis


def topic_store_search(process: models.Process, query: str) -> TopicStoreSearch:
    evaluation = selectors.evaluate_process(process)
    return TopicStoreSearch(evaluation, query, topic_store_rows(evaluation, query))


def result_page(process: models.Process, query: str) -> ResultPage:
    analysis = selectors.analysis_of(process)
    evaluation = analysis.evaluation
    return ResultPage(evaluation, query, topic_store_rows(evaluation, query), analysis)
