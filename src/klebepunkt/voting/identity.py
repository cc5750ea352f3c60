"""Which voter a phone is: a signed cookie with the voter's id and their code's fingerprint.

No account and no session row: the cookie is signed with the secret key, so any app
process can check it; a reissued code changes the fingerprint and logs out every
device that joined with the old one.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from klebepunkt.processes.params import object_id

COOKIE = "klebepunkt_voter"
SALT = "klebepunkt.voter"
MAX_AGE = 60 * 60 * 24  # a day: longer than any meeting


def remember(response: HttpResponse, voter_id: int, fingerprint: str) -> None:
    response.set_signed_cookie(
        COOKIE,
        f"{voter_id}:{fingerprint}",
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def voter_identity(request: HttpRequest) -> tuple[int, str] | None:
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    raw_id, _sep, fingerprint = (value or "").partition(":")
    voter_id = object_id(raw_id)
    if voter_id is None or not fingerprint:
        return None
    return voter_id, fingerprint
