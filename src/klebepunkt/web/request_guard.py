"""Requests with a NUL character are refused before any view, form or query sees them.

PostgreSQL refuses NUL in a text value, so ``/projector/%00/`` used to reach the
database as a token and answer 500 there (SQLite took it and found nothing). No
path, query parameter, form field or cookie of this app has a use for NUL, so the
request is refused as a whole with 400 (the "bad request" page), the same on both
databases. The forms keep Django's own NUL validator on every text field as the
second line; uploaded files are left alone (a workbook is binary).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse

NUL = "\x00"


class NullCharacterInRequest(SuspiciousOperation):
    """A NUL character in the path, a parameter, a form field or a cookie (answered with 400)."""


def _has_nul(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


def has_null_character(request: HttpRequest) -> bool:
    """True when anything the app reads from the request holds a NUL character."""
    if NUL in request.path or NUL in request.path_info:
        return True
    if _has_nul(request.GET.lists()) or _has_nul(
        (key, [value]) for key, value in request.COOKIES.items()
    ):
        return True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return _has_nul(request.POST.lists()) or any(NUL in name for name in request.FILES)
    return False


class RefuseNullCharactersMiddleware:
    """Answers 400 to a request with NUL anywhere the app would read it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_null_character(request):
            raise NullCharacterInRequest("NUL character in the request")
        return self.get_response(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page in the language the request asks for (its language cookie, else its
    browser's): this middleware refuses before ``LocaleMiddleware`` has chosen one, and the
    thread would otherwise answer in the language of whatever request it served last."""
    from django.utils import translation
    from django.views import defaults

    with translation.override(translation.get_language_from_request(request)):
        return defaults.bad_request(request, exception)
