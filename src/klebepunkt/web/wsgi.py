"""The WSGI application that gunicorn serves.

In front of Django sits one fast path: a projector polling its round's live fragment
by the secret link is answered from the shared cache when the fragment is fresh
(rendered less than a second ago) — 304 when it already has it — without the
middleware, URL resolution and database work of a full request. Everything else,
and every poll that finds no fresh fragment, goes to Django.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klebepunkt.web.settings")
django_application = get_wsgi_application()

PROJECTOR_LIVE = re.compile(r"^/projector/([A-Za-z0-9_-]{8,64})/live/$")
HEADERS = [
    ("Cache-Control", "no-cache, private"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
]


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    match = PROJECTOR_LIVE.match(environ.get("PATH_INFO", ""))
    if match and environ.get("REQUEST_METHOD") == "GET":
        from klebepunkt.voting import projector_cache

        entry = projector_cache.cached(match.group(1))
        if entry is not None:
            etag, body = entry
            if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
                start_response("304 Not Modified", [("ETag", etag), *HEADERS])
                return [b""]
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("ETag", etag),
                    *HEADERS,
                ],
            )
            return [body]
    return django_application(environ, start_response)
