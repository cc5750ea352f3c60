"""Which participant a phone is: a signed cookie with their id and their code's fingerprint.

The same mechanism as the voter's cookie (``voting.identity.PhoneCookie``): no account, no
session row; a revoked code is checked on every request, and a new code logs out every device.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from klebepunkt.collection.models import Participant
from klebepunkt.voting.identity import PhoneCookie
from klebepunkt.voting.services import code_fingerprint

PARTICIPANT = PhoneCookie(name="klebepunkt_participant", salt="klebepunkt.participant")
forget = PARTICIPANT.forget


def remember(response: HttpResponse, participant: Participant) -> None:
    PARTICIPANT.remember(response, participant.pk, code_fingerprint(participant.code))


def current_participant(request: HttpRequest) -> Participant | None:
    """The participant this phone joined as, while their code is valid; else None."""
    return PARTICIPANT.holder(
        request,
        Participant.objects.select_related("meeting", "meeting__process", "member").filter(
            revoked_at=None
        ),
        lambda participant: code_fingerprint(participant.code),
    )
