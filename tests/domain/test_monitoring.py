"""Monitoring rules: indicator progress and the traffic light, as the module docstring defines them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klebepunkt.domain.monitoring import (
    DUE_SOON_DAYS,
    STATUS_GERMAN,
    Assessment,
    IndicatorSeries,
    Light,
    LightResult,
    Measurement,
    Status,
    assess,
    combined_light,
    parse_status,
    traffic_light,
    worst,
)

TODAY = date(2026, 3, 1)


def places(*values: tuple[date, int], target: int = 180, baseline: int = 120) -> IndicatorSeries:
    return IndicatorSeries(
        name="Ausbildungsplätze",
        unit="Plätze",
        baseline_value=Decimal(baseline),
        baseline_date=date(2024, 1, 1),
        target_value=Decimal(target),
        target_date=date(2026, 12, 31),
        measurements=tuple(Measurement(day, Decimal(value)) for day, value in values),
    )


# --- statuses ----------------------------------------------------------------------------------


def test_the_six_statuses_of_the_issue_in_german():
    assert [STATUS_GERMAN[s] for s in Status] == [
        "offen",
        "in Planung",
        "in Umsetzung",
        "umgesetzt",
        "zurückgestellt",
        "verworfen",
    ]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("offen", Status.OPEN),
        ("In Planung", Status.PLANNED),
        ("in  umsetzung", Status.IN_PROGRESS),
        ("UMGESETZT", Status.IMPLEMENTED),
        ("zurückgestellt", Status.DEFERRED),
        ("zurueckgestellt", Status.DEFERRED),
        ("verworfen", Status.REJECTED),
        ("in_progress", Status.IN_PROGRESS),
        ("being implemented", Status.IN_PROGRESS),
        ("implemented", Status.IMPLEMENTED),
    ],
)
def test_status_is_read_in_german_english_or_as_code(text, status):
    assert parse_status(text) is status


@pytest.mark.parametrize("text", ["", "fertig", "umgesetz", "ja"])
def test_unknown_status_is_none(text):
    assert parse_status(text) is None


# --- indicators ----------------------------------------------------------------------------------


def test_indicator_without_target_is_not_assessed():
    series = IndicatorSeries(name="Bedarfsanalyse", measurements=(Measurement(TODAY, Decimal(1)),))
    assert assess(series, TODAY).assessment is Assessment.NO_TARGET


def test_indicator_without_values_has_no_data_until_its_target_date():
    assert assess(places(), TODAY).assessment is Assessment.NO_DATA
    assert assess(places(), date(2027, 1, 1)).assessment is Assessment.BEHIND


def test_progress_is_the_share_of_the_way_and_expected_the_share_of_the_time():
    result = assess(places((date(2025, 7, 2), 150)), TODAY)
    assert result.progress == Decimal("0.5")
    assert result.expected == Decimal(548) / Decimal(1095)
    assert result.assessment is Assessment.ON_TRACK  # 50 % done, 50 % of the time passed


def test_indicator_lagging_more_than_ten_points_is_behind():
    # two thirds of the time passed, one third of the way done
    assert assess(places((date(2026, 1, 1), 140)), TODAY).assessment is Assessment.BEHIND


def test_reached_target_and_missed_target():
    assert assess(places((date(2025, 1, 1), 185)), TODAY).assessment is Assessment.REACHED
    late = places((date(2026, 12, 1), 170))
    assert assess(late, date(2027, 1, 15)).assessment is Assessment.MISSED


def test_falling_indicator_counts_progress_downwards():
    waiting = places(
        (date(2025, 7, 2), 90), baseline=120, target=60
    )  # waiting list: less is better
    result = assess(waiting, TODAY)
    assert result.progress == Decimal("0.5")
    assert result.assessment is Assessment.ON_TRACK


def test_values_after_the_day_are_ignored():
    series = places((date(2025, 1, 1), 130), (date(2026, 6, 1), 185))
    assert assess(series, TODAY).latest == Measurement(date(2025, 1, 1), Decimal(130))
    assert assess(series, date(2026, 6, 1)).assessment is Assessment.REACHED


# --- the traffic light ---------------------------------------------------------------------------


def light(status: Status, due: date | None = None, *indicators) -> LightResult:
    return traffic_light(status=status, due=due, today=TODAY, indicators=indicators)


def test_rejected_is_red():
    assert light(Status.REJECTED).light is Light.RED


def test_overdue_is_red_unless_implemented_deferred_or_rejected():
    yesterday = TODAY - timedelta(days=1)
    for status in (Status.OPEN, Status.PLANNED, Status.IN_PROGRESS):
        result = light(status, yesterday)
        assert result.light is Light.RED
        assert result.reasons[0].msgid == "overdue since %(date)s"
        assert result.reasons[0].params == {"date": yesterday}
    assert light(Status.IMPLEMENTED, yesterday).light is Light.GREEN
    assert light(Status.DEFERRED, yesterday).light is Light.AMBER


def test_open_is_amber_not_started():
    result = light(Status.OPEN)
    assert (result.light, [r.msgid for r in result.reasons]) == (Light.AMBER, ["not started"])


def test_due_soon_is_amber():
    assert light(Status.IN_PROGRESS, TODAY + timedelta(days=DUE_SOON_DAYS - 1)).light is Light.AMBER
    assert light(Status.IN_PROGRESS, TODAY + timedelta(days=DUE_SOON_DAYS)).light is Light.GREEN


def test_in_time_and_implemented_are_green():
    assert light(Status.IN_PROGRESS, TODAY + timedelta(days=90)).light is Light.GREEN
    assert light(Status.PLANNED).light is Light.GREEN
    assert light(Status.IMPLEMENTED).reasons[0].msgid == "implemented"


def test_indicator_behind_is_amber_and_missed_is_red_even_when_implemented():
    behind = assess(places((date(2026, 1, 1), 140)), TODAY)
    missed = assess(places((date(2026, 12, 1), 170)), date(2027, 1, 15))
    assert light(Status.IMPLEMENTED, None, ("Plätze", behind)).light is Light.AMBER
    assert light(Status.IMPLEMENTED, None, ("Plätze", missed)).light is Light.RED
    assert light(Status.IMPLEMENTED, None, ("Plätze", missed)).reasons[0].params == {
        "indicator": "Plätze"
    }


def test_every_reason_is_kept():
    behind = assess(places((date(2026, 1, 1), 140)), TODAY)
    result = light(Status.OPEN, TODAY - timedelta(days=3), ("Plätze", behind))
    assert result.light is Light.RED
    assert [r.msgid for r in result.reasons] == [
        "overdue since %(date)s",
        "not started",
        "indicator “%(indicator)s” is behind schedule",
    ]


def test_combined_light_is_the_worst_with_its_reasons():
    green, amber = light(Status.PLANNED), light(Status.OPEN)
    assert combined_light([green, amber], fallback=green) == amber
    assert combined_light([], fallback=amber) == amber


@given(st.lists(st.sampled_from(list(Light))))
def test_worst_is_never_better_than_any(lights):
    result = worst(lights)
    if not lights:
        assert result is None
    else:
        assert all(result.rank >= other.rank for other in lights)


@given(
    st.sampled_from(list(Status)),
    st.one_of(st.none(), st.integers(min_value=-400, max_value=400)),
)
def test_light_always_has_a_reason_and_rejected_is_always_red(status, offset):
    due = None if offset is None else TODAY + timedelta(days=offset)
    result = light(status, due)
    assert result.reasons
    if status is Status.REJECTED:
        assert result.light is Light.RED
    if status is Status.IMPLEMENTED:
        assert result.light is Light.GREEN
