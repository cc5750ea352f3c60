"""The fixed texts of the result report (headings, column heads, legends) in its language.

Every renderer takes its words from here; none carries a msgid of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from klebepunkt.domain import gettext_noop
from klebepunkt.i18n import Translate


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
    goals_explained: str
    status: str
    margin: str
    largest_share: str
    single_supporter: str  # the column head of the flag in the tables
    unattributed_dots: str
    stability: str
    changes_without: str
    dots_to_change: str
    other_ways: str
    rule_decides: str
    departures: str
    departures_sheet: str
    similar_cards: str
    similarity: str
    row: str
    toc_hint: str
    bold_legend: str  # Markdown: "Goals in bold are priorities (Part II)."
    yes: str
    no: str
    part: str  # the CSV column that names the part
    part_1_short: str
    composition_sheet: str
    members: str
    figures: str
    overview_sheet: str
    priorities_sheet: str
    points_for_goal: str
    threshold: str
    support_sheet: str
    explanation_sheet: str
    rounds: str
    round: str
    date: str
    dots_per_member: str
    cap_per_card: str
    results_during_vote: str
    secret: str
    form: str
    voted: str
    dots_cast: str

    @property
    def number(self) -> str:
        """ "No." """
        return self.overview_columns[0]

    @property
    def round_columns(self) -> tuple[str, ...]:
        """The heads of the voting rounds' table, in the order of ``RoundLine.cells``."""
        return (
            self.round,
            self.date,
            self.theme_field,
            self.dots_per_member,
            self.cap_per_card,
            self.results_during_vote,
            self.secret,
            self.form,
            self.voted,
            self.dots_cast,
        )

    def yes_no(self, value: bool) -> str:
        return self.yes if value else self.no


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
        goals_explained=t(gettext_noop("Every goal: margin, support and stability")),
        status=t(gettext_noop("Status")),
        margin=t(gettext_noop("Margin")),
        largest_share=t(gettext_noop("Largest share of one voter")),
        single_supporter=t(gettext_noop("Carried by one voter alone")),
        unattributed_dots=t(gettext_noop("Dots not attributed to a voter")),
        stability=t(gettext_noop("Stability")),
        changes_without=t(gettext_noop("Voters whose absence alone would change the status")),
        dots_to_change=t(gettext_noop("Dots that would change the status")),
        other_ways=t(gettext_noop("Other ways of counting")),
        rule_decides=t(gettext_noop("Information only: the process's own rule decides.")),
        departures=t(gettext_noop("Departures of the stated table from the rule")),
        departures_sheet=t(gettext_noop("Departures from the rule")),
        similar_cards=t(gettext_noop("Cards that look alike")),
        similarity=t(gettext_noop("Similarity (%)")),
        row=t(gettext_noop("Row")),
        toc_hint=t(
            gettext_noop(
                "Page numbers: right-click the table of contents and choose “Update field”."
            )
        ),
        bold_legend=t(gettext_noop("Goals in bold are priorities (Part II).")),
        yes=t(gettext_noop("yes")),
        no=t(gettext_noop("no")),
        part=t(gettext_noop("Part")),
        part_1_short=t(gettext_noop("Part I")),
        composition_sheet=t(gettext_noop("Composition")),
        members=t(gettext_noop("Members")),
        figures=t(gettext_noop("Figures")),
        overview_sheet=t(gettext_noop("Overview")),
        priorities_sheet=t(gettext_noop("Priorities")),
        points_for_goal=t(gettext_noop("Points for the goal")),
        threshold=t(gettext_noop("Threshold")),
        support_sheet=t(gettext_noop("Support")),
        explanation_sheet=t(gettext_noop("Explanation per goal")),
        rounds=t(gettext_noop("Voting rounds")),
        round=t(gettext_noop("Round")),
        date=t(gettext_noop("Date")),
        dots_per_member=t(gettext_noop("Dots per member")),
        cap_per_card=t(gettext_noop("Cap per card")),
        results_during_vote=t(gettext_noop("Counts during the vote")),
        secret=t(gettext_noop("Secret")),
        form=t(gettext_noop("Form")),
        voted=t(gettext_noop("Voted")),
        dots_cast=t(gettext_noop("Dots cast")),
    )


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
