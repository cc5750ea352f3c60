"""The steps every way in from a phone shares: the voting round's and the card collection's.

Wrong codes are rate-limited per client address and per code prefix (the first three
characters of the typed code) or, when picking up, per round or collection: a room behind
one NAT shares the address, so its limit leaves room for a typo on every phone, while
guesses at one prefix or one round are cut short from any number of addresses. The
confirmation of a QR code's link (``confirm_code``) and the self-service pick-up of one's
own entry (``pick_up``) are written once here; the apps hand in how they find, join and
show their own kind of person (a ``Voter``, a ``Participant``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_ratelimit.core import get_usage

from klebepunkt.processes.params import object_id
from klebepunkt.voting import codes, identity

# Wrong codes per ten minutes; the next attempt is refused (HTTP 429), the right code too.
WRONG_CODES_PER_ADDRESS = 50  # a room of phones behind one NAT: a typo on each of fifty
WRONG_CODES_PER_PREFIX = 10  # codes that begin alike (or a round code), from any address
WRONG_PICKS_PER_ROUND = 30  # picking up entries that are not available, in one round
PREFIX_LENGTH = 3  # the first group of ABC-DEF-GHJ: 31³ prefixes
WINDOW = "10m"

Person = TypeVar("Person")


def back_to_join(
    *, htmx: bool = False, forget: Callable[[HttpResponse], None] = identity.forget
) -> HttpResponse:
    """To the join page with the phone's cookie forgotten (``forget``: the voter's, or the
    collection's participant's); an htmx request is sent there by ``HX-Redirect``."""
    if htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("voting:join")
    else:
        response = redirect("voting:join")
    forget(response)
    return response


def code_scope(kind: str, typed: str) -> str:
    """The counter a wrong code goes to besides its address: ``code:ABC`` for a personal code
    beginning ABC, ``round-code:XYZ`` for a round code."""
    return f"{kind}:{codes.normalise_code(typed)[:PREFIX_LENGTH]}"


def limited(request: HttpRequest, *, scope: str, count: bool) -> bool:
    """Too many wrong codes from this address, or for this prefix or round (``scope``)?
    ``count`` records one more wrong code in both."""
    limits = (
        ("voting-code", "ip", WRONG_CODES_PER_ADDRESS),
        (
            "voting-code-scope",
            lambda _group, _request: scope,
            WRONG_PICKS_PER_ROUND if scope.startswith("round:") else WRONG_CODES_PER_PREFIX,
        ),
    )
    refused = False
    for group, key, limit in limits:
        usage = get_usage(request, group=group, key=key, rate=f"{limit}/{WINDOW}", increment=count)
        refused = refused or (usage is not None and usage["count"] >= limit)
    return refused


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "voting/too_many.html", status=429)


def confirm_code(
    request: HttpRequest,
    code: str,
    *,
    find: Callable[[str], Person | None],
    join: Callable[[Person], HttpResponse],
    confirm: Callable[[Person], HttpResponse],
    invalid: str,
    unknown: Callable[[], HttpResponse | None] = lambda: None,
) -> HttpResponse:
    """The link in a QR code: a GET shows whom the code is for, a POST joins.

    An unknown code counts as a wrong one, unless ``unknown`` has an answer for it (a round
    that is over); ``invalid`` is the message on the entry page."""
    scope = code_scope("code", code)
    if limited(request, scope=scope, count=False):
        return too_many(request)
    person = find(code)
    if person is None:
        answer = unknown()
        if answer is not None:
            return answer
        limited(request, scope=scope, count=True)
        messages.error(request, invalid)
        return redirect("voting:join")
    if request.method == "POST":
        return join(person)
    return confirm(person)


def pick_up(
    request: HttpRequest,
    *,
    scope: str,
    field: str,
    pages: tuple[str, str],
    context: dict[str, object],
    available: Callable[[], object],
    pick: Callable[[int], Person],
    joined: Callable[[Person, HttpResponse], None],
    code: Callable[[Person], str],
    again: Callable[[], HttpResponse],
) -> HttpResponse:
    """Self-service with a round's or meeting's code: a GET lists the entries still to pick
    up (``available``) on the first of ``pages``; a POST takes the entry named in ``field``
    (``pick``) and shows it with its code once on the second, the phone joined
    (``joined``). A refusal counts as a wrong code of ``scope`` and goes back (``again``)."""
    listing, picked = pages
    if request.method != "POST":
        return render(request, listing, {**context, "available": available()})
    if limited(request, scope=scope, count=False):
        return too_many(request)
    try:
        person = pick(object_id(request.POST.get(field)) or 0)
    except ValidationError as error:
        limited(request, scope=scope, count=True)
        messages.error(request, " ".join(error.messages))
        return again()
    response = render(
        request, picked, {**context, field: person, "code": codes.format_code(code(person))}
    )
    joined(person, response)
    return response
