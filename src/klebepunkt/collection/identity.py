"""Which participant a phone is: a signed cookie with their id and their code's fingerprint.

The same mechanism as the voter's cookie (``voting.identity``): no account, no session
row; a revoked code is checked on every request, and a new code logs out every device.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from klebepunkt.collection.models import Participant
from klebepunkt.voting.identity import MAX_AGE
from klebepunkt.voting.services import code_fingerprint

COOKIE = "klebepunkt_participant"
SALT = "klebepunkt.participant"


def remember(response: HttpResponse, participant: Participant) -> None:
    response.set_signed_cookie(
        COOKIE,
        f"{participant.pk}:{code_fingerprint(participant.code)}",
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def current_participant(request: HttpRequest) -> Participant | None:
    """The participant this phone joined as, while their code is valid; else None."""
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    if value is None:
        return None
    participant_id, _sep, fingerprint = value.partition(":")
    if not participant_id.isdigit() or not fingerprint:
        return None
    participant = (
        Participant.objects.select_related("meeting", "meeting__process", "member")
        .filter(pk=int(participant_id), revoked_at=None)
        .first()
    )
    if participant is None or code_fingerprint(participant.code) != fingerprint:
        return None
    return participant
