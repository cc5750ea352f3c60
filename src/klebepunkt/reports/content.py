"""The report as plain data: everything every format shows, computed once.

Renderers (Markdown, CSV, XLSX, JSON, and later PDF and Word) only lay this out;
they compute nothing, so every format carries the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from klebepunkt.domain import (
    Evaluation,
    Finding,
    GoalResult,
    NearSide,
    TopicStoreEntry,
    gettext_noop,
)
from klebepunkt.domain.process import CompositionRow, Meeting, ProcessRecord
from klebepunkt.i18n import Translate


@dataclass(frozen=True, slots=True)
class OverviewRow:
    """One card row of the seed's overview table."""

    nr: str
    goal: str
    recommendation: str
    indicator: str
    responsible: str
    card_dots: int
    goal_points: int
    is_priority: bool
    goal_rows: int  # rows the goal cell spans; 0 for the goal's later rows
    clustered: bool


@dataclass(frozen=True, slots=True)
class OverviewTable:
    theme_field: str
    rows: tuple[OverviewRow, ...]


@dataclass(frozen=True, slots=True)
class TopicStoreSection:
    theme_field: str
    entries: tuple[TopicStoreEntry, ...]


@dataclass(frozen=True, slots=True)
class Documentation:
    """Teil I: who worked, when, and by which method."""

    composition: tuple[CompositionRow, ...]
    meetings: tuple[Meeting, ...]
    method: tuple[str, ...]  # paragraphs, already in the report's language
    figures: tuple[tuple[str, int], ...]  # (label, value)


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    subtitle: str
    evaluation: Evaluation
    overview: tuple[OverviewTable, ...]
    priorities: tuple[GoalResult, ...]
    topic_store: tuple[TopicStoreSection, ...]
    near_threshold: tuple[tuple[GoalResult, NearSide], ...]
    warnings: tuple[Finding, ...]
    documentation: Documentation | None
    translate: Translate

    @property
    def threshold(self) -> int:
        return self.evaluation.threshold

    @property
    def total_dots(self) -> int:
        return self.evaluation.total_dots

    def t(self, msgid: str) -> str:
        return self.translate(msgid)


OVERVIEW_COLUMNS = (
    gettext_noop("No."),
    gettext_noop("Goal"),
    gettext_noop("Recommendation"),
    gettext_noop("Indicator"),
    gettext_noop("Responsible body"),
    gettext_noop("Points for the recommendation"),
    gettext_noop("Points for the goal"),
)


def overview_rows(goals: tuple[GoalResult, ...]) -> tuple[OverviewRow, ...]:
    rows: list[OverviewRow] = []
    for goal in goals:
        for index, card in enumerate(goal.cards):
            rows.append(
                OverviewRow(
                    nr=goal.goal.nr,
                    goal=goal.goal.text if goal.clustered else "",
                    recommendation=card.text,
                    indicator=card.indicator,
                    responsible=card.responsible,
                    card_dots=card.dots,
                    goal_points=goal.points,
                    is_priority=goal.is_priority,
                    goal_rows=len(goal.cards) if index == 0 else 0,
                    clustered=goal.clustered,
                )
            )
    return tuple(rows)


def build_report(
    evaluation: Evaluation,
    translate: Translate,
    *,
    title: str,
    subtitle: str = "",
    record: ProcessRecord | None = None,
) -> Report:
    overview = tuple(
        OverviewTable(field.name, overview_rows(field.goals)) for field in evaluation.theme_fields
    )
    topic_store = tuple(
        TopicStoreSection(field.name, field.topic_store) for field in evaluation.theme_fields
    )
    return Report(
        title=title,
        subtitle=subtitle,
        evaluation=evaluation,
        overview=overview,
        priorities=evaluation.priorities,
        topic_store=topic_store,
        near_threshold=tuple((near.goal, near.side) for near in evaluation.near_threshold),
        warnings=evaluation.warnings,
        documentation=_documentation(evaluation, record, translate) if record else None,
        translate=translate,
    )


def _documentation(
    evaluation: Evaluation, record: ProcessRecord, translate: Translate
) -> Documentation:
    rules = evaluation.rules
    voters = record.voters
    cards = len(record.tally.cards)
    goals = sum(1 for goal in evaluation.goals if goal.clustered)
    method = [
        translate(
            gettext_noop(
                "Every member with a voting right received %(dots)s dots to place on the "
                "recommendation cards they considered important."
            )
        )
        % {"dots": rules.dots_per_voter},
        translate(gettext_noop("A member could place at most %(cap)s dots on one card."))
        % {"cap": rules.cap_per_card}
        if rules.cap_per_card
        else translate(gettext_noop("Several dots could be placed on the same card.")),
        translate(
            gettext_noop(
                "Every recommendation without a dot went straight into the topic store. "
                "The others were clustered under goals; a goal's points are the %(aggregation)s."
            )
        )
        % {"aggregation": rules.aggregation.label.render(translate)},
        translate(
            gettext_noop(
                "Goals with %(threshold)s or more points are the priorities (Part II); the "
                "recommendations of the other goals went into the topic store as well, so that "
                "no suggestion is lost."
            )
        )
        % {"threshold": rules.goal_threshold},
    ]
    figures = (
        (translate(gettext_noop("Members with a voting right")), voters),
        (translate(gettext_noop("Dots available")), voters * rules.dots_per_voter),
        (translate(gettext_noop("Dots cast")), evaluation.total_dots),
        (translate(gettext_noop("Recommendation cards")), cards),
        (translate(gettext_noop("Goals")), goals),
        (translate(gettext_noop("Priorities")), len(evaluation.priorities)),
        (translate(gettext_noop("Entries in the topic store")), len(evaluation.topic_store)),
    )
    return Documentation(
        composition=record.composition(),
        meetings=record.meetings,
        method=tuple(method),
        figures=figures,
    )
