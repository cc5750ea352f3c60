"""Dates, numbers and messages for people, in the report's language (no Django needed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from klebepunkt.domain.messages import Message

Translate = Callable[[str], str]


def format_date(value: date | None, language: str = "de") -> str:
    """31.12.2026 in German, 2026-12-31 in English (unambiguous for both readers)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if language == "de":
        return f"{value:%d.%m.%Y}"
    return value.isoformat()


def format_number(value: Decimal | int | float | None, language: str = "de") -> str:
    """A number as written in the language: 1.234,5 in German, 1,234.5 in English.

    Trailing zeros of the stored decimal places are dropped (12.5000 → 12,5).
    """
    if value is None:
        return ""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if number == number.to_integral_value():
        text = f"{number.to_integral_value():,.0f}"
    else:
        text = f"{number.normalize():,f}"
    if language == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_percent(share: Decimal | None, language: str = "de") -> str:
    if share is None:
        return ""
    percent = (share * 100).quantize(Decimal(1))
    return f"{format_number(percent, language)} %" if language == "de" else f"{percent}%"


def render_message(message: Message, translate: Translate, language: str = "de") -> str:
    """A domain message with its dates and numbers written for the language."""
    params = {
        name: format_date(value, language)
        if isinstance(value, date)
        else format_number(value, language)
        if isinstance(value, Decimal)
        else value
        for name, value in message.params.items()
    }
    return Message(message.msgid, params).render(translate)
