"""The explanation section of the result report: why the result is as it is.

Goals near the threshold, every goal's margin, the other ways of counting,
support and stability (with ballots), departures from the rule, cards that look
alike: as plain data, every sentence already in the report's language.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from klebepunkt.domain import (
    Analysis,
    Evaluation,
    GoalExplanation,
    GoalResult,
    NearSide,
    WhatIf,
    WhatIfOutcome,
    gettext_noop,
)
from klebepunkt.i18n import Translate


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

    Derived from the analysis when it has the individual dots (ballots); a report
    from a tally sheet without ballots has none.
    """

    theme_field: str
    nr: str
    goal: str
    points: int
    supporters: int  # distinct voters with at least one dot on the goal's cards
    dots_by_group: tuple[tuple[str, int], ...]  # (stakeholder group, dots), in group order


@dataclass(frozen=True, slots=True)
class WhatIfLine:
    """A goal's score under another way of counting, for comparison only."""

    scoring: str  # the ``WhatIf`` value: "sum", "best_card" or "supporters"
    label: str  # "Punkte seiner stärksten Karte"
    short_label: str  # "stärkste Karte", for narrow table cells; the legend explains it
    points: int
    is_priority: bool  # the threshold reached under this way of counting
    differs: bool  # the goal's status would differ under this way of counting
    text: str  # "stärkste Karte: 2 (wäre keine Priorität)"


@dataclass(frozen=True, slots=True)
class GoalExplanationRow:
    """One goal of the explanation table: status, margin, support, stability, what-if.

    The support and stability fields are None (numbers) or "" (texts) when the
    report has no individual dots (ballots).
    """

    theme_field: str
    nr: str
    goal: str  # the goal's text; an unclustered card says so
    points: int
    is_priority: bool
    status: str  # "Priorität" / "Themenspeicher"
    dots_to_change: int  # dots it lacks (below) or would have to lose (priority)
    margin: str  # "1 Punkt fehlt bis zur Schwelle" / "fiele mit 1 Punkt weniger unter …"
    cards: int
    what_if: tuple[WhatIfLine, ...]  # the ways of counting other than the process's own
    needs_several_cards: bool  # a priority that none of its cards would have made alone
    needs_several_cards_text: str  # "Priorität nur durch mehrere Karten zusammen" when it is
    supporters: int | None = None
    largest_share_percent: int | None = None  # of the goal's dots, from its largest supporter
    largest_share: str = ""  # "67 %"
    single_supporter: bool = False  # a priority all of whose dots come from one voter
    single_supporter_text: str = ""  # "von einer einzigen Person getragen" when it is
    unattributed_dots: int | None = None  # dots without a ballot (paper dots as totals)
    unattributed_text: str = ""  # "2 Punkte ohne Zuordnung zu einer Person" when there are
    changes_without: int | None = None  # voters whose absence alone would change the status
    stability: str = ""  # "hält auch ohne jede einzelne Person" / "ändert sich ohne …"

    @property
    def other_ways_lines(self) -> tuple[str, ...]:
        """The cell "other ways of counting": each way with its points, then the note on
        several cards."""
        lines = tuple(line.text for line in self.what_if)
        return (*lines, self.needs_several_cards_text) if self.needs_several_cards else lines


@dataclass(frozen=True, slots=True)
class GoalExplanationTable:
    """The explained goals of one theme field, in the evaluation's order."""

    theme_field: str
    rows: tuple[GoalExplanationRow, ...]


@dataclass(frozen=True, slots=True)
class Departure:
    """Where the stated (hand-made) table departs from the rule."""

    code: str  # the ``FindingCode`` value
    theme_field: str
    row: int | None  # the sheet row, when known
    text: str  # the finding's message in the report's language


