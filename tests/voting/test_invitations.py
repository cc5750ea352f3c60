"""Invitations by e-mail, received by a real SMTP server on loopback (aiosmtpd): the link
works, the QR code decodes to the same link, a failure is shown per member and can be
retried, and nothing is ever sent twice."""

from __future__ import annotations

import email
import email.policy
import io
import threading
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from klebepunkt.processes.models import Member
from klebepunkt.voting import invitations, services
from klebepunkt.voting.models import Invitation, InvitationState
from tests.server import free_port


class Mailbox:
    """An SMTP server's handler: keeps every message, refuses the addresses in ``refuse``."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def mailbox(settings):
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "sozialplanung@koblenz.example"
    yield box
    controller.stop()


ADDRESSES = {
    0: "anna.becker@koblenz.example",
    1: "Bernd Krause <b.krause@caritas.example>",
    2: "Tel. 0261 129-0",  # no address: stays on the code sheet
}


@pytest.fixture
def invited_round(koblenz):
    members = list(Member.objects.filter(process=koblenz, voting=True).order_by("id")[:3])
    for index, member in enumerate(members):
        member.contact = ADDRESSES[index]
        member.save()
    voting_round = services.create_round(process=koblenz, title="Punktabfrage Pflege")
    return voting_round, members


def send(client, voting_round, **data):
    url = f"/p/{voting_round.process_id}/rounds/{voting_round.pk}/invitations/"
    return client.post(url, data)


def decoded_qr(message: EmailMessage) -> str:
    import zxingcpp
    from PIL import Image

    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0].get_content())))
    assert len(results) == 1
    return results[0].text


def test_each_member_with_an_address_gets_a_link_that_works_and_a_qr_code_to_it(
    client, facilitator, invited_round, mailbox
):
    voting_round, members = invited_round
    meeting = voting_round.process.meetings.order_by("date").first()
    client.force_login(facilitator)
    response = send(client, voting_round, meeting=str(meeting.pk))
    assert response.status_code == 302
    assert len(mailbox.messages) == 2
    message = mailbox.to("anna.becker@koblenz.example")[0]
    assert mailbox.to("b.krause@caritas.example")  # the name around the address is no problem
    assert "Punktabfrage Pflege" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert f"{meeting.date:%Y}" in text
    if meeting.place:
        assert meeting.place in text
    link = next(word for word in text.split() if "/v/c/" in word)
    voter = voting_round.voters.get(member=members[0])
    assert link.endswith(f"/v/c/{voter.code}/")
    assert decoded_qr(message) == link
    assert message.get_body(("html",)).get_content().count('src="cid:qr-code"') == 1

    # the link is the member's way in
    client.logout()
    path = urlsplit(link).path
    assert client.get(path).status_code == 200
    joined = client.post(path)
    assert joined.status_code == 302 and joined["Location"].endswith("/v/ballot/")
    assert client.get("/v/ballot/").status_code == 200

    assert Invitation.objects.filter(state=InvitationState.SENT).count() == 2
    assert not Invitation.objects.filter(voter__member=members[2]).exists()


def test_sending_again_sends_nothing_twice(client, facilitator, invited_round, mailbox):
    voting_round, _members = invited_round
    client.force_login(facilitator)
    send(client, voting_round)
    response = send(client, voting_round)
    assert len(mailbox.messages) == 2
    page = client.get(response["Location"]).content.decode()
    assert "Jede Einladung war schon verschickt" in page


def test_a_refused_address_is_shown_and_can_be_retried(client, facilitator, invited_round, mailbox):
    voting_round, members = invited_round
    mailbox.refuse.add("b.krause@caritas.example")
    client.force_login(facilitator)
    send(client, voting_round)
    failed = Invitation.objects.get(voter__member=members[1])
    assert failed.state == InvitationState.FAILED
    assert "550" in failed.error
    page = client.get(f"/p/{voting_round.process_id}/rounds/{voting_round.pk}/invitations/")
    text = page.content.decode()
    assert "fehlgeschlagen" in text and "Mailbox unavailable" in text
    assert "Erneut versuchen für" in text

    mailbox.refuse.clear()
    send(client, voting_round, voter=str(failed.voter_id))
    assert len(mailbox.to("b.krause@caritas.example")) == 1
    assert len(mailbox.to("anna.becker@koblenz.example")) == 1  # not sent again
    failed.refresh_from_db()
    assert failed.state == InvitationState.SENT and failed.attempts == 2 and failed.error == ""


def test_an_unreachable_mail_server_fails_every_invitation_with_the_reason(
    client, facilitator, invited_round, settings
):
    voting_round, _members = invited_round
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens
    settings.EMAIL_USE_TLS = False
    client.force_login(facilitator)
    send(client, voting_round)
    errors = list(Invitation.objects.values_list("state", "error"))
    assert len(errors) == 2
    assert all(state == InvitationState.FAILED for state, _e in errors)
    assert all("nicht erreichbar" in error for _s, error in errors)


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_send_each_invitation_once(koblenz, mailbox):
    voting_round = services.create_round(process=koblenz, title="Runde")
    members = list(Member.objects.filter(process=koblenz, voting=True).order_by("id")[:6])
    for index, member in enumerate(members):
        member.contact = f"mitglied{index}@koblenz.example"
        member.save()
    barrier = threading.Barrier(3)
    errors: list[Exception] = []

    def send_all() -> None:
        from django.db import connection

        try:
            barrier.wait(timeout=20)
            invitations.send_invitations(
                voting_round=voting_round,
                meeting=None,
                link_for=lambda code: f"https://klebepunkt.example/v/c/{code}/",
                join_url="https://klebepunkt.example/v/",
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send_all) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    received = sorted(message["To"] for message in mailbox.messages)
    assert received == sorted(f"mitglied{index}@koblenz.example" for index in range(6))


@pytest.mark.parametrize(
    ("contact", "address"),
    [
        ("anna@koblenz.example", "anna@koblenz.example"),
        ("Anna B. <anna@koblenz.example>", "anna@koblenz.example"),
        ("Tel. 0261 1290; anna@koblenz.example", "anna@koblenz.example"),
        ("0261 1290", None),
        ("", None),
        ("anna@", None),
    ],
)
def test_the_address_is_found_in_the_contact_field(contact, address):
    assert invitations.email_address(contact) == address


def test_without_mail_settings_the_page_says_so_and_sends_nothing(
    client, facilitator, invited_round, settings
):
    voting_round, _members = invited_round
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    client.force_login(facilitator)
    page = client.get(f"/p/{voting_round.process_id}/rounds/{voting_round.pk}/invitations/")
    assert "E-Mail ist auf diesem Server nicht eingerichtet" in page.content.decode()
    send(client, voting_round)
    assert not Invitation.objects.exists()
