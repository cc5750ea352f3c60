"""A chart of goal points against the threshold, as SVG for the PDF.

One horizontal bar per goal, the threshold as a dashed vertical line, every bar
labelled with its goal and its points. Priorities are solid and their labels
bold; goals below the threshold are light and outlined, so the difference does
not rest on colour alone. The SVG carries its text alternative as ``<title>``
(WeasyPrint turns it into the figure's /Alt in the tagged PDF). Every text is
escaped.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from klebepunkt.reports.content import Chart, ChartBar
from klebepunkt.reports.labels import ReportLabels

WIDTH = 640
LABEL_WIDTH = 300
BAR_LEFT = LABEL_WIDTH + 10
BAR_RIGHT = WIDTH - 40
BAR_HEIGHT = 16
ROW_HEIGHT = 24
TOP = 34
LEGEND_HEIGHT = 30
LEGEND_LEFT = 20
LABEL_CHARS = 44
FONT = "Liberation Sans, DejaVu Sans, sans-serif"
PRIORITY_FILL = "#1f4e79"
OTHER_FILL = "#dce6f0"
INK = "#1a1a1a"
BARS_PER_CHART = 28  # more bars would not fit on one page with the caption


def chunks(bars: tuple[ChartBar, ...]) -> list[tuple[ChartBar, ...]]:
    """The bars in page-sized pieces (one piece per SVG)."""
    return [bars[i : i + BARS_PER_CHART] for i in range(0, len(bars), BARS_PER_CHART)] or [()]


def _label(bar: ChartBar) -> str:
    text = " ".join(bar.goal.split())
    if len(text) > LABEL_CHARS:
        text = text[: LABEL_CHARS - 1].rstrip() + "…"
    return f"{bar.nr or '–'}  {text}"


def _ticks(scale_max: int) -> list[int]:
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if scale_max / s <= 10)
    return list(range(0, scale_max + 1, step))


def chart_svg(
    chart: Chart, bars: tuple[ChartBar, ...], labels: ReportLabels, *, description: str
) -> Markup:
    """One SVG for ``bars`` (all of the chart's bars, or one page-sized piece of them)."""
    scale = (BAR_RIGHT - BAR_LEFT) / max(chart.scale_max, 1)
    height = TOP + len(bars) * ROW_HEIGHT + 24 + LEGEND_HEIGHT

    def x(points: int) -> float:
        return round(BAR_LEFT + points * scale, 2)

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" font-family="{FONT}" font-size="11">',
        f"<title>{escape(description)}</title>",
    ]
    axis_bottom = TOP + len(bars) * ROW_HEIGHT
    for tick in _ticks(chart.scale_max):
        parts.append(
            f'<line x1="{x(tick)}" y1="{TOP - 4}" x2="{x(tick)}" y2="{axis_bottom}" '
            'stroke="#c8c8c8" stroke-width="0.5"/>'
            f'<text x="{x(tick)}" y="{axis_bottom + 14}" text-anchor="middle" '
            f'fill="{INK}">{tick}</text>'
        )
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        text_y = y + BAR_HEIGHT - 4
        weight = "bold" if bar.is_priority else "normal"
        fill = PRIORITY_FILL if bar.is_priority else OTHER_FILL
        parts.append(
            f'<text x="{LABEL_WIDTH}" y="{text_y}" text-anchor="end" font-weight="{weight}" '
            f'fill="{INK}">{escape(_label(bar))}</text>'
            f'<rect x="{BAR_LEFT}" y="{y}" width="{max(x(bar.points) - BAR_LEFT, 0)}" '
            f'height="{BAR_HEIGHT}" fill="{fill}" stroke="{PRIORITY_FILL}" stroke-width="1"/>'
            f'<text x="{x(bar.points) + 5}" y="{text_y}" font-weight="{weight}" '
            f'fill="{INK}">{bar.points}</text>'
        )
    threshold_x = x(chart.threshold)
    # The label runs to the left of the line when the line sits in the right half.
    right_half = threshold_x > (BAR_LEFT + BAR_RIGHT) / 2
    anchor, label_x = ("end", threshold_x + 4) if right_half else ("start", threshold_x - 4)
    parts.append(
        f'<line x1="{threshold_x}" y1="{TOP - 10}" x2="{threshold_x}" y2="{axis_bottom}" '
        'stroke="#b00020" stroke-width="2" stroke-dasharray="6 3"/>'
        f'<text x="{label_x}" y="{TOP - 14}" text-anchor="{anchor}" font-weight="bold" '
        f'fill="#b00020">{escape(labels.threshold_line)}</text>'
    )
    legend_y = axis_bottom + 34
    parts.append(
        f'<rect x="{LEGEND_LEFT}" y="{legend_y - 10}" width="14" height="10" '
        f'fill="{PRIORITY_FILL}" stroke="{PRIORITY_FILL}"/>'
        f'<text x="{LEGEND_LEFT + 20}" y="{legend_y}" font-weight="bold" fill="{INK}">'
        f"{escape(labels.priority)}</text>"
        f'<rect x="{LEGEND_LEFT + 150}" y="{legend_y - 10}" width="14" height="10" '
        f'fill="{OTHER_FILL}" stroke="{PRIORITY_FILL}"/>'
        f'<text x="{LEGEND_LEFT + 170}" y="{legend_y}" fill="{INK}">'
        f"{escape(labels.below_threshold)}</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
