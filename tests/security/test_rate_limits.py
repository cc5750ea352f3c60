"""Rate limits: wrong passwords at every login, wrong codes on every way a member joins.

Logging in: after 10 wrong passwords from one client, or for one user name, within
ten minutes, every further attempt is refused (HTTP 429 with a German message on
the login page), the right password too, on ``/accounts/login/`` and on the admin's
login alike; another client with another name is not affected; after the window
the login works again. Voting codes: wrong codes count the same on the entry page,
through the QR code's link and with the round code, and picking up a code that is
not available counts as well. They count per client address (50: a room of phones
behind one NAT shares it) and per code prefix (10, from any address) or, when picking
up, per round (30); the attempt after the limit is refused on every path.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from klebepunkt.voting import codes, services
from klebepunkt.voting.phone_entry import (
    WRONG_CODES_PER_ADDRESS,
    WRONG_CODES_PER_PREFIX,
    WRONG_PICKS_PER_ROUND,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def clock(rate_limit_clock):
    return rate_limit_clock


def log_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def users(db):
    return UserFactory(username="moderation"), UserFactory(username="beobachtung")


def test_ten_wrong_passwords_then_even_the_right_one_is_refused(users):
    client = Client(REMOTE_ADDR="203.0.113.20")
    for _ in range(10):
        response = log_in(client, "moderation", "falsch")
        assert response.status_code == 200  # the form again, with its error
    refused = log_in(client, "moderation", PASSWORD)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Zu viele falsche Passwörter" in page
    assert "zehn Minuten" in page
    assert not logged_in(client)


def test_the_limit_per_user_name_holds_from_every_client(users):
    for number in range(10):  # a botnet: each wrong password from another address
        log_in(Client(REMOTE_ADDR=f"198.51.100.{number}"), "Moderation ", "falsch")
    fresh = Client(REMOTE_ADDR="198.51.100.200")
    assert log_in(fresh, "moderation", PASSWORD).status_code == 429
    assert not logged_in(fresh)
    other = Client(REMOTE_ADDR="198.51.100.201")  # another user is not affected
    assert log_in(other, "beobachtung", PASSWORD).status_code == 302
    assert logged_in(other)


def test_the_limit_per_client_holds_for_every_user_name(users):
    client = Client(REMOTE_ADDR="203.0.113.30")
    for number in range(10):  # password spraying: one guess per user name
        log_in(client, f"user{number}", "Sommer2024!")
    assert log_in(client, "beobachtung", PASSWORD).status_code == 429
    assert not logged_in(client)


def test_the_admins_login_counts_and_is_refused_alike(users):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR="203.0.113.40")
    for _ in range(10):
        client.post(reverse("admin:login"), {"username": "admin", "password": "falsch"})
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": PASSWORD}, follow=True
    )
    assert not logged_in(client)
    assert response.status_code == 200  # the admin's own form, with its error
    assert admin.check_password(PASSWORD)
    assert log_in(client, "admin", PASSWORD).status_code == 429


def test_after_ten_minutes_the_login_works_again(users, clock):
    client = Client(REMOTE_ADDR="203.0.113.50")
    for _ in range(10):
        log_in(client, "moderation", "falsch")
    assert log_in(client, "moderation", PASSWORD).status_code == 429
    clock.now += 11 * 60
    assert log_in(client, "moderation", PASSWORD).status_code == 302
    assert logged_in(client)


def test_right_passwords_do_not_count(users):
    client = Client(REMOTE_ADDR="203.0.113.60")
    for _ in range(12):
        assert log_in(client, "moderation", PASSWORD).status_code == 302
        client.post(reverse("logout"))
    assert log_in(client, "moderation", PASSWORD).status_code == 302


# --- voting codes: every way of joining counts --------------------------------------------------


@pytest.fixture
def voting_round(koblenz_blank):
    return services.open_round(
        voting_round=services.create_round(process=koblenz_blank, title="Punktabfrage")
    )


def wrong_code(number: int, prefix: str = "") -> str:
    """A code nobody holds: ``prefix`` and then letters from the number (another prefix each)."""
    alphabet = codes.ALPHABET
    letters = "".join(alphabet[(number // 31**i) % 31] for i in range(3))
    return (prefix + letters + "ZZZZZZZZZ")[: codes.PERSONAL_CODE_LENGTH]


def another_prefix(code: str) -> str:
    return next(p for p in ("AAA", "BBB", "CCC") if not code.startswith(p))


def test_wrong_codes_through_the_qr_link_count_and_are_refused(voting_round):
    client = Client(REMOTE_ADDR="203.0.113.70")
    right = voting_round.voters.first().code
    for number in range(WRONG_CODES_PER_ADDRESS):  # each with another prefix
        code = wrong_code(number)
        if code[:3] == right[:3]:
            code = wrong_code(number + 5000)
        response = client.get(reverse("voting:code", args=[code]))
        assert response.status_code == 302  # back to the entry page, with a message
    assert client.get(reverse("voting:code", args=[right])).status_code == 429
    assert client.post(reverse("voting:code", args=[right])).status_code == 429
    assert client.post(reverse("voting:join"), {"code": right}).status_code == 429
    assert "Zu viele Versuche" in client.get(reverse("voting:code", args=[right])).content.decode()


def test_a_room_behind_one_address_is_not_blocked_by_a_few_typos(voting_round):
    """Thirty phones behind one NAT, each mistyping its code once: everybody still joins."""
    voters = list(voting_round.voters.order_by("id")[:30])
    for voter in voters:
        typo = voter.code[:-1] + ("X" if voter.code[-1] != "X" else "Y")
        phone = Client(REMOTE_ADDR="192.0.2.1")
        assert phone.post(reverse("voting:join"), {"code": typo}).status_code == 200
    late = Client(REMOTE_ADDR="192.0.2.1")
    assert late.post(reverse("voting:join"), {"code": voters[0].code}).status_code == 302


def test_guesses_at_one_prefix_are_refused_from_every_address(voting_round):
    """A botnet guessing codes that begin alike: the prefix's limit holds across addresses,
    and codes with another prefix are not affected."""
    right = voting_round.voters.first().code
    for number in range(WRONG_CODES_PER_PREFIX):
        guess = wrong_code(number, prefix=right[:3])
        bot = Client(REMOTE_ADDR=f"198.51.100.{number}")
        assert bot.post(reverse("voting:join"), {"code": guess}).status_code == 200
    fresh = Client(REMOTE_ADDR="198.51.100.250")
    assert fresh.post(reverse("voting:join"), {"code": right}).status_code == 429
    assert fresh.get(reverse("voting:code", args=[right])).status_code == 429
    other = voting_round.voters.exclude(code__startswith=right[:3]).first()
    assert fresh.post(reverse("voting:join"), {"code": other.code}).status_code == 302


def test_wrong_round_codes_count(voting_round):
    client = Client(REMOTE_ADDR="203.0.113.80")
    for number in range(WRONG_CODES_PER_PREFIX):
        guess = "ZZZ" + wrong_code(number)[:3]
        assert client.post(reverse("voting:join"), {"round_code": guess}).status_code == 200
    assert client.post(reverse("voting:join"), {"round_code": "ZZZ999"}).status_code == 429
    assert client.post(reverse("voting:join"), {"round_code": "YYY999"}).status_code == 200


def test_picking_up_what_is_not_available_counts_and_is_refused(voting_round):
    pick = reverse("voting:pick", args=[voting_round.short_code])
    taken = voting_round.voters.first()
    assert Client(REMOTE_ADDR="203.0.113.91").post(pick, {"voter": taken.pk}).status_code == 200
    room = Client(REMOTE_ADDR="203.0.113.90")  # phones behind one address: a few mistakes
    for guess in range(10):  # someone else's entry, or ids that are not in the round
        room.post(pick, {"voter": taken.pk if guess % 2 else 10_000 + guess})
    free = voting_round.voters.filter(picked_up_at=None, joined_at=None).first()
    assert room.post(pick, {"voter": free.pk}).status_code == 200  # not blocked by ten
    for guess in range(WRONG_PICKS_PER_ROUND - 10):  # from many addresses, in this round
        Client(REMOTE_ADDR=f"198.51.100.{guess}").post(pick, {"voter": 20_000 + guess})
    after = voting_round.voters.filter(picked_up_at=None, joined_at=None).first()
    refused = Client(REMOTE_ADDR="198.51.100.250").post(pick, {"voter": after.pk})
    assert refused.status_code == 429
    after.refresh_from_db()
    assert after.picked_up_at is None  # nothing handed out
    joined = Client(REMOTE_ADDR="198.51.100.250").post(reverse("voting:join"), {"code": after.code})
    assert joined.status_code == 302  # the personal code from the facilitator still works
