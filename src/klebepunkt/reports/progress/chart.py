"""An indicator's course as inline SVG: measured values against baseline, plan and target.

Generated in Python from the series, no JavaScript. The measured values are a
solid line with round markers, the plan a dashed line from the baseline (a
square) to the target (a diamond); shapes and line styles, not colours alone,
tell them apart, and a legend names them. The SVG is ``role="img"`` with its
``<title>`` and ``<desc>``; the page shows the same values as a table and a
sentence next to it (the text alternative). Every text is escaped. The same
SVG serves the web page and, later, the PDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from html import escape

from klebepunkt.domain.formatting import format_date, format_number
from klebepunkt.domain.monitoring import IndicatorSeries

WIDTH = 640
HEIGHT = 300
LEFT = 72
RIGHT = WIDTH - 24
TOP = 28
BOTTOM = 216
FONT = "system-ui, DejaVu Sans, Liberation Sans, sans-serif"
INK = "#1c1917"
GRID = "#d6d3d1"
MEASURED = "#1d4ed8"
PLAN = "#57534e"
TARGET = "#166534"
MAX_VALUE_LABELS = 12


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """The words of the chart, already in the reader's language."""

    measured: str
    plan: str
    baseline: str
    target: str
    no_values: str


def _nice_step(span: float) -> float:
    raw = span / 5 if span > 0 else 1.0
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _ticks(low: float, high: float) -> list[float]:
    step = _nice_step(high - low)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _date_ticks(first: date, last: date) -> list[date]:
    years = range(first.year + 1, last.year + 1)
    ticks = [date(year, 1, 1) for year in years]
    if len(ticks) > 8:
        ticks = ticks[:: math.ceil(len(ticks) / 8)]
    return [first, *[t for t in ticks if (t - first).days > 45 and (last - t).days > 45], last]


def indicator_chart_svg(
    series: IndicatorSeries,
    *,
    labels: ChartLabels,
    title: str,
    description: str,
    language: str = "de",
    id_prefix: str = "chart",
) -> str:
    """The SVG markup of one indicator's chart (safe to insert into HTML as it is)."""
    points = [(m.date, m.value) for m in series.ordered()]
    dates = [d for d, _ in points]
    values = [v for _, v in points]
    if series.baseline_date is not None and series.baseline_value is not None:
        dates.append(series.baseline_date)
        values.append(series.baseline_value)
    if series.target_date is not None and series.target_value is not None:
        dates.append(series.target_date)
        values.append(series.target_value)
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'font-family="{FONT}" font-size="12">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    if not dates:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="{INK}">'
            f"{escape(labels.no_values)}</text></svg>"
        )
        return "".join(parts)
    first, last = min(dates), max(dates)
    if first == last:
        first, last = first - timedelta(days=30), last + timedelta(days=30)
    low, high = float(min(values)), float(max(values))
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    ticks = _ticks(max(low - pad, 0.0) if low >= 0 else low - pad, high + pad)
    low, high = ticks[0], ticks[-1]

    def x(day: date) -> float:
        return round(LEFT + (day - first).days / (last - first).days * (RIGHT - LEFT), 1)

    def y(value: Decimal | float) -> float:
        return round(BOTTOM - (float(value) - low) / (high - low) * (BOTTOM - TOP), 1)

    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" y1="{y(tick)}" x2="{RIGHT}" y2="{y(tick)}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4}" text-anchor="end" fill="{INK}">'
            f"{escape(format_number(Decimal(str(tick)), language))}</text>"
        )
    date_ticks = _date_ticks(first, last)
    for index, tick_date in enumerate(date_ticks):
        anchor = "start" if index == 0 else "end" if index == len(date_ticks) - 1 else "middle"
        parts.append(
            f'<line x1="{x(tick_date)}" y1="{BOTTOM}" x2="{x(tick_date)}" y2="{BOTTOM + 5}" '
            f'stroke="{INK}"/><text x="{x(tick_date)}" y="{BOTTOM + 19}" text-anchor="{anchor}" '
            f'fill="{INK}">{escape(format_date(tick_date, language))}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="{INK}"/>'
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{BOTTOM}" stroke="{INK}"/>'
    )
    if series.has_target:
        assert series.baseline_date is not None
        assert series.target_date is not None
        assert series.baseline_value is not None
        assert series.target_value is not None
        parts.append(
            f'<line x1="{x(series.baseline_date)}" y1="{y(series.baseline_value)}" '
            f'x2="{x(series.target_date)}" y2="{y(series.target_value)}" stroke="{PLAN}" '
            'stroke-width="2" stroke-dasharray="7 5"/>'
        )
    if series.baseline_date is not None and series.baseline_value is not None:
        bx, by = x(series.baseline_date), y(series.baseline_value)
        parts.append(
            f'<rect x="{bx - 5}" y="{by - 5}" width="10" height="10" fill="#fff" '
            f'stroke="{PLAN}" stroke-width="2"/>'
        )
    if series.target_date is not None and series.target_value is not None:
        tx, ty = x(series.target_date), y(series.target_value)
        parts.append(
            f'<path d="M{tx} {ty - 8} L{tx + 8} {ty} L{tx} {ty + 8} L{tx - 8} {ty} Z" '
            f'fill="{TARGET}" stroke="{TARGET}"/>'
            f'<text x="{tx - 12}" y="{ty - 10}" text-anchor="end" font-weight="bold" '
            f'fill="{TARGET}">{escape(labels.target)}: '
            f"{escape(format_number(series.target_value, language))}</text>"
        )
    if points:
        path = " ".join(f"{x(d)},{y(v)}" for d, v in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{MEASURED}" stroke-width="3"/>'
        )
        for d, v in points:
            parts.append(f'<circle cx="{x(d)}" cy="{y(v)}" r="5" fill="{MEASURED}"/>')
        if len(points) <= MAX_VALUE_LABELS:
            for d, v in points:
                parts.append(
                    f'<text x="{x(d)}" y="{y(v) - 10}" text-anchor="middle" font-weight="bold" '
                    f'fill="{MEASURED}">{escape(format_number(v, language))}</text>'
                )
    legend_y = HEIGHT - 22
    parts.append(
        f'<line x1="{LEFT}" y1="{legend_y}" x2="{LEFT + 28}" y2="{legend_y}" '
        f'stroke="{MEASURED}" stroke-width="3"/>'
        f'<circle cx="{LEFT + 14}" cy="{legend_y}" r="5" fill="{MEASURED}"/>'
        f'<text x="{LEFT + 34}" y="{legend_y + 4}" fill="{INK}">{escape(labels.measured)}</text>'
        f'<line x1="{LEFT + 150}" y1="{legend_y}" x2="{LEFT + 178}" y2="{legend_y}" '
        f'stroke="{PLAN}" stroke-width="2" stroke-dasharray="7 5"/>'
        f'<text x="{LEFT + 184}" y="{legend_y + 4}" fill="{INK}">{escape(labels.plan)}</text>'
        f'<rect x="{LEFT + 300}" y="{legend_y - 5}" width="10" height="10" fill="#fff" '
        f'stroke="{PLAN}" stroke-width="2"/>'
        f'<text x="{LEFT + 316}" y="{legend_y + 4}" fill="{INK}">{escape(labels.baseline)}</text>'
        f'<path d="M{LEFT + 440} {legend_y - 7} L{LEFT + 447} {legend_y} L{LEFT + 440} '
        f'{legend_y + 7} L{LEFT + 433} {legend_y} Z" fill="{TARGET}"/>'
        f'<text x="{LEFT + 453}" y="{legend_y + 4}" fill="{INK}">{escape(labels.target)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
