"""Template helpers for monitoring values: lights with icon and words, charts, dates, numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from klebepunkt.domain.formatting import (
    format_date,
    format_number,
    render_message,
)
from klebepunkt.domain.messages import Message
from klebepunkt.domain.monitoring import Assessment, IndicatorSeries, Light, LightResult, Status
from klebepunkt.reports.progress.chart import indicator_chart_svg
from klebepunkt.reports.progress.content import chart_labels, describe_indicator

register = template.Library()

# One shape per light, so the light never rests on colour alone.
ICONS = {
    Light.GREEN: (
        '<svg class="light-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">'
        '<circle cx="10" cy="10" r="9" fill="currentColor"/>'
        '<path d="M5.5 10.5l3 3 6-7" fill="none" stroke="#fff" stroke-width="2.4"/></svg>'
    ),
    Light.AMBER: (
        '<svg class="light-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">'
        '<path d="M10 1.5L19 18H1z" fill="currentColor"/>'
        '<path d="M10 7v5" stroke="#fff" stroke-width="2.4"/>'
        '<circle cx="10" cy="15" r="1.4" fill="#fff"/></svg>'
    ),
    Light.RED: (
        '<svg class="light-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">'
        '<path d="M6 1h8l5 5v8l-5 5H6l-5-5V6z" fill="currentColor"/>'
        '<path d="M6.5 6.5l7 7M13.5 6.5l-7 7" stroke="#fff" stroke-width="2.4"/></svg>'
    ),
}


def _language() -> str:
    return (get_language() or "de")[:2]


@register.simple_tag
def light_badge(light: Light | LightResult, small: bool = False) -> SafeString:
    """The light as icon and word, e.g. ▲ "needs attention"."""
    value = light.light if isinstance(light, LightResult) else Light(light)
    return format_html(
        '<span class="light light-{}{}">{}<span class="light-text">{}</span></span>',
        value.value,
        " light-small" if small else "",
        mark_safe(ICONS[value]),  # noqa: S308 - our own constant markup
        value.label.render(gettext),
    )


@register.filter
def reasons(result: LightResult) -> str:
    language = _language()
    return "; ".join(render_message(reason, gettext, language) for reason in result.reasons)


@register.filter
def msg(message: Message) -> str:
    return render_message(message, gettext, _language())


@register.filter
def status_label(status: Status | str) -> str:
    return Status(status).label.render(gettext)


@register.filter
def assessment_label(assessment: Assessment | str) -> str:
    return Assessment(assessment).label.render(gettext)


@register.filter
def fdate(value: date | None) -> str:
    return format_date(value, _language())


@register.filter
def fnum(value: Decimal | int | None) -> str:
    return format_number(value, _language())


@register.simple_tag
def indicator_chart(series: IndicatorSeries, id_prefix: str, today: date) -> SafeString:
    language = _language()
    svg = indicator_chart_svg(
        series.until(today),
        labels=chart_labels(gettext),
        title=series.name,
        description=describe_indicator(series, today, gettext, language),
        language=language,
        id_prefix=id_prefix,
    )
    return mark_safe(svg)  # noqa: S308 - every text in it is escaped by indicator_chart_svg


@register.simple_tag
def indicator_description(series: IndicatorSeries, today: date) -> str:
    return describe_indicator(series, today, gettext, _language())
