"""Dates at the calendar's ends: refused on the way in, and harmless when stored anyway.

Found by the probe of issue 18: an indicator with a baseline dated 9999-12-31 (or
0001-01-01) was accepted, and from then on the monitoring page, the progress report
(page and PDF) and the public page answered 500 (``OverflowError`` in the chart).
Every form, sheet and process file takes dates from 1900 to 2200 only, with a German
message naming the field; and a value written straight into the database (an old
row, a restored backup) breaks no page. Run on both databases.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from klebepunkt.domain.messages import Location
from klebepunkt.monitoring.models import Indicator, Measurement, ProgressReport, StatusChange
from klebepunkt.process_document import DocumentError, dumps, loads
from klebepunkt.processes.models import Meeting
from klebepunkt.reports.progress.chart import ChartLabels, indicator_chart_svg
from klebepunkt.reports.render import FORMATS as REPORT_FORMATS
from klebepunkt.reports.render import PROGRESS_FORMATS
from klebepunkt.samples import load_sample
from klebepunkt.sheets.errors import SheetError
from klebepunkt.sheets.table import parse_date
from tests.security.test_fuzz_forms import GET_ROUTES, ROUTES
from tests.security.world import ANONYMOUS, FACILITATOR, build_world, role_for, url_for

EXTREMES = (dt.date.min, dt.date(1, 1, 2), dt.date(1899, 12, 31), dt.date(2201, 1, 1), dt.date.max)
IN_RANGE = (dt.date(1900, 1, 1), dt.date(2200, 12, 31))


@pytest.fixture
def world(db):
    return build_world()


def _indicator(world) -> Indicator:
    return Indicator.objects.filter(implementation__process=world.process).order_by("pk").first()


# --- on the way in ------------------------------------------------------------------------------


@pytest.mark.parametrize("day", EXTREMES, ids=str)
def test_an_indicator_form_refuses_a_baseline_at_the_calendars_end(world, day):
    indicator = _indicator(world)
    client = world.clients[FACILITATOR]
    url = reverse("monitoring:indicator", args=[world.process.pk, indicator.pk])
    response = client.post(
        url,
        {"name": "Bewerbungen", "baseline_value": "3", "baseline_date": day.isoformat()},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Datum des Ausgangswerts: Bitte ein Datum zwischen dem 01.01.1900 und dem 31.12.2200"
        in page
    )
    indicator.refresh_from_db()
    assert indicator.baseline_date is None


@pytest.mark.parametrize("day", IN_RANGE, ids=str)
def test_an_indicator_form_takes_the_ends_of_the_range(world, day):
    indicator = _indicator(world)
    url = reverse("monitoring:indicator", args=[world.process.pk, indicator.pk])
    world.clients[FACILITATOR].post(
        url, {"name": "Bewerbungen", "baseline_value": "3", "baseline_date": day.isoformat()}
    )
    indicator.refresh_from_db()
    assert indicator.baseline_date == day


def test_a_new_indicator_with_a_target_in_the_year_9999_is_refused(world):
    goal = _indicator(world).implementation.goal
    key = f"Z{goal.pk}-new"
    before = Indicator.objects.count()
    response = world.clients[FACILITATOR].post(
        reverse("monitoring:indicator_add_to_goal", args=[world.process.pk, goal.pk]),
        {f"{key}-name": "Plätze", f"{key}-target_value": "9", f"{key}-target_date": "9999-12-31"},
    )
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Datum des Zielwerts: Bitte ein Datum zwischen" in text for text in texts), texts
    assert Indicator.objects.count() == before


def test_a_value_a_due_date_a_meeting_and_a_report_date_are_checked_too(world):
    client = world.clients[FACILITATOR]
    process = world.process
    indicator = _indicator(world)
    before = Measurement.objects.count()
    response = client.post(
        reverse("monitoring:measurement_add", args=[process.pk, indicator.pk]),
        {f"{indicator.key}-date": "0001-01-01", f"{indicator.key}-value": "1"},
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Datum: Bitte ein Datum zwischen" in text for text in texts), texts
    assert Measurement.objects.count() == before
    meetings = Meeting.objects.count()
    page = client.post(
        reverse("processes:meeting_add", args=[process.pk]), {"date": "9999-12-31"}
    ).content.decode()
    assert "Datum: Bitte ein Datum zwischen dem 01.01.1900 und dem 31.12.2200" in page
    assert Meeting.objects.count() == meetings
    response = client.get(reverse("monitoring:report", args=[process.pk]), {"as_of": "9999-12-31"})
    assert response.status_code == 200
    assert "Stand: Bitte ein Datum zwischen" in response.content.decode()
    download = reverse("monitoring:report_download", args=[process.pk, "pdf"])
    assert client.get(download, {"as_of": "9999-12-31"}).status_code == 404


@pytest.mark.parametrize("text", ["31.12.9999", "0001-01-01", "31.12.1899", "2201-01-01"])
def test_a_status_sheet_refuses_a_date_outside_the_range_naming_its_cell(text):
    where = Location(file="stand.xlsx", row=4, column="Fällig bis")
    with pytest.raises(SheetError) as refused:
        parse_date(text, where)
    assert refused.value.location == where
    assert "01.01.1900 to 31.12.2200" in refused.value.message.msgid
    with pytest.raises(SheetError):
        parse_date(dt.date(9999, 12, 31), where)  # an Excel date cell
    assert parse_date("31.12.2200", where) == dt.date(2200, 12, 31)


def test_a_process_file_with_a_meeting_in_the_year_1_is_refused_naming_the_field():
    document = json.loads(dumps(load_sample("koblenz-2017")))
    document["meetings"][0]["date"] = "0001-01-01"
    with pytest.raises(DocumentError) as refused:
        loads(json.dumps(document).encode(), filename="prozess.json")
    assert refused.value.location.column == "meetings[0].date"
    assert "01.01.1900 to 31.12.2200" in refused.value.message.msgid


# --- stored anyway: no page breaks --------------------------------------------------------------


def _store_extremes(world, low: dt.date, high: dt.date) -> None:
    """Dates at the calendar's ends in every date column, written past the forms."""
    process = world.process
    indicator = _indicator(world)
    Indicator.objects.filter(pk=indicator.pk).update(
        baseline_date=low, baseline_value=Decimal(1), target_date=high, target_value=Decimal(9)
    )
    second = Indicator.objects.create(
        implementation=indicator.implementation,
        name="Nur ein Datum",
        baseline_date=high,
        baseline_value=Decimal(2),
        position=5,
    )
    Measurement.objects.filter(indicator=indicator).update(date=high)
    Measurement.objects.create(indicator=second, date=low, value=Decimal(4))
    StatusChange.objects.create(
        implementation=indicator.implementation, status="planned", due_date=low
    )
    ProgressReport.objects.create(process=process, as_of=high, since=low)
    Meeting.objects.filter(process=process).update(date=high)
    Meeting.objects.create(process=process, date=low)
    process.is_public = True
    process.save(update_fields=["is_public"])


