"""The progress report for the committee, as plain data: built once, laid out by each renderer.

``build_progress_report`` takes the monitoring of a process (``state.Monitoring``),
the date the report speaks about (``as_of``) and the date of the previous report
(``since``), and computes everything every format shows: the status, due date
and traffic light of every priority and its recommendations as they stood on
``as_of``; every indicator with its latest value up to ``as_of``; and what
changed after ``since`` up to ``as_of`` (status changes and new values).

Every word is already translated (``labels``, ``*_label``, ``reasons``), so a
renderer (Markdown and XLSX here; PDF and Word later) only lays it out; numbers
and dates stay values, formatted by ``text.format_*`` with ``language``.
No Django: the CLI or a PDF renderer can use it as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from klebepunkt.domain.formatting import format_date, format_number, format_percent, render_message
from klebepunkt.domain.messages import gettext_noop
from klebepunkt.domain.monitoring import (
    Assessment,
    IndicatorSeries,
    Light,
    Measurement,
    Status,
    assess,
)
from klebepunkt.domain.monitoring_state import Item, ItemKind, Monitoring, Priority
from klebepunkt.reports.progress.chart import ChartLabels

Translate = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    key: str  # I5
    name: str
    unit: str
    series: IndicatorSeries  # up to as_of: what the chart shows
    latest: Measurement | None
    progress: Decimal | None  # share of the way from baseline to target
    assessment: Assessment
    assessment_label: str
    new_values: tuple[Measurement, ...]  # dated after ``since`` up to ``as_of``
    description: str  # the chart's text alternative, one sentence


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """A status change after the previous report."""

    on: date
    status_before: str
    status_after: str
    due_before: date | None
    due_after: date | None
    comment: str


@dataclass(frozen=True, slots=True)
class ItemLine:
    kind: ItemKind
    key: str
    text: str
    indicator_text: str
    status: Status
    status_label: str
    responsible: str
    due_date: date | None
    comment: str
    light: Light
    light_label: str
    reasons: tuple[str, ...]
    indicators: tuple[IndicatorLine, ...]
    changes: tuple[ChangeLine, ...]
    tracked: bool


@dataclass(frozen=True, slots=True)
class PriorityLine:
    theme_field: str
    nr: str
    goal: str
    points: int
    light: Light
    light_label: str
    reasons: tuple[str, ...]
    items: tuple[ItemLine, ...]  # the priority itself first, then its recommendations

    @property
    def changed(self) -> bool:
        return any(
            item.changes or any(i.new_values for i in item.indicators) for item in self.items
        )


@dataclass(frozen=True, slots=True)
class ProgressLabels:
    """Every fixed word of the report, in its language."""

    heading: str
    as_of_line: str
    since_line: str
    summary: str
    lights: str
    statuses: str
    priorities: str
    changes: str
    no_changes: str
    no_priorities: str
    theme_field: str
    goal: str
    recommendation: str
    the_priority: str
    status: str
    light: str
    reasons: str
    responsible: str
    due: str
    comment: str
    indicator: str
    unit: str
    baseline: str
    target: str
    latest: str
    progress: str
    assessment: str
    date: str
    value: str
    source: str
    before: str
    after: str
    key: str
    points: str
    count: str
    new_values: str
    overview_sheet: str
    indicators_sheet: str
    changes_sheet: str
    chart: ChartLabels


@dataclass(frozen=True, slots=True)
class ProgressReport:
    title: str
    subtitle: str
    as_of: date
    since: date | None
    language: str
    labels: ProgressLabels
    priorities: tuple[PriorityLine, ...]
    light_counts: tuple[tuple[Light, str, int], ...]
    status_counts: tuple[tuple[Status, str, int], ...]

    @property
    def changed(self) -> bool:
        return any(priority.changed for priority in self.priorities)

    def date(self, value: date | None) -> str:
        return format_date(value, self.language)

    def number(self, value: Decimal | int | None) -> str:
        return format_number(value, self.language)

    def percent(self, value: Decimal | None) -> str:
        return format_percent(value, self.language)


def labels_for(t: Translate, as_of: date, since: date | None, language: str) -> ProgressLabels:
    return ProgressLabels(
        heading=t(gettext_noop("Progress report")),
        as_of_line=t(gettext_noop("As of %(date)s.")) % {"date": format_date(as_of, language)},
        since_line=(
            t(gettext_noop("Changes since the previous report of %(date)s."))
            % {"date": format_date(since, language)}
            if since
            else t(gettext_noop("This is the first report: every change up to now is listed."))
        ),
        summary=t(gettext_noop("Summary")),
        lights=t(gettext_noop("Traffic light")),
        statuses=t(gettext_noop("Status")),
        priorities=t(gettext_noop("Priorities")),
        changes=t(gettext_noop("Changes since the previous report")),
        no_changes=t(gettext_noop("No changes.")),
        no_priorities=t(gettext_noop("No goal has reached the threshold yet.")),
        theme_field=t(gettext_noop("Theme field")),
        goal=t(gettext_noop("Goal")),
        recommendation=t(gettext_noop("Recommendation")),
        the_priority=t(gettext_noop("The priority as a whole")),
        status=t(gettext_noop("Status")),
        light=t(gettext_noop("Traffic light")),
        reasons=t(gettext_noop("Why")),
        responsible=t(gettext_noop("Responsible body")),
        due=t(gettext_noop("Due by")),
        comment=t(gettext_noop("Comment")),
        indicator=t(gettext_noop("Indicator")),
        unit=t(gettext_noop("Unit")),
        baseline=t(gettext_noop("Baseline")),
        target=t(gettext_noop("Target")),
        latest=t(gettext_noop("Latest value")),
        progress=t(gettext_noop("Progress towards the target")),
        assessment=t(gettext_noop("Assessment")),
        date=t(gettext_noop("Date")),
        value=t(gettext_noop("Value")),
        source=t(gettext_noop("Source")),
        before=t(gettext_noop("Before")),
        after=t(gettext_noop("After")),
        key=t(gettext_noop("Key")),
        points=t(gettext_noop("Points")),
        count=t(gettext_noop("Number")),
        new_values=t(gettext_noop("New values")),
        overview_sheet=t(gettext_noop("Status")),
        indicators_sheet=t(gettext_noop("Indicators")),
        changes_sheet=t(gettext_noop("Changes")),
        chart=chart_labels(t),
    )


def chart_labels(t: Translate) -> ChartLabels:
    return ChartLabels(
        measured=t(gettext_noop("measured")),
        plan=t(gettext_noop("plan")),
        baseline=t(gettext_noop("baseline")),
        target=t(gettext_noop("target")),
        no_values=t(gettext_noop("No values yet.")),
    )


def describe_indicator(series: IndicatorSeries, today: date, t: Translate, language: str) -> str:
    """One sentence that says what the chart shows (its text alternative)."""
    result = assess(series, today)
    unit = f" {series.unit}" if series.unit else ""
    parts = [
        t(msgid)
        % {"value": format_number(value, language) + unit, "date": format_date(on, language) or "–"}
        for msgid, value, on in (
            (
                gettext_noop("Baseline %(value)s on %(date)s"),
                series.baseline_value,
                series.baseline_date,
            ),
            (gettext_noop("target %(value)s by %(date)s"), series.target_value, series.target_date),
        )
        if value is not None
    ]
    measured = series.until(today).ordered()
    if measured:
        latest = measured[-1]
        parts.append(
            t(gettext_noop("%(count)s values, the latest %(value)s on %(date)s"))
            % {
                "count": len(measured),
                "value": format_number(latest.value, language) + unit,
                "date": format_date(latest.date, language),
            }
        )
    else:
        parts.append(t(gettext_noop("no value measured yet")))
    if result.progress is not None:
        parts.append(
            t(gettext_noop("%(percent)s of the way to the target"))
            % {"percent": format_percent(result.progress, language)}
        )
    sentence = "; ".join(parts)
    return f"{series.name}: {sentence} – {result.assessment.label.render(t)}."


def _indicator_line(
    item: Item, index: int, as_of: date, since: date | None, t: Translate, language: str
) -> IndicatorLine:
    tracked = item.indicators[index]
    series = tracked.series.until(as_of)
    result = assess(series, as_of)
    return IndicatorLine(
        key=tracked.key,
        name=series.name,
        unit=series.unit,
        series=series,
        latest=result.latest,
        progress=result.progress,
        assessment=result.assessment,
        assessment_label=result.assessment.label.render(t),
        new_values=tuple(m for m in series.ordered() if since is None or m.date > since),
        description=describe_indicator(series, as_of, t, language),
    )


def _item_line(
    item: Item, as_of: date, since: date | None, t: Translate, language: str
) -> ItemLine:
    state = item.state(as_of)
    light = item.light(as_of)
    changes = tuple(
        ChangeLine(
            on=change.changed_on,
            status_before=before.status.label.render(t),
            status_after=change.status.label.render(t),
            due_before=before.due_date,
            due_after=change.due_date,
            comment=change.comment,
        )
        for change, before in item.changes_between(since, as_of)
    )
    return ItemLine(
        kind=item.kind,
        key=item.key,
        text=item.text,
        indicator_text=item.indicator_text,
        status=state.status,
        status_label=state.status.label.render(t),
        responsible=state.responsible,
        due_date=state.due_date,
        comment=state.comment,
        light=light.light,
        light_label=light.light.label.render(t),
        reasons=tuple(render_message(reason, t, language) for reason in light.reasons),
        indicators=tuple(
            _indicator_line(item, index, as_of, since, t, language)
            for index in range(len(item.indicators))
        ),
        changes=changes,
        tracked=item.tracked,
    )


def _priority_line(
    priority: Priority, as_of: date, since: date | None, t: Translate, language: str
) -> PriorityLine:
    light = priority.light(as_of)
    return PriorityLine(
        theme_field=priority.theme_field,
        nr=priority.nr,
        goal=priority.goal.text,
        points=priority.points,
        light=light.light,
        light_label=light.light.label.render(t),
        reasons=tuple(render_message(reason, t, language) for reason in light.reasons),
        items=tuple(_item_line(item, as_of, since, t, language) for item in priority.items),
    )


def build_progress_report(
    monitoring: Monitoring,
    *,
    title: str,
    as_of: date,
    since: date | None,
    translate: Translate,
    language: str = "de",
    subtitle: str = "",
) -> ProgressReport:
    """The report as it stood on ``as_of``, with the changes after ``since``."""
    if since is not None and since >= as_of:
        raise ValueError("since must be before as_of")
    priorities = tuple(
        _priority_line(priority, as_of, since, translate, language)
        for priority in monitoring.priorities
    )
    return ProgressReport(
        title=title,
        subtitle=subtitle,
        as_of=as_of,
        since=since,
        language=language,
        labels=labels_for(translate, as_of, since, language),
        priorities=priorities,
        light_counts=tuple(
            (light, light.label.render(translate), sum(p.light is light for p in priorities))
            for light in (Light.RED, Light.AMBER, Light.GREEN)
        ),
        status_counts=tuple(
            (
                status,
                status.label.render(translate),
                sum(p.items[0].status is status for p in priorities),
            )
            for status in Status
        ),
    )
