"""The member's side: join with a code (typed, scanned or picked up), then place and take back dots.

No account: the phone carries a signed cookie (see ``identity``). Wrong codes are
rate-limited (``phone_entry``, shared with the card collection). Nothing here shows
anybody's dots but the member's own.
"""

from __future__ import annotations

from typing import TypedDict

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from klebepunkt.processes.fragments import render_fragment
from klebepunkt.processes.params import object_id
from klebepunkt.voting import attendance, codes, identity, joins, selectors, services
from klebepunkt.voting.forms import CodeForm, RoundCodeForm
from klebepunkt.voting.models import RoundState, Voter, VotingRound
from klebepunkt.voting.phone_entry import (
    back_to_join,
    code_scope,
    confirm_code,
    limited,
    pick_up,
    too_many,
)

# The outcome of a click, for machines (the durability test, monitoring, a proxy's log):
# "placed", "taken-back" or "refused:<code>" with a code of ``services.VotingError``.
# It says no more than the page does: the member's own click, never anybody's counts.
DOT_OUTCOME_HEADER = "X-Klebepunkt-Dot"

CLOSED_STATES = [RoundState.CLOSED, RoundState.REVEALED]


def _round_closed(request: HttpRequest, voting_round: VotingRound) -> HttpResponse:
    """A latecomer with the code of a round that is over: say so, and what to do next."""
    return render(
        request,
        "voting/round_closed.html",
        {
            "voting_round": voting_round,
            "running": list(selectors.running_rounds(voting_round.process_id)[:3]),
        },
        status=410,
    )


def _not_present(
    request: HttpRequest, voting_round: VotingRound, absent: attendance.RoundAttendance
) -> HttpResponse:
    return render(
        request,
        "voting/not_present.html",
        {"voting_round": voting_round, "day": absent.day},
        status=403,
    )


def _join(request: HttpRequest, voter: Voter, to: str = "voting:ballot") -> HttpResponse:
    """Let the phone in; into a round only a member present at its meeting (if recorded)."""
    absent = (
        attendance.absent(voter.voting_round, voter.member_id) if to == "voting:ballot" else None
    )
    if absent is not None:
        return _not_present(request, voter.voting_round, absent)
    services.mark_joined(voter=voter)
    response = redirect(to)
    identity.remember(response, voter.pk, services.code_fingerprint(voter.code))
    return response


def _voter_for_open_vote(code: str) -> tuple[Voter, str] | None:
    """A code of a round that is over still lets its member in while a vote of the process
    is open on the phones (a decision): the voter and the vote's URL."""
    voter = selectors.closed_round_voter(code)
    if voter is None:
        return None
    url = joins.open_vote(voter.voting_round.process_id)
    return (voter, url) if url is not None else None


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """The entry page: type the personal code, or the round code to pick up one's own."""
    code_form = CodeForm(request.POST if "code" in request.POST else None)
    round_form = RoundCodeForm(request.POST if "round_code" in request.POST else None)
    if request.method == "POST":
        scope = (
            code_scope("code", request.POST.get("code", ""))
            if "code" in request.POST
            else code_scope("round-code", request.POST.get("round_code", ""))
        )
        if limited(request, scope=scope, count=False):
            return too_many(request)
        if "code" in request.POST and code_form.is_valid():
            voter = services.voter_for_code(code_form.cleaned_data["code"])
            if voter is not None:
                return _join(request, voter)
            for_vote = _voter_for_open_vote(code_form.cleaned_data["code"])
            if for_vote is not None:
                return _join(request, *for_vote)
            closed = selectors.closed_round_of_code(code_form.cleaned_data["code"])
            if closed is not None:
                return _round_closed(request, closed)
            joined = joins.join_by_code(request, code_form.cleaned_data["code"])
            if joined is not None:
                return joined
            limited(request, scope=scope, count=True)
            code_form.add_error(
                "code", _("This code is not valid (or its round is over). Please check it.")
            )
        elif "round_code" in request.POST and round_form.is_valid():
            short = codes.normalise_code(round_form.cleaned_data["round_code"])
            voting_round = VotingRound.objects.filter(short_code=short).first()
            if voting_round is not None and voting_round.state in CLOSED_STATES:
                return _round_closed(request, voting_round)
            if voting_round is not None:
                return redirect("voting:pick", short_code=voting_round.short_code)
            elsewhere = joins.continue_with_short_code(short)
            if elsewhere is not None:
                return redirect(elsewhere)
            limited(request, scope=scope, count=True)
            round_form.add_error("round_code", _("There is no round with this code."))
    return render(request, "voting/join.html", {"code_form": code_form, "round_form": round_form})


