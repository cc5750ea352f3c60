"""The projector's live part, shared by every poll for a second.

Hundreds of projectors may poll one round every second while members vote. The
fragment they get is the same for all of them, so it is rendered at most about once
a second and kept in the shared cache (Redis when configured, else the database),
keyed by the round's secret projector token. A poll that finds a fresh entry is
answered from it — 304 when the projector has it already — without Django's full
request cycle (see ``web.wsgi``). Hidden counts are never in it: it holds exactly
what the token's view renders.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

FRESH_SECONDS = 1.0  # the projector shows a change within two seconds: one poll interval plus this
PREFIX = "klebepunkt:projector:"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:24] + '"'


def cached(token: str) -> tuple[str, bytes] | None:
    """(ETag, body) of the fragment, if it was rendered less than a second ago."""
    entry = cache.get(PREFIX + token)
    if not entry:
        return None
    rendered_at, etag, body = entry
    if time.time() - rendered_at > FRESH_SECONDS:
        return None
    return etag, body


def store(token: str, body: bytes) -> str:
    etag = etag_of(body)
    cache.set(PREFIX + token, (time.time(), etag, body), timeout=5)
    return etag


def forget(token: str) -> None:
    cache.delete(PREFIX + token)
