"""The decision on the members' phones, and the facilitator's view of its progress.

A member's phone is the one that joined for the dots: the same entry page ``/v/``, the
same signed cookie and the same limit on wrong codes (``voting.views_voter``). While a
vote of the process is open on the phones, the phone shows the motion and yes, no and
abstention; nobody sees counts until the facilitator closes it, the facilitator only
"n of m have voted".
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from klebepunkt.decisions import models, selectors, services
from klebepunkt.processes.params import object_id
from klebepunkt.processes.permissions import process_for
from klebepunkt.voting.phone_entry import back_to_join
from klebepunkt.voting.views_voter import current_voter

RECORDED = {
    models.Choice.YES: gettext_lazy(
        "Your vote is recorded: yes. You can change it until the vote closes."
    ),
    models.Choice.NO: gettext_lazy(
        "Your vote is recorded: no. You can change it until the vote closes."
    ),
    models.Choice.ABSTAIN: gettext_lazy(
        "Your vote is recorded: abstention. You can change it until the vote closes."
    ),
}


@never_cache
@require_http_methods(["GET", "POST"])
def phone(request: HttpRequest) -> HttpResponse:
    """The member's vote: the motion and three buttons, or why they cannot vote."""
    voter = current_voter(request)
    if voter is None:
        return back_to_join()
    member = voter.member
    decision = selectors.open_phone_decision(voter.voting_round.process_id)
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        try:
            if decision is None or object_id(request.POST.get("decision")) != decision.pk:
                raise services.PhoneVoteError("closed")
            services.cast_phone_vote(decision_id=decision.pk, member=member, choice=choice)
        except services.PhoneVoteError as failure:
            messages.error(request, failure.message)
        else:
            messages.success(
                request,
                _("Your vote is recorded. It is secret: nobody can see what you voted.")
                if decision.secret
                else str(RECORDED[models.Choice(choice)]),
            )
        return redirect("decisions:phone")
    context: dict[str, object] = {"decision": decision, "member": member}
    if decision is not None:
        refusal = selectors.why_not_voting(decision, member)
        context.update(
            {
                "items": decision.items.all(),
                "refusal": services.PhoneVoteError(refusal).message if refusal else "",
                "own": selectors.own_vote(decision, member) if member and not refusal else None,
                "choices": models.Choice.choices,
            }
        )
    return render(request, "decisions/phone.html", context)


@login_required
@require_GET
def progress(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    """How many of the voting members present have voted (polled by the facilitator's page)."""
    process, _role = process_for(request.user, pk)
    decision = get_object_or_404(models.Decision, pk=decision_id, process=process)
    return render(
        request,
        "decisions/progress.html",
        {"process": process, "decision": decision, "progress": selectors.phone_progress(decision)},
    )
