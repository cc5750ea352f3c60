"""Template filters for domain values."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from klebepunkt.domain import Message

register = template.Library()


@register.filter
def render_message(message: Message) -> str:
    """A domain message in the active language (escaped by the template as usual)."""
    return message.render(gettext)
