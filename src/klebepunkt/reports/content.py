"""The report as plain data: everything every format shows, computed once.

Renderers (Markdown, CSV, XLSX, JSON, PDF and Word) only lay this out; they
compute nothing, so every format carries the same numbers and the same sentences.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from klebepunkt.domain import (
    Card,
    Evaluation,
    Finding,
    GoalResult,
    NearSide,
    TopicStoreEntry,
    TopicStoreReason,
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
class CompositionLine:
    """One line of the seed's composition table, as the report prints it."""

    stakeholder_group: str
    who: str
    how_many: str  # "9 Personen aus der Mitte des Sozialausschusses", "5 Personen", "–"
    members: int
    voting: bool
    voting_text: str  # "ja" / "nein"


@dataclass(frozen=True, slots=True)
class MeetingLine:
    """One line of the seed's meeting table, as the report prints it."""

    when: str  # "23.08.2017, 15:30–18:15 Uhr"
    place: str
    focus: str


@dataclass(frozen=True, slots=True)
class Documentation:
    """Teil I: who worked, when, and by which method.

    For a report from a tally sheet the composition and meetings are empty (the
    sheet does not know them) and ``note`` says so.
    """

    composition: tuple[CompositionRow, ...]
    meetings: tuple[Meeting, ...]
    method: tuple[str, ...]  # paragraphs, already in the report's language
    figures: tuple[tuple[str, int], ...]  # (label, value)
    introduction: str = ""  # the process's own description, when it has one
    note: str = ""  # what this Teil I cannot show, and why
    composition_lines: tuple[CompositionLine, ...] = ()
    meeting_lines: tuple[MeetingLine, ...] = ()


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
class NearThresholdLine:
    theme_field: str
    nr: str
    goal: str
    points: int
    is_priority: bool
    side: NearSide
    explanation: str  # "one dot short of the threshold", in the report's language