@dataclass(frozen=True, slots=True)
class SimilarPair:
    """Two cards whose texts look alike (possibly entered twice)."""

    first_theme_field: str
    first: str
    second_theme_field: str
    second: str
    percent: int  # similarity, 0 to 100
    text: str  # "„…“ und „…“ (zu 82 % ähnlich)"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why the result is as it is.

    Goals near the threshold always; with an analysis also every goal's margin, the
    other ways of counting, the stated table's departures from the rule and cards
    that look alike; with ballots also support (per goal and per stakeholder group)
    and stability.
    """

    near_threshold: tuple[NearThresholdLine, ...] = ()
    support: tuple[SupportRow, ...] = ()
    support_groups: tuple[str, ...] = ()  # the stakeholder groups that appear in ``support``
    analysed: bool = False  # the report was built with an analysis
    has_ballots: bool = False  # support and stability are known
    goals: tuple[GoalExplanationTable, ...] = ()  # one table per theme field
    no_ballots_note: str = ""  # why support and stability are missing, when they are
    what_if_labels: tuple[str, ...] = ()  # the other ways of counting, as each row lists them
    what_if_legend: str = ""  # what each short label in the rows means
    departures: tuple[Departure, ...] = ()
    similar_cards: tuple[SimilarPair, ...] = ()

    def dots_of(self, row: SupportRow, group: str) -> int:
        return dict(row.dots_by_group).get(group, 0)

    @property
    def goal_rows(self) -> tuple[GoalExplanationRow, ...]:
        """Every explained goal, theme field after theme field."""
        return tuple(row for table in self.goals for row in table.rows)


def build_explanation(
    evaluation: Evaluation, analysis: Analysis | None, translate: Translate
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
    if analysis is None:
        return Explanation(near_threshold=near)
    support = _support_rows(analysis)
    groups = tuple(dict.fromkeys(group for row in support for group, _ in row.dots_by_group))
    by_field: dict[str, list[GoalExplanationRow]] = {}
    for goal in analysis.goals:
        by_field.setdefault(goal.goal.theme_field, []).append(
            _goal_row(goal, evaluation, translate)
        )
    tables = tuple(
        GoalExplanationTable(field.name, tuple(by_field[field.name]))
        for field in evaluation.theme_fields
        if field.name in by_field
    )
    has_ballots = analysis.support.available
    first = tables[0].rows[0] if tables else None
    return Explanation(
        near_threshold=near,
        support=support,
        support_groups=groups,
        analysed=True,
        has_ballots=has_ballots,
        goals=tables,
        what_if_labels=tuple(line.label for line in first.what_if) if first else (),
        what_if_legend=_what_if_legend(first.what_if, translate) if first else "",
        no_ballots_note=""
        if has_ballots
        else translate(
            gettext_noop(
                "Support and stability need the individual dots of a voting round: who "
                "placed which dot. This report has none, so it shows the margin and the "
                "other ways of counting only."
            )
        ),
        departures=tuple(
            Departure(
                code=finding.code.value,
                theme_field=finding.theme_field,
                row=finding.row,
                text=finding.message.render(translate),
            )
            for finding in analysis.consistency
        ),
        similar_cards=tuple(
            SimilarPair(
                first_theme_field=pair.first.theme_field,
                first=pair.first.text,
                second_theme_field=pair.second.theme_field,
                second=pair.second.text,
                percent=round(pair.score * 100),
                text=translate(gettext_noop("“%(first)s” and “%(second)s” (%(score)s %% alike)"))
                % {
                    "first": pair.first.text,
                    "second": pair.second.text,
                    "score": round(pair.score * 100),
                },
            )
            for pair in sorted(analysis.similar_cards, key=lambda pair: -pair.score)[
                :SIMILAR_PAIRS_SHOWN
            ]
        ),
    )


SIMILAR_PAIRS_SHOWN = 50  # the closest look-alikes; a long list helps nobody in a committee report


def _support_rows(analysis: Analysis) -> tuple[SupportRow, ...]:
    """Distinct supporters and dots by stakeholder group per goal, when ballots exist."""
    if not analysis.support.available:
        return ()
    return tuple(
        SupportRow(
            theme_field=item.goal.theme_field,
            nr=item.goal.goal.nr,
            goal=item.goal.goal.text,
            points=item.goal.points,
            supporters=item.supporters,
            dots_by_group=tuple((group.stakeholder_group, group.dots) for group in item.groups),
        )
        for item in analysis.support.goals
    )


def _count(translate: Translate, one: str, many: str, n: int) -> str:
    """``one`` (the msgid for exactly one) or ``many`` (a msgid with ``%(n)s``).

    German and English both use the singular for exactly one, like ``points_text``.
    """
    return translate(one) if n == 1 else translate(many) % {"n": n}


def _goal_text(goal: GoalResult, translate: Translate) -> str:
    text = goal.goal.text or translate(gettext_noop("(no text)"))
    if not goal.clustered:
        text = f"{text} ({translate(gettext_noop('not yet clustered'))})"
    return text


# Short names of the ways of counting, for the narrow cells of the explanation table.
WHAT_IF_SHORT = {
    WhatIf.SUM: gettext_noop("sum of the cards"),
    WhatIf.BEST_CARD: gettext_noop("strongest card"),
    WhatIf.SUPPORTERS: gettext_noop("supporters"),
}


def _what_if_legend(lines: tuple[WhatIfLine, ...], translate: Translate) -> str:
    """“Other ways of counting: ‘strongest card’ = dots of its strongest card; …”"""
    if not lines:
        return ""
    ways = "; ".join(
        translate(gettext_noop("“%(short)s” = %(label)s"))
        % {"short": line.short_label, "label": line.label}
        for line in lines
    )
    return translate(gettext_noop("Other ways of counting: %(ways)s.")) % {"ways": ways}


def _what_if_line(outcome: WhatIfOutcome, goal: GoalResult, translate: Translate) -> WhatIfLine:
    label = outcome.scoring.label.render(translate)
    short = translate(WHAT_IF_SHORT[outcome.scoring])
    differs = outcome.is_priority != goal.is_priority
    text = f"{short}:\u00a0{outcome.points}"  # the number stays on the line of its label
    if differs:
        would = (
            gettext_noop("would be a priority")
            if outcome.is_priority
            else gettext_noop("would not be a priority")
        )
        text += f" ({translate(would)})"
    return WhatIfLine(
        scoring=outcome.scoring.value,
        label=label,
        short_label=short,
        points=outcome.points,
        is_priority=outcome.is_priority,
        differs=differs,
        text=text,
    )


def _goal_row(
    explained: GoalExplanation, evaluation: Evaluation, translate: Translate
) -> GoalExplanationRow:
    goal, margin = explained.goal, explained.margin
    if margin.dots_needed is not None:
        margin_text = _count(
            translate,
            gettext_noop("1 point short of the threshold"),
            gettext_noop("%(n)s points short of the threshold"),
            margin.dots_needed,
        )
    else:
        margin_text = _count(
            translate,
            gettext_noop("would drop below the threshold with 1 point fewer"),
            gettext_noop("would drop below the threshold with %(n)s points fewer"),
            margin.dots_to_change,
        )
    what_if = tuple(
        _what_if_line(outcome, goal, translate)
        for outcome in explained.clustering_effect.outcomes
        if outcome.scoring.value != evaluation.rules.aggregation.value  # not the own rule
    )
    several = explained.clustering_effect.needs_several_cards
    row = GoalExplanationRow(
        theme_field=goal.theme_field,
        nr=goal.goal.nr,
        goal=_goal_text(goal, translate),
        points=goal.points,
        is_priority=goal.is_priority,
        status=translate(
            gettext_noop("Priority") if goal.is_priority else gettext_noop("Topic store")
        ),
        dots_to_change=margin.dots_to_change,
        margin=margin_text,
        cards=explained.clustering_effect.cards,
        what_if=what_if,
        needs_several_cards=several,
        needs_several_cards_text=translate(
            gettext_noop("a priority only through several cards together")
        )
        if several
        else "",
    )
    support, stability = explained.support, explained.stability
    if support is None or stability is None:
        return row
    percent = round(support.largest_supporter_share * 100)
    return dataclasses.replace(
        row,
        supporters=support.supporters,
        largest_share_percent=percent,
        largest_share=translate(gettext_noop("%(percent)s%%")) % {"percent": percent},
        single_supporter=support.single_supporter,
        single_supporter_text=translate(gettext_noop("carried by one voter alone"))
        if support.single_supporter
        else "",
        unattributed_dots=support.unattributed_dots,
        unattributed_text=_count(
            translate,
            gettext_noop("1 dot not attributed to a voter"),
            gettext_noop("%(n)s dots not attributed to a voter"),
            support.unattributed_dots,
        )
        if support.unattributed_dots
        else "",
        changes_without=stability.changes_without,
        stability=translate(gettext_noop("holds without any single voter"))
        if stability.stable
        else _count(
            translate,
            gettext_noop("changes without 1 particular voter"),
            gettext_noop("changes without any one of %(n)s particular voters"),
            stability.changes_without,
        ),
    )
