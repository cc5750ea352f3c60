"""The clustering board's fragments, rendered once per content (``processes/fragments.py``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from klebepunkt.processes.fragments import render_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def board_fragment(context: template.Context, template_name: str, **values: Any) -> SafeString:
    """``{% board_fragment "processes/board_goal.html" g=g page=board.page ... %}``: the
    template with exactly these values (nothing else of the page's context), cached."""
    token = str(context.get("csrf_token") or "")
    unset = token == "NOTPROVIDED"  # noqa: S105 - Django's marker for "no CSRF middleware"
    return render_fragment(template_name, "" if unset else token, **values)
