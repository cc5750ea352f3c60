"""The facilitator sends the members their personal links by e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from klebepunkt.processes.models import Meeting
from klebepunkt.processes.params import object_id
from klebepunkt.processes.permissions import process_for
from klebepunkt.voting import invitations
from klebepunkt.voting.models import VotingRound


@login_required
@require_http_methods(["GET", "POST"])
def invitations_page(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    voting_round = get_object_or_404(VotingRound, pk=round_id, process=process)
    meetings = list(process.meetings.all())
    if request.method == "POST":
        if not invitations.mail_configured():
            messages.error(request, _("E-mail is not set up on this server."))
            return redirect("voting:invitations", pk=process.pk, round_id=voting_round.pk)
        meeting_id = object_id(request.POST.get("meeting", ""))
        meeting = get_object_or_404(Meeting, pk=meeting_id, process=process) if meeting_id else None
        only = [
            voter_id
            for value in request.POST.getlist("voter")
            if (voter_id := object_id(value)) is not None
        ]
        report = invitations.send_invitations(
            voting_round=voting_round,
            meeting=meeting,
            link_for=lambda code: request.build_absolute_uri(reverse("voting:code", args=[code])),
            join_url=request.build_absolute_uri(reverse("voting:join")),
            only=only or None,
        )
        if report.sent:
            messages.success(
                request,
                ngettext("%(n)d invitation sent.", "%(n)d invitations sent.", report.sent)
                % {"n": report.sent},
            )
        if report.failed:
            messages.error(
                request,
                ngettext(
                    "%(n)d invitation could not be sent; the reason is in the list.",
                    "%(n)d invitations could not be sent; the reasons are in the list.",
                    report.failed,
                )
                % {"n": report.failed},
            )
        if not report.sent and not report.failed:
            messages.info(
                request, _("Every invitation had already been sent; none was sent again.")
            )
        return redirect("voting:invitations", pk=process.pk, round_id=voting_round.pk)
    rows = invitations.invitation_rows(voting_round)
    return render(
        request,
        "voting/invitations.html",
        {
            "process": process,
            "role": role,
            "voting_round": voting_round,
            "rows": rows,
            "meetings": meetings,
            "mail_configured": invitations.mail_configured(),
            "with_address": sum(1 for row in rows if row.address),
            "to_send": sum(
                1
                for row in rows
                if row.address and (row.invitation is None or row.invitation.state != "sent")
            ),
        },
    )
