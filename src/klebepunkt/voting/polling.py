"""The parts of a page that phones and projectors poll every second (live wall, projector).

A poll that sends the current ETag back gets an empty 304; the answer is never kept by a
proxy or the browser without asking (``no-cache, private``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def polled(
    request: HttpRequest, etag: str, body: Callable[[], HttpResponse | bytes | str]
) -> HttpResponse:
    """304 when the poll has ``etag`` already, else what ``body`` makes; with the ETag."""
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        made = body()
        response = made if isinstance(made, HttpResponse) else HttpResponse(made)
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True, private=True)
    return response
