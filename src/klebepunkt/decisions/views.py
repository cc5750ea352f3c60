"""Attendance per meeting and the decision on the priorities. Thin: parse, one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klebepunkt.decisions import forms, models, selectors, services
from klebepunkt.domain.decision import DecisionRule, quorum
from klebepunkt.processes import models as process_models
from klebepunkt.processes.models import Role
from klebepunkt.processes.permissions import process_for
from klebepunkt.processes.selectors import evaluate_process
from klebepunkt.processes.views.common import apply_validation_error, saved


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    meeting = get_object_or_404(process_models.Meeting, pk=meeting_id, process=process)
    members = process.members.select_related("stakeholder_group").order_by("position", "id")
    form = forms.AttendanceForm(
        request.POST or None, members=members, recorded=selectors.attendance_of(meeting)
    )
    if saved(
        request,
        form,
        lambda _data: services.record_attendance(meeting=meeting, presence=form.presence()),
        done=_("Attendance saved."),
    ):
        return redirect("decisions:attendance", process.pk, meeting.pk)
    present = selectors.present_voting_by_group(meeting)
    members_voting = selectors.voting_members(process)
    return render(
        request,
        "decisions/attendance.html",
        {
            "process": process,
            "role": role,
            "meeting": meeting,
            "form": form,
            "present_voting": sum(present.values()),
            "voting_members": members_voting,
            "quorum": quorum(members_voting),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decisions(request: HttpRequest, pk: int) -> HttpResponse:
    """The list of decisions; the facilitator opens a new vote here."""
    process, role = process_for(request.user, pk, change=request.method == "POST")
    evaluation = evaluate_process(process)
    priorities = [
        (p.goal.id, f"{p.goal.nr} {p.goal.text}".strip()[:120]) for p in evaluation.priorities
    ]
    form = forms.OpenDecisionForm(request.POST or None, process=process, priorities=priorities)
    if request.method == "POST" and form.is_valid():
        goal_id = form.cleaned_data["goal"]
        goal = (
            process_models.Goal.objects.filter(theme_field__process=process, pk=goal_id).first()
            if goal_id
            else None
        )
        try:
            how = form.cleaned_data["how"]
            decision = services.open_decision(
                process=process,
                meeting=form.cleaned_data["meeting"],
                goal=goal,
                phone=how in (forms.PHONES, forms.SECRET),
                secret=how == forms.SECRET,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The vote is open."))
            return redirect("decisions:decision", process.pk, decision.pk)
    status = selectors.priority_decisions(process, evaluation)
    return render(
        request,
        "decisions/decisions.html",
        {
            "process": process,
            "role": role,
            "form": form,
            "rule_form": forms.RuleForm(initial={"rule": selectors.rule_of(process).value}),
            "decisions": selectors.decisions_of(process),
            "priorities": [
                (priority, status.get(priority.goal.id)) for priority in evaluation.priorities
            ],
            "meetings": process.meetings.order_by("-date", "-id"),
        },
    )


@login_required
@require_POST
def decision_rule(request: HttpRequest, pk: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    form = forms.RuleForm(request.POST)
    if form.is_valid():
        services.set_decision_rule(process=process, rule=DecisionRule(form.cleaned_data["rule"]))
        messages.success(request, _("Decision rule saved."))
    else:
        messages.error(request, _("Choose one of the decision rules."))
    return redirect("decisions:decisions", process.pk)


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    """One vote: the motion, the show of hands per group (facilitator), the result once closed."""
    process, role = process_for(request.user, pk, change=request.method == "POST")
    the_decision = get_object_or_404(models.Decision, pk=decision_id, process=process)
    groups = process.stakeholder_groups.filter(members__voting=True).distinct()
    groups = groups.order_by("position", "id")
    present = selectors.present_voting_by_group(the_decision.meeting)
    form = None
    if the_decision.phone and request.method == "POST":
        messages.error(request, _("This vote is held on the phones; there are no counts to enter."))
        return redirect("decisions:decision", process.pk, the_decision.pk)
    if the_decision.is_open and role is Role.FACILITATOR and not the_decision.phone:
        form = forms.CountsForm(
            request.POST or None,
            groups=groups,
            counts=selectors.group_counts(the_decision),
            present=present,
        )
        votes = form.votes
        if saved(
            request,
            form,
            lambda _data: services.record_counts(decision=the_decision, counts=votes()),
            done=_("Counts saved."),
        ):
            return redirect("decisions:decision", process.pk, the_decision.pk)
    elif request.method == "POST":
        messages.error(request, _("This vote is closed; its counts cannot be changed."))
        return redirect("decisions:decision", process.pk, the_decision.pk)
    members = selectors.voting_members(process)
    return render(
        request,
        "decisions/decision.html",
        {
            "process": process,
            "role": role,
            "decision": the_decision,
            "items": the_decision.items.all(),
            "form": form,
            "present": present,
            "present_voting": sum(present.values()),
            "voting_members": members,
            "quorum": quorum(members),
            "progress": selectors.phone_progress(the_decision) if the_decision.phone else None,
            "can_close": the_decision.is_open and role is Role.FACILITATOR,
            "join_url": request.build_absolute_uri(reverse("voting:join")),
            "ballots": (
                selectors.named_phone_votes(the_decision)
                if the_decision.phone and not the_decision.is_open
                else ()
            ),
            # hidden while open, like dots: nobody but the facilitator entering them sees counts
            "votes": None if the_decision.is_open else selectors.votes_of(the_decision),
        },
    )


@login_required
@require_POST
def decision_close(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    the_decision = get_object_or_404(models.Decision, pk=decision_id, process=process)
    try:
        services.close_decision(decision=the_decision)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The vote is closed and its result recorded."))
    return redirect("decisions:decision", process.pk, the_decision.pk)
