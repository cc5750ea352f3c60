"""The WSGI application that gunicorn serves.

In front of Django sits one fast path: a projector polling its round's live fragment
by the secret link is answered from the shared cache when the fragment is fresh
(rendered less than a second ago) — 304 when it already has it — without the
middleware, URL resolution and database work of a full request, but with the same
security headers (``web.headers.SECURITY_HEADERS``, and HSTS over HTTPS in production).
Everything else, and every poll that finds no fresh fragment, goes to Django.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klebepunkt.web.settings")
django_application = get_wsgi_application()

from klebepunkt.web.headers import SECURITY_HEADERS  # noqa: E402  (after Django is set up)

PROJECTOR_LIVE = re.compile(r"^/projector/([A-Za-z0-9_-]{8,64})/live/$")
HEADERS = [("Cache-Control", "no-cache, private"), *SECURITY_HEADERS]


def _headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    """The fast path's headers: those of every response, and HSTS when Django would send it."""
    seconds = getattr(settings, "SECURE_HSTS_SECONDS", 0)
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    secure = environ.get("wsgi.url_scheme") == "https" or bool(
        proxy and environ.get(proxy[0]) == proxy[1]
    )
    if not (seconds and secure):
        return HEADERS
    value = f"max-age={seconds}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return [*HEADERS, ("Strict-Transport-Security", value)]


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    match = PROJECTOR_LIVE.match(environ.get("PATH_INFO", ""))
    if match and environ.get("REQUEST_METHOD") == "GET":
        from klebepunkt.voting import projector_cache

        entry = projector_cache.cached(match.group(1))
        if entry is not None:
            etag, body = entry
            if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
                start_response("304 Not Modified", [("ETag", etag), *_headers(environ)])
                return [b""]
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("ETag", etag),
                    *_headers(environ),
                ],
            )
            return [body]
    return django_application(environ, start_response)
