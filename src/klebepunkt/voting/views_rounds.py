"""The facilitator's side of voting: rounds, codes, paper dots, the projector, verification."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klebepunkt.processes.models import Card, Process, Role
from klebepunkt.processes.params import object_id, whole_number
from klebepunkt.processes.permissions import LoggedInRequest, process_for
from klebepunkt.processes.report_job_views import deliver
from klebepunkt.processes.report_jobs import request_report
from klebepunkt.processes.selectors import card_labels
from klebepunkt.processes.views.common import apply_validation_error
from klebepunkt.reports.wording import discrepancy_text
from klebepunkt.voting import attendance, codes, projector_cache, selectors, services
from klebepunkt.voting.forms import RoundForm
from klebepunkt.voting.models import RoundState, Voter, VotingRound
from klebepunkt.voting.polling import polled


def _round_for(
    request: HttpRequest, pk: int, round_id: int, *, change: bool = False
) -> tuple[Process, Role, VotingRound]:
    process, role = process_for(request.user, pk, change=change)
    voting_round = get_object_or_404(VotingRound, pk=round_id, process=process)
    return process, role, voting_round


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    form = RoundForm(request.POST or None, process=process, initial={"title": _("Dot vote")})
    if request.method == "POST" and form.is_valid():
        try:
            voting_round = services.create_round(process=process, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Round prepared with a personal code for every member with a voting right."),
            )
            return redirect("voting:round", pk=process.pk, round_id=voting_round.pk)
    entered = sum(Card.objects.filter(theme_field__process=process).values_list("dots", flat=True))
    return render(
        request,
        "voting/rounds.html",
        {
            "process": process,
            "role": role,
            "rounds": process.voting_rounds.all(),
            "form": form,
            "entered_dots": entered,
            "voters": process.members.filter(voting=True).count(),
        },
    )


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    process, role, voting_round = _round_for(request, pk, round_id)
    summary = selectors.round_summary(voting_round)
    voters = voting_round.voters.select_related("member", "stakeholder_group").order_by(
        "stakeholder_group__position", "member__position", "id"
    )
    cards = list(selectors.round_cards(voting_round))
    paper = dict(voting_round.paper_tallies.values_list("card_id", "dots"))
    return render(
        request,
        "voting/round_detail.html",
        {
            "process": process,
            "role": role,
            "voting_round": voting_round,
            "summary": summary,
            "voters": voters,
            "cards": [(card, paper.get(card.pk, 0)) for card in cards],
            "join_url": request.build_absolute_uri(
                reverse("voting:pick", args=[voting_round.short_code])
            ),
            "projector_url": request.build_absolute_uri(
                reverse("voting:shared_projector", args=[voting_round.projector_token])
            ),
            "short_code": voting_round.short_code,
            "can_change": role is Role.FACILITATOR,
            "attendance": attendance.of_round(voting_round),
        },
    )


@login_required
@require_POST
def round_state(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    process, _role, voting_round = _round_for(request, pk, round_id, change=True)
    action = request.POST.get("action")
    transitions = {
        "open": (services.open_round, _("The round is open: members can place their dots.")),
        "reveal": (services.reveal_round, _("The results are revealed.")),
    }
    if action == "close":  # final: only from the confirmation page
        return redirect("voting:round_close", pk=process.pk, round_id=voting_round.pk)
    if action == "delete":
        try:
            services.delete_round(voting_round=voting_round)
            messages.success(request, _("Round deleted."))
            return redirect("voting:rounds", pk=process.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    elif action in transitions:
        change, message = transitions[action]
        try:
            change(voting_round=voting_round)
            messages.success(request, message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    elif action == "sync":
        added = services.sync_voters(voting_round=voting_round)
        messages.success(request, _("%(n)s new codes.") % {"n": added})
    return redirect("voting:round", pk=process.pk, round_id=voting_round.pk)


@login_required
@require_http_methods(["GET", "POST"])
def round_close(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    """Closing is final, so it is asked for twice: this page shows where the vote stands and
    closes the round only with its own button (no JavaScript needed)."""
    process, role, voting_round = _round_for(request, pk, round_id, change=True)
    if request.method == "POST":
        try:
            services.close_round(voting_round=voting_round)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The round is closed: nothing can be changed any more."))
        return redirect("voting:round", pk=process.pk, round_id=voting_round.pk)
    if voting_round.state != RoundState.OPEN:
        return redirect("voting:round", pk=process.pk, round_id=voting_round.pk)
    return render(
        request,
        "voting/round_close.html",
        {
            "process": process,
            "role": role,
            "voting_round": voting_round,
            "summary": selectors.round_summary(voting_round),
        },
    )


@login_required
@require_POST
def voter_code(request: LoggedInRequest, pk: int, round_id: int, voter_id: int) -> HttpResponse:
    process, _role, voting_round = _round_for(request, pk, round_id, change=True)
    voter = get_object_or_404(Voter, pk=voter_id, voting_round=voting_round)
    if request.POST.get("action") == "revoke":
        services.revoke_code(voter=voter, by=request.user)
        messages.success(request, _("Code revoked. The dots already placed stay."))
    elif request.POST.get("action") == "reissue":
        voter = services.reissue_code(voter=voter, by=request.user)
        messages.success(request, _("New code: %(code)s") % {"code": codes.format_code(voter.code)})
    return redirect(f"{reverse('voting:round', args=[process.pk, voting_round.pk])}#voters")


@login_required
@require_POST
def paper_totals(request: LoggedInRequest, pk: int, round_id: int) -> HttpResponse:
    """Paper dots counted per card: the whole table in one transaction."""
    process, _role, voting_round = _round_for(request, pk, round_id, change=True)
    errors = []
    try:
        with transaction.atomic():
            for card in selectors.round_cards(voting_round):
                raw = request.POST.get(f"paper-{card.pk}", "").strip()
                if raw == "":
                    continue
                dots = whole_number(raw)
                if dots is None:
                    errors.append(
                        _("“%(value)s” is not a whole number (card “%(card)s”).")
                        % {"value": raw[:20], "card": card.label}
                    )
                    continue
                services.set_paper_total(
                    voting_round=voting_round, card=card, dots=dots, actor=request.user
                )
            if errors:
                raise ValidationError(errors)
    except ValidationError as error:
        messages.error(
            request, _("Nothing was saved: %(reason)s") % {"reason": " ".join(error.messages)}
        )
    else:
        messages.success(request, _("Paper dots saved."))
    return redirect(f"{reverse('voting:round', args=[process.pk, voting_round.pk])}#paper")


@login_required
@require_POST
def paper_ballot(request: LoggedInRequest, pk: int, round_id: int) -> HttpResponse:
    """Paper dots of one member on one card."""
    process, _role, voting_round = _round_for(request, pk, round_id, change=True)
    voter = get_object_or_404(
        Voter, pk=object_id(request.POST.get("voter")), voting_round=voting_round
    )
    card = get_object_or_404(
        selectors.round_cards(voting_round), pk=object_id(request.POST.get("card"))
    )
    dots = whole_number(request.POST.get("dots", ""))
    if dots is None:
        messages.error(request, _("Please enter a whole number of dots."))
    else:
        try:
            services.set_paper_ballot(voter=voter, card=card, dots=dots, actor=request.user)
            messages.success(request, _("Paper dots of the member saved."))
        except ValidationError as error:
            messages.error(
                request, _("Nothing was saved: %(reason)s") % {"reason": " ".join(error.messages)}
            )
    return redirect(f"{reverse('voting:round', args=[process.pk, voting_round.pk])}#paper")


def _projector_context(request: HttpRequest, voting_round: VotingRound) -> dict[str, Any]:
    """What the refreshing part shows; the invitation to join is in it, so it goes away
    when the round closes, without a reload."""
    summary = selectors.round_summary(voting_round)
    top = max((result.total for result in summary.results or []), default=0)
    return {
        "voting_round": voting_round,
        "summary": summary,
        "top": top or 1,
        "join_base": request.build_absolute_uri(reverse("voting:join")),
    }


def _projector_page(request: HttpRequest, voting_round: VotingRound, live_url: str) -> HttpResponse:
    context = _projector_context(request, voting_round)
    context["live_url"] = live_url
    return render(request, "voting/projector.html", context)


def _projector_live(request: HttpRequest, voting_round: VotingRound) -> HttpResponse:
    """The part of the projector that changes; a poll with the current ETag is answered 304."""
    return polled(
        request,
        f'"{selectors.round_stamp(voting_round)}"',
        lambda: render(
            request, "voting/projector.html#live", _projector_context(request, voting_round)
        ),
    )


@login_required
@require_GET
def projector(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    _process, _role, voting_round = _round_for(request, pk, round_id)
    return _projector_page(
        request, voting_round, reverse("voting:projector_live", args=[pk, round_id])
    )


@login_required
@require_GET
def projector_live(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    _process, _role, voting_round = _round_for(request, pk, round_id)
    return _projector_live(request, voting_round)


def _round_by_token(token: str) -> VotingRound:
    return get_object_or_404(VotingRound, projector_token=token)


@require_GET
def shared_projector(request: HttpRequest, token: str) -> HttpResponse:
    """The projector by its secret link, for the laptop at the beamer: no login needed."""
    return _projector_page(
        request, _round_by_token(token), reverse("voting:shared_projector_live", args=[token])
    )


@require_GET
def shared_projector_live(request: HttpRequest, token: str) -> HttpResponse:
    """Polled every second by every projector: rendered at most about once a second and shared
    (the WSGI fast path in ``web.wsgi`` answers from the same cache before Django runs)."""
    entry = projector_cache.cached(token)
    if entry is None:
        voting_round = _round_by_token(token)
        body = render(
            request, "voting/projector.html#live", _projector_context(request, voting_round)
        ).content
        entry = (projector_cache.store(token, body), body)
    etag, body = entry
    return polled(request, etag, lambda: body)


@login_required
@require_GET
def code_sheet(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    """A printable A4 PDF with one card per voter: name (or group), code, QR code, link.

    Made by the job queue; the page shows its progress while a large sheet is made."""
    from klebepunkt.voting.code_sheet import CODE_SHEET, code_sheet_at

    process, _role, voting_round = _round_for(request, pk, round_id, change=True)
    base = request.build_absolute_uri("/").rstrip("/")
    job = request_report(
        process=process,
        kind=CODE_SHEET,
        fmt="pdf",
        language=(get_language() or "de")[:2],
        params={
            "round": voting_round.pk,
            "base": base,
            "back": reverse("voting:round", args=[process.pk, voting_round.pk]),
        },
        state=code_sheet_at(voting_round, base=base),
        filename=f"codes-runde-{voting_round.pk}.pdf",
        media_type="application/pdf",
    )
    return deliver(request, job)


@login_required
@require_GET
def verify(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    process, role, voting_round = _round_for(request, pk, round_id)
    problems = selectors.verify_round(voting_round)
    cards = card_labels({p.card_id for p in problems if p.card_id is not None})
    events = voting_round.events.count()
    return render(
        request,
        "voting/verify.html",
        {
            "process": process,
            "role": role,
            "voting_round": voting_round,
            "problems": [discrepancy_text(problem, _, cards) for problem in problems],
            "events": events,
        },
    )