@dataclass(frozen=True, slots=True)
class SupportRow:
    """How broad one goal's support is, from the voting rounds.

    Filled by whoever knows the individual dots (the analysis of voting rounds);
    a report from a tally sheet has none.
    """

    theme_field: str
    nr: str
    goal: str
    points: int
    supporters: int  # distinct voters with at least one dot on the goal's cards
    dots_by_group: tuple[tuple[str, int], ...]  # (stakeholder group, dots), in group order


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why the result is as it is: goals near the threshold and the breadth of support."""

    near_threshold: tuple[NearThresholdLine, ...] = ()
    support: tuple[SupportRow, ...] = ()
    support_groups: tuple[str, ...] = ()  # the stakeholder groups that appear in ``support``

    def dots_of(self, row: SupportRow, group: str) -> int:
        return dict(row.dots_by_group).get(group, 0)


@dataclass(frozen=True, slots=True)
class ReportLabels:
    """The fixed texts of a report (headings, column heads, legends) in its language."""

    contents: str
    part_1: str
    composition: str
    stakeholder_group: str
    who: str
    how_many: str
    voting_right: str
    meetings: str
    date_and_time: str
    place: str
    focus: str
    method: str
    figure: str
    value: str
    overview: str
    overview_columns: tuple[str, ...]
    overview_questions: tuple[str, ...]
    no_dot_in_field: str
    priority: str
    priority_legend: str
    part_2: str
    recommendation: str
    indicator: str
    responsible: str
    points_for_recommendation: str
    topic_store: str
    theme_field: str
    goal: str
    reason: str
    no_entries: str
    explanation: str
    explanation_column: str
    points_per_goal: str
    threshold_line: str  # "Threshold: 3 points"
    below_threshold: str  # the legend of a bar that does not reach the threshold
    points: str
    close_to_threshold: str
    none_close: str
    support: str
    distinct_supporters: str
    warnings: str


def report_labels(translate: Translate, threshold: int) -> ReportLabels:
    t = translate
    return ReportLabels(
        contents=t(gettext_noop("Contents")),
        part_1=t(gettext_noop("Part I: Documentation of the work process")),
        composition=t(gettext_noop("Composition of the working group")),
        stakeholder_group=t(gettext_noop("Stakeholder group")),
        who=t(gettext_noop("Who?")),
        how_many=t(gettext_noop("How many?")),
        voting_right=t(gettext_noop("Voting right")),
        meetings=t(gettext_noop("Meetings")),
        date_and_time=t(gettext_noop("Date and time")),
        place=t(gettext_noop("Place")),
        focus=t(gettext_noop("Focus")),
        method=t(gettext_noop("Method")),
        figure=t(gettext_noop("Figure")),
        value=t(gettext_noop("Value")),
        overview=t(gettext_noop("Overview of the result")),
        overview_columns=tuple(t(name) for name in OVERVIEW_COLUMNS),
        overview_questions=tuple(t(q) if q else "" for q in OVERVIEW_QUESTIONS),
        no_dot_in_field=t(gettext_noop("No card in this theme field received a dot.")),
        priority=t(gettext_noop("Priority")),
        priority_legend=t(
            gettext_noop(
                "Goals marked “Priority” reach the threshold of %(threshold)s points; "
                "they are the priorities of Part II."
            )
        )
        % {"threshold": threshold},
        part_2=t(gettext_noop("Part II: Priorities")),
        recommendation=t(gettext_noop("Recommendation")),
        indicator=t(gettext_noop("Indicator")),
        responsible=t(gettext_noop("Responsible body")),
        points_for_recommendation=t(gettext_noop("Points for the recommendation")),
        topic_store=t(gettext_noop("Topic store")),
        theme_field=t(gettext_noop("Theme field")),
        goal=t(gettext_noop("Goal")),
        reason=t(gettext_noop("Reason")),
        no_entries=t(gettext_noop("No entries.")),
        explanation=t(gettext_noop("Explanation of the result")),
        explanation_column=t(gettext_noop("Explanation")),
        points_per_goal=t(gettext_noop("Points per goal")),
        threshold_line=t(gettext_noop("Threshold: %(threshold)s points"))
        % {"threshold": threshold},
        below_threshold=t(gettext_noop("below the threshold (topic store)")),
        points=t(gettext_noop("Points")),
        close_to_threshold=t(gettext_noop("Close to the threshold")),
        none_close=t(gettext_noop("No goal is within one dot of the threshold.")),
        support=t(gettext_noop("Support by stakeholder group")),
        distinct_supporters=t(gettext_noop("Distinct supporters")),
        warnings=t(gettext_noop("Warnings")),
    )


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

    @property
    def text(self) -> ReportLabels:
        """The fixed texts in the report's language."""
        return self.labels or report_labels(self.translate, self.threshold)

    @property
    def threshold(self) -> int:
        return self.evaluation.threshold

    @property
    def total_dots(self) -> int:
        return self.evaluation.total_dots

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


OVERVIEW_COLUMNS = (
    gettext_noop("No."),
    gettext_noop("Goal"),
    gettext_noop("Recommendation"),
    gettext_noop("Indicator"),
    gettext_noop("Responsible body"),
    gettext_noop("Points for the recommendation"),
    gettext_noop("Points for the goal"),
)

# The guiding question under each column head of the seed's overview ("" for none).
OVERVIEW_QUESTIONS = (
    "",
    gettext_noop("What do we want to achieve?"),
    gettext_noop("How do we want to achieve it?"),
    gettext_noop("How can we measure success?"),
    gettext_noop("Who is responsible for putting the recommendation into practice?"),
    "",
    "",
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
    support: Sequence[SupportRow] = (),
    language: str = "de",
) -> Report:
    """The report of an evaluation.

    ``record`` (a whole process) gives Teil I its composition and meetings; without
    it Teil I holds only what the tally knows. ``support`` are the per-goal support
    rows from voting rounds, when there are any.
    """
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
        documentation=_documentation(evaluation, record, translate, language),
        translate=translate,
        charts=_charts(evaluation, translate),
        explanation=_explanation(evaluation, support, translate),
        language=language,
        summary=summary,
        labels=report_labels(translate, evaluation.threshold),
    )


