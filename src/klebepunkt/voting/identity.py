"""Which voter a phone is: a signed cookie with the voter's id and their code's fingerprint.

No account and no session row: the cookie is signed with the secret key, so any app
process can check it; a reissued code changes the fingerprint and logs out every
device that joined with the old one. The card collection's participant cookie
(``collection.identity``) is another ``PhoneCookie``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core import signing
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from klebepunkt.processes.params import object_id

MAX_AGE = 60 * 60 * 24  # a day: longer than any meeting

Person = TypeVar("Person", bound=Model)


@dataclass(frozen=True)
class PhoneCookie:
    """A signed cookie naming who a phone joined as: an id and their code's fingerprint."""

    name: str
    salt: str

    def remember(self, response: HttpResponse, person_id: int, fingerprint: str) -> None:
        response.set_signed_cookie(
            self.name,
            f"{person_id}:{fingerprint}",
            salt=self.salt,
            max_age=MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )

    def forget(self, response: HttpResponse) -> None:
        response.delete_cookie(self.name, samesite="Lax")

    def read(self, request: HttpRequest) -> tuple[int, str] | None:
        """The id and fingerprint the cookie names, if it is signed and well formed."""
        try:
            value = request.get_signed_cookie(self.name, salt=self.salt, max_age=MAX_AGE)
        except (KeyError, signing.BadSignature):
            return None
        raw_id, _sep, fingerprint = (value or "").partition(":")
        person_id = object_id(raw_id)
        if person_id is None or not fingerprint:
            return None
        return person_id, fingerprint

    def holder(
        self, request: HttpRequest, people: QuerySet[Person], fingerprint: Callable[[Person], str]
    ) -> Person | None:
        """The one of ``people`` the cookie names, while ``fingerprint`` of them (of their
        current code) is still the one the cookie holds."""
        found = self.read(request)
        if found is None:
            return None
        person_id, held = found
        person = people.filter(pk=person_id).first()
        if person is None or fingerprint(person) != held:
            return None
        return person


VOTER = PhoneCookie(name="klebepunkt_voter", salt="klebepunkt.voter")
COOKIE = VOTER.name
SALT = VOTER.salt
remember = VOTER.remember
forget = VOTER.forget
voter_identity = VOTER.read
