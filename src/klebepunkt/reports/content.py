"""The report as plain data: everything every format shows, computed once.

Renderers (Markdown, CSV, XLSX, JSON, PDF and Word) only lay this out; they
compute nothing, so every format carries the same numbers and the same sentences.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from klebepunkt.domain import (
    Analysis,
    Card,
    Evaluation,
    Finding,
    GoalResult,
    NearSide,
    TopicStoreEntry,
    TopicStoreReason,
    gettext_noop,
)
from klebepunkt.domain.process import ProcessRecord, VotingRoundRecord
from klebepunkt.i18n import Translate
from klebepunkt.reports.documentation import Documentation, build_documentation
from klebepunkt.reports.explanation import Explanation, build_explanation
from klebepunkt.reports.labels import ReportLabels, report_labels
from klebepunkt.reports.own_texts import OwnTexts


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

    def cells(self) -> list[object]:
        """The row as the overview tables print it, in the order of ``overview_columns``."""
        return [
            self.nr,
            self.goal,
            self.recommendation,
            self.indicator,
            self.responsible,
            self.card_dots,
            self.goal_points,
        ]


@dataclass(frozen=True, slots=True)
class OverviewTable:
    theme_field: str
    rows: tuple[OverviewRow, ...]


@dataclass(frozen=True, slots=True)
class TopicStoreSection:
    theme_field: str
    entries: tuple[TopicStoreEntry, ...]


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One goal in a chart of goal points against the threshold."""

    nr: str
    goal: str
    points: int
    is_priority: bool


@dataclass(frozen=True, slots=True)
class Chart:
    """The goals of one theme field with their points, and the threshold line."""

    theme_field: str
    bars: tuple[ChartBar, ...]
    threshold: int
    scale_max: int  # the axis ends here: at least the threshold and every goal's points
    title: str
    description: str  # the text alternative: every goal with its points, and the threshold


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
    charts: tuple[Chart, ...] = ()
    explanation: Explanation = dataclasses.field(default_factory=Explanation)
    language: str = "de"
    summary: str = ""  # one sentence: dots in total and the threshold
    labels: ReportLabels | None = None
    own: OwnTexts = dataclasses.field(default_factory=OwnTexts)  # the group's words, decisions

    @property
    def text(self) -> ReportLabels:
        """The fixed texts in the report's language."""
        return self.labels or report_labels(self.translate, self.threshold)

    @property
    def threshold(self) -> int:
        return self.evaluation.threshold

    def goal_columns(self) -> list[str]:
        """The first columns of a table of goals: theme field, number, goal, its points."""
        return [self.text.theme_field, self.text.number, self.text.goal, self.text.points_for_goal]

    def support_table(self) -> tuple[list[str], list[list[object]]]:
        """The support by stakeholder group as a table: header and rows."""
        explanation = self.explanation
        groups = explanation.support_groups
        header = [*self.goal_columns(), self.text.distinct_supporters, *groups]
        rows: list[list[object]] = [
            [row.theme_field, row.nr, row.goal, row.points, row.supporters]
            + [explanation.dots_of(row, group) for group in groups]
            for row in explanation.support
        ]
        return header, rows

    @property
    def total_dots(self) -> int:
        return self.evaluation.total_dots

    @property
    def warning_texts(self) -> tuple[str, ...]:
        return tuple(warning.message.render(self.translate) for warning in self.warnings)

    def t(self, msgid: str) -> str:
        return self.translate(msgid)

    def card_text(self, card: Card) -> str:
        """A card's text; a dot on the goal itself says so."""
        return card.text or self.t(gettext_noop("(dot on the goal itself)"))

    def reason_text(self, entry: TopicStoreEntry) -> str:
        """Why an entry is in the topic store, with the goal's points where it has a goal."""
        reason = entry.reason.label.render(self.translate)
        if entry.reason is TopicStoreReason.GOAL_BELOW_THRESHOLD and entry.goal_points is not None:
            return self.t(gettext_noop("%(reason)s (%(points)s of %(threshold)s points)")) % {
                "reason": reason,
                "points": entry.goal_points,
                "threshold": self.threshold,
            }
        return reason

    def points_text(self, points: int) -> str:
        if points == 1:
            return self.t(gettext_noop("1 point"))
        return self.t(gettext_noop("%(points)s points")) % {"points": points}


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
    analysis: Analysis | None = None,
    language: str = "de",
    rounds: tuple[VotingRoundRecord, ...] = (),
) -> Report:
    """The report of an evaluation.

    ``record`` (a whole process) gives Teil I its composition and meetings; without
    it Teil I holds only what the tally knows. ``analysis`` (of this evaluation:
    ``analyse(tally, rules, ballots, evaluation=evaluation)``) gives the explanation
    section every goal's margin, the other ways of counting, the stated table's
    departures from the rule and cards that look alike, and, when it has ballots,
    support and stability; without it the section shows the goals near the threshold.
    ``rounds`` (the counted voting rounds, as they were held) are what Teil I's method
    describes; without them it describes the process's settings.
    """
    if analysis is not None and analysis.evaluation is not evaluation:
        raise ValueError("the analysis must be of the evaluation the report is built from")
    overview = tuple(
        OverviewTable(field.name, overview_rows(field.goals)) for field in evaluation.theme_fields
    )
    topic_store = tuple(
        TopicStoreSection(field.name, field.topic_store) for field in evaluation.theme_fields
    )
    summary = translate(
        gettext_noop(
            "%(dots)s dots in total; goals with %(threshold)s or more points are priorities."
        )
    ) % {"dots": evaluation.total_dots, "threshold": evaluation.threshold}
    return Report(
        title=title,
        subtitle=subtitle,
        evaluation=evaluation,
        overview=overview,
        priorities=evaluation.priorities,
        topic_store=topic_store,
        near_threshold=tuple((near.goal, near.side) for near in evaluation.near_threshold),
        warnings=evaluation.warnings,
        documentation=build_documentation(evaluation, record, translate, language, rounds),
        translate=translate,
        charts=_charts(evaluation, translate),
        explanation=build_explanation(evaluation, analysis, translate),
        language=language,
        summary=summary,
        labels=report_labels(translate, evaluation.threshold),
    )


def _charts(evaluation: Evaluation, translate: Translate) -> tuple[Chart, ...]:
    charts: list[Chart] = []
    threshold = evaluation.threshold
    for field in evaluation.theme_fields:
        bars = tuple(
            ChartBar(goal.goal.nr, goal.goal.text, goal.points, goal.is_priority)
            for goal in field.goals
        )
        scale_max = max([threshold, *(bar.points for bar in bars)])
        title = translate(gettext_noop("%(theme_field)s: points per goal")) % {
            "theme_field": field.name
        }
        if bars:
            items = "; ".join(
                translate(gettext_noop("goal %(nr)s “%(goal)s” %(points)s"))
                % {
                    "nr": bar.nr or "–",
                    "goal": bar.goal,
                    "points": bar.points,
                }
                for bar in bars
            )
            description = translate(
                gettext_noop(
                    "Bar chart of the points per goal in the theme field %(theme_field)s, with "
                    "the threshold of %(threshold)s points as a line. %(priorities)s of "
                    "%(goals)s goals reach the threshold. Points per goal: %(items)s."
                )
            ) % {
                "theme_field": field.name,
                "threshold": threshold,
                "priorities": len(field.priorities),
                "goals": len(bars),
                "items": items,
            }
        else:
            description = translate(gettext_noop("No card in this theme field received a dot."))
        charts.append(Chart(field.name, bars, threshold, scale_max, title, description))
    return tuple(charts)
