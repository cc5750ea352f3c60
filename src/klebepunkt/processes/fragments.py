"""Rendered fragments of the clustering board and of the answer to a dot click, kept in memory
under a hash of what they show.

A goal of the board (its cards, select boxes and tools) is rendered once and then taken from
here until anything it shows changes: the key is a SHA-256 of the template's name, the
language and the ``repr`` of every value the fragment is given (the presenter's frozen
dataclasses of plain values), so a changed card, goal, count or page is a different key and a
fragment is never stale. Nothing has to be cleared when something is written. The request's
CSRF token is the only per-request part: a fragment is rendered with a placeholder that is
replaced on the way out. The store is per process (a template changes only with a restart) and
bounded in characters; the least recently used fragments go first.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from klebepunkt.processes.lru import Lru

BUDGET = 32_000_000  # characters of rendered HTML kept per process
_CSRF = f"kp-csrf-{secrets.token_hex(16)}"  # unguessable: stands for the request's token


class FragmentStore(Lru[str]):
    """Rendered HTML by key, bounded in characters."""

    def __init__(self, budget: int) -> None:
        super().__init__(budget, size=len)


store = FragmentStore(BUDGET)


def render_fragment(template_name: str, csrf_token: str, **values: Any) -> SafeString:
    """``template_name`` rendered with ``values`` (plain values with a complete ``repr``),
    from the store when it was rendered before with the same values."""
    key = hashlib.sha256(
        repr((template_name, get_language(), sorted(values.items()))).encode()
    ).hexdigest()
    html = store.get(key)
    if html is None:
        html = get_template(template_name).render({**values, "csrf_token": _CSRF})
        store.put(key, html)
    return mark_safe(html.replace(_CSRF, csrf_token))  # noqa: S308 - rendered by the template
