"""Monitoring rules: implementation status, indicator progress and the traffic light.

Pure and deterministic: "today" is an argument, never the clock.

**Indicator progress.** An indicator moves from its baseline towards its target;
the direction follows from the two values (a target below the baseline means
"less is better"). Progress is the share of that way covered by the latest
measurement; the expected share is the share of the time from the baseline date
to the target date that has passed at the date of the latest measurement. An
indicator is

- ``reached`` when the latest value is at or beyond the target,
- ``missed`` when the target date has passed and the target is not reached,
- ``behind`` when its progress lags the expected share by more than
  ``BEHIND_MARGIN`` (10 percentage points), or it has no value although the
  target date has passed,
- ``on_track`` otherwise; ``no_data`` without a measurement, and ``no_target``
  when baseline or target (value and date) are missing.

**Traffic light** of one item (a priority or one of its recommendations):

- red: the status is *rejected*; or the due date has passed and the status is
  neither *implemented* nor *deferred*; or an indicator *missed* its target.
- amber: the status is *open* (nothing has started) or *deferred*; or the due
  date is less than ``DUE_SOON_DAYS`` (30) days away and the status is not
  *implemented*; or an indicator is *behind*.
- green: everything else: *implemented*, or *in planning* / *being implemented*
  in time with no indicator behind.

Every rule that applies adds its reason, so the light always comes with the
words that explain it. A priority's light is the worst light of its tracked
items (the priority itself and those of its recommendations that have a status
or an indicator); with nothing tracked it is the light of status *open*.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from klebepunkt.domain.messages import Message, gettext_noop

DUE_SOON_DAYS = 30
BEHIND_MARGIN = Decimal("0.1")


class Status(StrEnum):
    """The implementation status of a priority or a recommendation (codes in English)."""

    OPEN = "open"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    DEFERRED = "deferred"
    REJECTED = "rejected"

    @property
    def label(self) -> Message:
        return Message(STATUS_MSGIDS[self])

    @property
    def german(self) -> str:
        """The German label, as status sheets are written (and read) whatever the UI language."""
        return STATUS_GERMAN[self]


STATUS_MSGIDS: dict[Status, str] = {
    Status.OPEN: gettext_noop("open"),
    Status.PLANNED: gettext_noop("in planning"),
    Status.IN_PROGRESS: gettext_noop("being implemented"),
    Status.IMPLEMENTED: gettext_noop("implemented"),
    Status.DEFERRED: gettext_noop("deferred"),
    Status.REJECTED: gettext_noop("rejected"),
}

# The words of the issue ("offen, in Planung, in Umsetzung, umgesetzt, zurückgestellt,
# verworfen"): data of the German status sheet, like its German column headers.
STATUS_GERMAN: dict[Status, str] = {
    Status.OPEN: "offen",
    Status.PLANNED: "in Planung",
    Status.IN_PROGRESS: "in Umsetzung",
    Status.IMPLEMENTED: "umgesetzt",
    Status.DEFERRED: "zurückgestellt",
    Status.REJECTED: "verworfen",
}


def _status_key(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


_STATUS_BY_NAME: dict[str, Status] = {}
for _status in Status:
    for _name in (_status.value, STATUS_GERMAN[_status], STATUS_MSGIDS[_status]):
        _STATUS_BY_NAME[_status_key(_name)] = _status
_STATUS_BY_NAME[_status_key("zurueckgestellt")] = Status.DEFERRED
_STATUS_BY_NAME[_status_key("in progress")] = Status.IN_PROGRESS


def parse_status(text: str) -> Status | None:
    """The status a text names: German label, English label or code; None if unknown."""
    return _STATUS_BY_NAME.get(_status_key(text))


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> Message:
        return Message(LIGHT_MSGIDS[self])

    @property
    def rank(self) -> int:
        return {Light.GREEN: 0, Light.AMBER: 1, Light.RED: 2}[self]


LIGHT_MSGIDS: dict[Light, str] = {
    Light.GREEN: gettext_noop("on track"),
    Light.AMBER: gettext_noop("needs attention"),
    Light.RED: gettext_noop("critical"),
}


def worst(lights: Iterable[Light]) -> Light | None:
    ranked = sorted(lights, key=lambda light: light.rank)
    return ranked[-1] if ranked else None


class Assessment(StrEnum):
    NO_TARGET = "no_target"
    NO_DATA = "no_data"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    REACHED = "reached"
    MISSED = "missed"

    @property
    def label(self) -> Message:
        return Message(ASSESSMENT_MSGIDS[self])


ASSESSMENT_MSGIDS: dict[Assessment, str] = {
    Assessment.NO_TARGET: gettext_noop("no target set"),
    Assessment.NO_DATA: gettext_noop("no value yet"),
    Assessment.ON_TRACK: gettext_noop("on schedule"),
    Assessment.BEHIND: gettext_noop("behind schedule"),
    Assessment.REACHED: gettext_noop("target reached"),
    Assessment.MISSED: gettext_noop("target missed"),
}


@dataclass(frozen=True, slots=True)
class Measurement:
    date: date
    value: Decimal
    source: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class IndicatorFields:
    """What defines an indicator: its name, unit, baseline and target."""

    name: str
    unit: str = ""
    baseline_value: Decimal | None = None
    baseline_date: date | None = None
    target_value: Decimal | None = None
    target_date: date | None = None


@dataclass(frozen=True, slots=True)
class IndicatorSeries(IndicatorFields):
    """An indicator with its baseline, target and measurements (in any order)."""

    measurements: tuple[Measurement, ...] = ()

    @property
    def has_target(self) -> bool:
        return None not in (
            self.baseline_value,
            self.baseline_date,
            self.target_value,
            self.target_date,
        )

    def ordered(self) -> tuple[Measurement, ...]:
        return tuple(sorted(self.measurements, key=lambda m: m.date))

    def until(self, day: date) -> IndicatorSeries:
        """The series as it stood on ``day``: measurements dated that day or earlier."""
        return IndicatorSeries(
            name=self.name,
            unit=self.unit,
            baseline_value=self.baseline_value,
            baseline_date=self.baseline_date,
            target_value=self.target_value,
            target_date=self.target_date,
            measurements=tuple(m for m in self.measurements if m.date <= day),
        )

    @property
    def latest(self) -> Measurement | None:
        ordered = self.ordered()
        return ordered[-1] if ordered else None


@dataclass(frozen=True, slots=True)
class IndicatorAssessment:
    assessment: Assessment
    latest: Measurement | None
    progress: Decimal | None  # share of the way from baseline to target, 1 = reached
    expected: Decimal | None  # share of the time to the target date passed at the latest value


def _share(part: int, whole: int) -> Decimal:
    if whole <= 0:
        return Decimal(1)
    return min(max(Decimal(part) / Decimal(whole), Decimal(0)), Decimal(1))


def assess(series: IndicatorSeries, today: date) -> IndicatorAssessment:
    """Where an indicator stands on ``today`` (measurements after today are ignored)."""
    series = series.until(today)
    latest = series.latest
    if not series.has_target:
        return IndicatorAssessment(Assessment.NO_TARGET, latest, None, None)
    baseline, target = series.baseline_value, series.target_value
    start, end = series.baseline_date, series.target_date
    assert baseline is not None
    assert target is not None
    assert start is not None
    assert end is not None
    if latest is None:
        if today > end:
            return IndicatorAssessment(Assessment.BEHIND, None, None, Decimal(1))
        return IndicatorAssessment(Assessment.NO_DATA, None, None, None)
    way = target - baseline
    if way == 0:
        progress = Decimal(1) if latest.value == target else Decimal(0)
    else:
        progress = (latest.value - baseline) / way
    expected = _share((latest.date - start).days, (end - start).days)
    if progress >= 1:
        assessment = Assessment.REACHED
    elif today > end:
        assessment = Assessment.MISSED
    elif progress < expected - BEHIND_MARGIN:
        assessment = Assessment.BEHIND
    else:
        assessment = Assessment.ON_TRACK
    return IndicatorAssessment(assessment, latest, progress, expected)


@dataclass(frozen=True, slots=True)
class LightResult:
    light: Light
    reasons: tuple[Message, ...]


def traffic_light(
    *,
    status: Status,
    due: date | None,
    today: date,
    indicators: Sequence[tuple[str, IndicatorAssessment]] = (),
) -> LightResult:
    """The light of one item and every reason for it (see the module's docstring)."""
    red: list[Message] = []
    amber: list[Message] = []
    if status is Status.REJECTED:
        red.append(Message(gettext_noop("rejected")))
    if due is not None and status not in (Status.IMPLEMENTED, Status.REJECTED, Status.DEFERRED):
        if due < today:
            red.append(
                Message(gettext_noop("overdue since %(date)s"), {"date": due}),
            )
        elif (due - today).days < DUE_SOON_DAYS:
            amber.append(Message(gettext_noop("due on %(date)s"), {"date": due}))
    if status is Status.OPEN:
        amber.append(Message(gettext_noop("not started")))
    if status is Status.DEFERRED:
        amber.append(Message(gettext_noop("deferred")))
    for name, result in indicators:
        if result.assessment is Assessment.MISSED:
            red.append(
                Message(
                    gettext_noop("indicator “%(indicator)s” missed its target"), {"indicator": name}
                )
            )
        elif result.assessment is Assessment.BEHIND:
            amber.append(
                Message(
                    gettext_noop("indicator “%(indicator)s” is behind schedule"),
                    {"indicator": name},
                )
            )
    if red:
        return LightResult(Light.RED, tuple(red + amber))
    if amber:
        return LightResult(Light.AMBER, tuple(amber))
    if status is Status.IMPLEMENTED:
        return LightResult(Light.GREEN, (Message(gettext_noop("implemented")),))
    return LightResult(Light.GREEN, (Message(gettext_noop("in time")),))


def combined_light(results: Sequence[LightResult], fallback: LightResult) -> LightResult:
    """The worst light of several items, with the reasons of the items that have it."""
    light = worst(result.light for result in results)
    if light is None:
        return fallback
    reasons: list[Message] = []
    for result in results:
        if result.light is light:
            reasons.extend(reason for reason in result.reasons if reason not in reasons)
    return LightResult(light, tuple(reasons))
