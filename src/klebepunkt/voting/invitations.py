"""Invitations by e-mail: each voter with an address gets their personal link and QR code.

Members without an address stay on the printed code sheet. A send claims each invitation
with a conditional update (pending or failed → sending), so a second click, a second tab
or a second app server never sends the same code twice; a failure is kept per member with
its reason and can be retried. The mail goes through Django's mail backend (SMTP in
production, configured by ``KLEBEPUNKT_SMTP_*``).
"""

from __future__ import annotations

import io
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.mime.image import MIMEImage
from email.utils import getaddresses

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from klebepunkt.processes.models import Meeting
from klebepunkt.voting.models import Invitation, InvitationState, Voter, VotingRound

logger = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=10)  # a send that died mid-way may be tried again after this


def email_address(contact: str) -> str | None:
    """The e-mail address in a member's contact field, if it holds one."""
    for _name, address in getaddresses([contact.replace(";", ",")]):
        try:
            validate_email(address)
        except ValidationError:
            continue
        return address
    return None


def mail_configured() -> bool:
    return bool(settings.EMAIL_HOST) or not settings.EMAIL_BACKEND.endswith("smtp.EmailBackend")


@dataclass(frozen=True)
class InvitationRow:
    voter: Voter
    address: str | None
    invitation: Invitation | None


def invitation_rows(voting_round: VotingRound) -> list[InvitationRow]:
    """Every voter of the round who still holds a code, with their address and invitation."""
    voters = (
        voting_round.voters.filter(revoked_at__isnull=True, member__isnull=False)
        .select_related("member", "stakeholder_group", "invitation")
        .order_by("member__position", "member__name", "id")
    )
    rows = []
    for voter in voters:
        member = voter.member
        address = None if member is None or member.erased_at else email_address(member.contact)
        invitation = getattr(voter, "invitation", None)  # None: no row yet
        rows.append(InvitationRow(voter, address, invitation))
    return rows


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # already sent, or being sent by another request


def _claim(invitation_id: int) -> bool:
    now = timezone.now()
    claimable = Q(state__in=[InvitationState.PENDING, InvitationState.FAILED]) | Q(
        state=InvitationState.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    with transaction.atomic():
        return bool(
            Invitation.objects.filter(claimable, pk=invitation_id).update(
                state=InvitationState.SENDING, claimed_at=now
            )
        )


def _qr_png(link: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=6, border=3)
    return buffer.getvalue()


def invitation_message(
    *, voter: Voter, address: str, link: str, join_url: str, meeting: Meeting | None
) -> EmailMultiAlternatives:
    voting_round = voter.voting_round
    context = {
        "name": voter.member.name if voter.member else voter.pseudonym,
        "process": voting_round.process,
        "voting_round": voting_round,
        "meeting": meeting,
        "link": link,
        "join_url": join_url,
        "code": voter.code,
    }
    subject = _("Invitation: %(round)s – %(process)s") % {
        "round": voting_round.title,
        "process": voting_round.process.title,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("voting/mail/invitation.txt", context),
        to=[address],
    )
    message.attach_alternative(
        render_to_string("voting/mail/invitation.html", context), "text/html"
    )
    message.mixed_subtype = "related"  # type: ignore[attr-defined]  # Django's, not in the stubs
    image = MIMEImage(_qr_png(link), "png")
    image.add_header("Content-ID", "<qr-code>")
    image.add_header("Content-Disposition", "inline", filename="qr-code.png")
    message.attach(image)
    return message


def send_invitations(
    *,
    voting_round: VotingRound,
    meeting: Meeting | None,
    link_for: Callable[[str], str],
    join_url: str,
    only: list[int] | None = None,
) -> SendReport:
    """Send every invitation not sent yet (or failed) of the round; ``only``: these voters."""
    report = SendReport()
    rows = [row for row in invitation_rows(voting_round) if row.address]
    if only is not None:
        rows = [row for row in rows if row.voter.pk in only]
    Invitation.objects.bulk_create(
        [
            Invitation(voter=row.voter, address=row.address or "")
            for row in rows
            if not row.invitation
        ],
        ignore_conflicts=True,
    )
    invitations = {
        invitation.voter_id: invitation
        for invitation in Invitation.objects.filter(voter__in=[row.voter for row in rows])
    }
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    try:
        for row in rows:
            invitation = invitations[row.voter.pk]
            if not _claim(invitation.pk):
                report.skipped += 1
                continue
            address = row.address or ""
            try:
                message = invitation_message(
                    voter=row.voter,
                    address=address,
                    link=link_for(row.voter.code),
                    join_url=join_url,
                    meeting=meeting,
                )
                message.connection = connection
                message.send()
            except (smtplib.SMTPException, OSError) as error:
                logger.warning("invitation for voter %s failed: %s", row.voter.pk, error)
                Invitation.objects.filter(pk=invitation.pk).update(
                    state=InvitationState.FAILED,
                    address=address,
                    attempts=invitation.attempts + 1,
                    error=_describe(error)[:300],
                )
                report.failed += 1
                connection.close()  # a broken session is not reused for the next member
            else:
                Invitation.objects.filter(pk=invitation.pk).update(
                    state=InvitationState.SENT,
                    address=address,
                    attempts=invitation.attempts + 1,
                    sent_at=timezone.now(),
                    error="",
                )
                report.sent += 1
    finally:
        connection.close()
    return report


def _describe(error: Exception) -> str:
    """The mail server's answer in words a facilitator can pass on to the IT department."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = [
            f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
            for code, reply in error.recipients.values()
        ]
        return _("The mail server refused the address: %(answer)s") % {"answer": "; ".join(answers)}
    if isinstance(error, smtplib.SMTPException):
        return _("The mail server answered with an error: %(answer)s") % {"answer": str(error)}
    return _("The mail server could not be reached: %(answer)s") % {"answer": str(error)}