def _documentation(
    evaluation: Evaluation, record: ProcessRecord | None, translate: Translate, language: str
) -> Documentation:
    rules = evaluation.rules
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
    tally = record.tally if record else None
    cards = (
        len(tally.cards)
        if tally
        else sum(len(goal.cards) for goal in evaluation.goals)
        + sum(1 for e in evaluation.topic_store if e.reason is TopicStoreReason.NO_DOTS)
    )
    goals = sum(1 for goal in evaluation.goals if goal.clustered)
    figures: list[tuple[str, int]] = []
    if record:
        figures += [
            (translate(gettext_noop("Members with a voting right")), record.voters),
            (translate(gettext_noop("Dots available")), record.voters * rules.dots_per_voter),
        ]
    figures += [
        (translate(gettext_noop("Dots cast")), evaluation.total_dots),
        (translate(gettext_noop("Recommendation cards")), cards),
        (translate(gettext_noop("Goals")), goals),
        (translate(gettext_noop("Priorities")), len(evaluation.priorities)),
        (translate(gettext_noop("Entries in the topic store")), len(evaluation.topic_store)),
    ]
    if record is None:
        return Documentation(
            composition=(),
            meetings=(),
            method=tuple(method),
            figures=tuple(figures),
            note=translate(
                gettext_noop(
                    "This report was made from a tally sheet. The sheet records neither the "
                    "composition of the working group nor its meetings, so this part shows "
                    "only the method and the figures of the dot vote."
                )
            ),
        )
    composition = record.composition()
    return Documentation(
        composition=composition,
        meetings=record.meetings,
        method=tuple(method),
        figures=tuple(figures),
        introduction=record.description,
        composition_lines=tuple(_composition_line(row, translate) for row in composition),
        meeting_lines=tuple(
            _meeting_line(meeting, translate, language) for meeting in record.meetings
        ),
    )


def _composition_line(row: CompositionRow, translate: Translate) -> CompositionLine:
    if row.group.count_text:
        how_many = row.group.count_text
    elif row.members == 1:
        how_many = translate(gettext_noop("1 person"))
    elif row.members:
        how_many = translate(gettext_noop("%(count)s persons")) % {"count": row.members}
    else:
        how_many = "–"
    return CompositionLine(
        stakeholder_group=row.group.name,
        who=row.group.description,
        how_many=how_many,
        members=row.members,
        voting=row.group.voting,
        voting_text=translate(gettext_noop("yes") if row.group.voting else gettext_noop("no")),
    )


# How a date is written, by language (locale data, not a translation).
DATE_FORMATS = {"de": "%d.%m.%Y"}


def _meeting_line(meeting: Meeting, translate: Translate, language: str) -> MeetingLine:
    date = meeting.date.strftime(DATE_FORMATS.get(language, "%Y-%m-%d"))
    if meeting.start and meeting.end:
        when = translate(gettext_noop("%(date)s, %(start)s–%(end)s")) % {
            "date": date,
            "start": f"{meeting.start:%H:%M}",
            "end": f"{meeting.end:%H:%M}",
        }
    elif meeting.start:
        when = translate(gettext_noop("%(date)s, from %(start)s")) % {
            "date": date,
            "start": f"{meeting.start:%H:%M}",
        }
    else:
        when = date
    return MeetingLine(when=when, place=meeting.place, focus=meeting.focus)


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


def _explanation(
    evaluation: Evaluation, support: Sequence[SupportRow], translate: Translate
) -> Explanation:
    near = tuple(
        NearThresholdLine(
            theme_field=item.goal.theme_field,
            nr=item.goal.goal.nr,
            goal=item.goal.goal.text,
            points=item.goal.points,
            is_priority=item.goal.is_priority,
            side=item.side,
            explanation=translate(
                gettext_noop("one dot short of the threshold")
                if item.side is NearSide.BELOW
                else gettext_noop("one dot fewer and it would drop below the threshold")
            ),
        )
        for item in evaluation.near_threshold
    )
    groups = tuple(dict.fromkeys(group for row in support for group, _ in row.dots_by_group))
    return Explanation(near_threshold=near, support=tuple(support), support_groups=groups)
