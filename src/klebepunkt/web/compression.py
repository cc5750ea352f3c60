"""Compressed answers for the big pages of a process, and for no other.

The board of a process with 1,000 cards is about 800 kB of HTML, its result page and public
page 430–490 kB: on a town hall's Wi-Fi or a phone's data a facilitator's every move on the
board waited for the whole board. Compressed they are 15–26 kB (gzip, 1–4 ms of CPU).

Compression next to a secret lets an attacker who can add text to the same answer and watch
its length guess the secret (BREACH). So only the views listed in :data:`COMPRESSED_VIEWS`
are compressed: pages that show no code, token or link with a code in it, only Django's CSRF
token, which Django masks anew for every answer. Django's GZipMiddleware also pads every
compressed answer by a random length ("Heal the BREACH"). The pages with codes (code sheets,
the voter's and the collection's phone pages, the projector, invitations) and everything
else stay as they are; ``tests/web/test_compression.py`` requests every route of the app as
every role and checks that nothing else is compressed and no compressed answer holds a code.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# the views (namespace:name) whose answers are compressed for a client that accepts gzip
COMPRESSED_VIEWS = frozenset(
    {
        "processes:cards",
        "processes:board",
        "processes:board_assign",  # a move on the board answers with the board
        "processes:goal_add",
        "processes:goal_edit",
        "processes:goal_merge",
        "processes:goal_split",
        "processes:goal_delete",
        "processes:result",
        "monitoring:archive",
        "monitoring:public",
    }
)


class CompressBigPagesMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for the views of :data:`COMPRESSED_VIEWS` only."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        match = request.resolver_match
        if match is None or match.view_name not in COMPRESSED_VIEWS:
            return response
        return super().process_response(request, response)