@pytest.mark.parametrize(
    ("low", "high"),
    [(dt.date.min, dt.date.max), (dt.date.max, dt.date.max), (dt.date.min, dt.date.min)],
    ids=["both ends", "9999-12-31", "0001-01-01"],
)
def test_stored_dates_at_the_calendars_ends_break_no_page(world, low, high):
    _store_extremes(world, low, high)
    process = world.process
    failures = []
    for name in GET_ROUTES:
        response = world.clients[role_for(name)].get(url_for(ROUTES[name], world))
        if response.status_code >= 500:
            failures.append((name, response.status_code))
    client = world.clients[FACILITATOR]
    goal = _indicator(world).implementation.goal
    urls = [
        reverse("monitoring:priority", args=[process.pk, goal.pk]),
        reverse("monitoring:report", args=[process.pk]),
        *(reverse("monitoring:report_download", args=[process.pk, f]) for f in PROGRESS_FORMATS),
        *(reverse("processes:export_report", args=[process.pk, f]) for f in REPORT_FORMATS),
        reverse("processes:export_process", args=[process.pk]),
        reverse("monitoring:sheet_export", args=[process.pk, "xlsx"]),
        reverse("monitoring:sheet_export", args=[process.pk, "csv"]),
    ]
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            failures.append((url, response.status_code))
    public = world.clients[ANONYMOUS].get(reverse("monitoring:public", args=[process.pk]))
    if public.status_code != 200:
        failures.append(("public", public.status_code))
    assert not failures


def test_the_chart_draws_a_single_date_at_either_end_of_the_calendar():
    from klebepunkt.domain.monitoring import IndicatorSeries

    labels = ChartLabels("gemessen", "Plan", "Basis", "Ziel", "keine Werte")
    for day in (dt.date.min, dt.date.max):
        series = IndicatorSeries(
            name="x",
            unit="",
            baseline_value=Decimal(1),
            baseline_date=day,
            target_value=None,
            target_date=None,
            measurements=(),
        )
        svg = indicator_chart_svg(series, labels=labels, title="t", description="d")
        assert svg.startswith("<svg") and svg.endswith("</svg>")
