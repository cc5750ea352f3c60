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
    identity = PARTICIPANT.read(request)
    if identity is None:
        return None
    participant_id, fingerprint = identity
    participant = (
        Participant.objects.select_related("meeting", "meeting__process", "member")
        .filter(pk=participant_id, revoked_at=None)
        .first()
    )
    if participant is None or code_fingerprint(participant.code) != fingerprint:
        return None
    return participant
