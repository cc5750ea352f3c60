"""Other ways in through the members' entry page, without the voting app importing them.

The card collection registers, when it is installed, how a personal code of a meeting
(``by_code``) and a meeting's code (``by_short_code``) are let in: the members type
them on the same page ``/v/`` as the codes of a round, so one code card and one join
carry a member through the collection and the vote.

The decisions register where a phone goes while a vote of the process is open on the
phones (``open_vote``): the personal code of the dot vote lets the member in to it, even
when its round is over, and the ballot points to it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CodeJoin = Callable[[HttpRequest, str], HttpResponse | None]
ShortCodeJoin = Callable[[str], str | None]  # a meeting code → the URL to continue at
_by_code: list[CodeJoin] = []
_by_short_code: list[ShortCodeJoin] = []
OpenVote = Callable[[int], str | None]  # a process id → the URL of its open vote, if any
_open_votes: list[OpenVote] = []


def register(*, by_code: CodeJoin, by_short_code: ShortCodeJoin) -> None:
    if by_code not in _by_code:
        _by_code.append(by_code)
    if by_short_code not in _by_short_code:
        _by_short_code.append(by_short_code)


def join_by_code(request: HttpRequest, code: str) -> HttpResponse | None:
    """The answer of the first registered way that knows the code, or None."""
    for join in _by_code:
        response = join(request, code)
        if response is not None:
            return response
    return None


def continue_with_short_code(short_code: str) -> str | None:
    for find in _by_short_code:
        url = find(short_code)
        if url is not None:
            return url
    return None


def register_open_vote(find: OpenVote) -> None:
    if find not in _open_votes:
        _open_votes.append(find)


def open_vote(process_id: int) -> str | None:
    """The URL of a vote of the process open on the members' phones, or None."""
    for find in _open_votes:
        url = find(process_id)
        if url is not None:
            return url
    return None