@never_cache
@require_http_methods(["GET", "POST"])
def join_with_code(request: HttpRequest, code: str) -> HttpResponse:
    """The link in a QR code: confirm before joining (a GET changes nothing)."""
    for_vote: tuple[Voter, str] | None = None

    def find(typed: str) -> Voter | None:
        nonlocal for_vote
        voter = services.voter_for_code(typed)
        if voter is None:  # a round that is over, while a vote of its process is open
            for_vote = _voter_for_open_vote(typed)
            return for_vote[0] if for_vote is not None else None
        return voter

    def join(voter: Voter) -> HttpResponse:
        return _join(request, voter, for_vote[1]) if for_vote is not None else _join(request, voter)

    def closed() -> HttpResponse | None:
        voting_round = selectors.closed_round_of_code(code)
        return _round_closed(request, voting_round) if voting_round is not None else None

    return confirm_code(
        request,
        code,
        find=find,
        join=join,
        confirm=lambda voter: render(
            request,
            "voting/confirm.html",
            {
                "voter": voter,
                "voting_round": voter.voting_round,
                "code": codes.format_code(voter.code),
            },
        ),
        invalid=_("This code is not valid (or its round is over). Please check it."),
        unknown=closed,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def pick(request: HttpRequest, short_code: str) -> HttpResponse:
    """Self-service with the round code: choose one's own entry and get the personal code once."""
    closed = selectors.closed_round_of_short_code(short_code)
    if closed is not None:
        return _round_closed(request, closed)
    voting_round = get_object_or_404(
        VotingRound.objects.exclude(state__in=CLOSED_STATES),
        short_code=codes.normalise_code(short_code),
    )
    present = attendance.of_round(voting_round)
    if request.method == "POST" and present is not None:
        voter_id = object_id(request.POST.get("voter")) or 0
        member_id = voting_round.voters.filter(pk=voter_id).values_list("member_id", flat=True)
        if present.keeps_out(member_id.first()):
            return _not_present(request, voting_round, present)

    def available() -> QuerySet[Voter]:
        entries = (
            voting_round.voters.filter(revoked_at=None, picked_up_at=None, joined_at=None)
            .select_related("member", "stakeholder_group")
            .order_by("stakeholder_group__position", "member__position", "id")
        )
        if present is not None:  # only the members present at the meeting pick their code
            entries = entries.filter(member_id__in=present.present)
        return entries

    def joined(voter: Voter, response: HttpResponse) -> None:
        services.mark_joined(voter=voter)
        identity.remember(response, voter.pk, services.code_fingerprint(voter.code))

    return pick_up(
        request,
        scope=f"round:{voting_round.pk}",
        field="voter",
        pages=("voting/pick.html", "voting/picked.html"),
        context={"voting_round": voting_round},
        available=available,
        pick=lambda voter_id: services.pick_up_code(voting_round=voting_round, voter_id=voter_id),
        joined=joined,
        code=lambda voter: voter.code,
        again=lambda: redirect("voting:pick", short_code=voting_round.short_code),
    )


def current_voter(request: HttpRequest) -> Voter | None:
    """The voter this phone joined as, while their code is the one it joined with; else None."""
    return identity.VOTER.holder(
        request,
        Voter.objects.select_related("voting_round", "voting_round__process", "member"),
        lambda voter: services.code_fingerprint(voter.code),
    )


def _marks(voter: Voter) -> list[bool]:
    """One mark per dot of the budget: filled while it is still to be placed."""
    left = max(voter.budget - voter.used, 0)
    return [True] * left + [False] * (voter.budget - left)


class _BallotField(TypedDict):
    name: str
    cards: list[dict[str, object]]


def _ballot_context(voter: Voter) -> dict[str, object]:
    fields: dict[int, _BallotField] = {}
    for card, dots in selectors.cards_for_voter(voter):
        group = fields.setdefault(card.theme_field_id, {"name": card.theme_field.name, "cards": []})
        group["cards"].append({"card": card, "dots": dots, "range": range(dots)})
    voting_round = voter.voting_round
    return {
        "voter": voter,
        "voting_round": voting_round,
        "fields": list(fields.values()),
        "left": voter.budget - voter.used,
        "budget": voter.budget,
        "marks": _marks(voter),
        "cap": voting_round.cap_per_card,
        "is_open": voting_round.state == RoundState.OPEN,
        "open_vote": joins.open_vote(voting_round.process_id),
    }


@never_cache
@require_http_methods(["GET"])
def ballot(request: HttpRequest) -> HttpResponse:
    voter = current_voter(request)
    if voter is None:
        return back_to_join()
    absent = attendance.absent(voter.voting_round, voter.member_id)
    if absent is not None:  # recorded as not present after the phone joined
        return _not_present(request, voter.voting_round, absent)
    return render(request, "voting/ballot.html", _ballot_context(voter))


@never_cache
@require_POST
def dot(request: HttpRequest) -> HttpResponse:
    """One click: place (action=add) or take back (action=remove) a dot on a card.

    The hot path: the signed cookie names the voter, one transaction does the rest,
    and the answer carries only the member's own count on the card, their dots left
    and a message for the live region. The header ``X-Klebepunkt-Dot`` states the
    outcome (``placed``, ``taken-back`` or ``refused:<code>``); it is sent only after the
    transaction has committed, so a "placed" answer means the dot is durable.
    """
    htmx = bool(getattr(request, "htmx", False))
    found = identity.voter_identity(request)
    card_id = object_id(request.POST.get("card"))
    action = request.POST.get("action", "")
    result = None
    error = ""
    try:
        if found is None:
            raise services.VotingError("unknown_voter")
        if card_id is None or action not in {"add", "remove"}:
            raise services.VotingError("card_not_in_round")
        change = services.place_dot if action == "add" else services.take_back_dot
        result = change(voter_id=found[0], card_id=card_id, code_check=found[1])
    except services.VotingError as failure:
        if failure.code in {"unknown_voter", "code_revoked"}:
            response = back_to_join(htmx=htmx)
            response[DOT_OUTCOME_HEADER] = f"refused:{failure.code}"
            return response
        error = failure.message
        outcome = f"refused:{failure.code}"
    else:
        outcome = "placed" if action == "add" else "taken-back"
    if result is None:
        status = error
    elif action == "add":
        status = _("Dot placed. %(left)s of %(budget)s dots left.") % {
            "left": result.left,
            "budget": result.budget,
        }
    else:
        status = _("Dot taken back. %(left)s of %(budget)s dots left.") % {
            "left": result.left,
            "budget": result.budget,
        }
    if not htmx:
        (messages.error if error else messages.success)(request, status)
        anchor = f"#card-{card_id}" if card_id is not None else ""
        response = redirect(f"{reverse('voting:ballot')}{anchor}")
        response[DOT_OUTCOME_HEADER] = outcome
        return response
    response = HttpResponse(_dot_answer(status, bool(error), result))
    response[DOT_OUTCOME_HEADER] = outcome
    return response


def _dot_answer(status: str, error: bool, result: services.DotResult | None) -> str:
    """The answer to an HTMX click: out-of-band swaps of the member's dots on the card and
    their dots left (when the click went through), and the message for the live region.

    Each part is a template rendered once per content and language (``processes.fragments``):
    a click re-renders nothing it rendered before, and the answer is exactly the templates'."""
    parts = []
    if result is not None:
        left = result.left
        parts += [
            render_fragment(
                "voting/own_dots.html",
                "",
                entry={
                    "card": {"pk": result.card_id},
                    "dots": result.card_dots,
                    "range": range(result.card_dots),
                },
                oob=True,
            ),
            render_fragment(
                "voting/dots_left.html",
                "",
                left=left,
                budget=result.budget,
                marks=[True] * left + [False] * (result.budget - left),
                oob=True,
            ),
        ]
    parts.append(render_fragment("voting/dot_status.html", "", status=str(status), error=error))
    return "\n".join(parts)


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    return back_to_join()
