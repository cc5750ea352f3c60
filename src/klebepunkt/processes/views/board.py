"""The clustering board and its goals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from klebepunkt.processes import forms, models, services
from klebepunkt.processes.board import board_of
from klebepunkt.processes.models import Role
from klebepunkt.processes.params import object_id
from klebepunkt.processes.permissions import LoggedInRequest, process_for
from klebepunkt.processes.views.common import is_htmx

# --- the clustering board ----------------------------------------------------------------------


def _board_context(
    process: models.Process, field_id: int | None, role: Role, page: int | None = None
) -> dict[str, Any]:
    return {
        "process": process,
        "role": role,
        "board": board_of(process, field_id, page),
        "can_change": role is Role.FACILITATOR,
    }


@login_required
@require_GET
def board(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    context = _board_context(
        process, object_id(request.GET.get("field")), role, object_id(request.GET.get("page"))
    )
    # a page of the wall for HTMX (the pager), the whole page otherwise and when HTMX restores
    # its history (the pager pushes the page's address)
    partial = is_htmx(request) and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    template = "processes/board.html#board" if partial else "processes/board.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _board_response(
    request: HttpRequest, process: models.Process, field_id: int, role: Role, status: str = ""
) -> HttpResponse:
    page = object_id(request.POST.get("page"))
    if is_htmx(request):
        context = _board_context(process, field_id, role, page)
        context["status"] = status
        return render(request, "processes/board.html#board", context)
    if status:
        messages.success(request, status)
    return HttpResponseRedirect(
        f"{reverse('processes:board', args=[process.pk])}?field={field_id}"
        + (f"&page={page}" if page else "")
    )


def _goal_to_change(
    request: HttpRequest, pk: int, goal_id: int
) -> tuple[models.Process, Role, models.Goal]:
    """The process a facilitator changes, their role and the goal of it named in the address."""
    process, role = process_for(request.user, pk, change=True)
    return process, role, get_object_or_404(models.Goal, pk=goal_id, theme_field__process=process)


def _outcome(change: Callable[[], str]) -> str:
    """The status of a change on the board: its message, or why the rules refused it."""
    try:
        return change()
    except ValidationError as error:
        return " ".join(error.messages)


@login_required
@require_POST
def board_assign(request: LoggedInRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    card = get_object_or_404(
        models.Card, pk=object_id(request.POST.get("card")), theme_field__process=process
    )
    choice = request.POST.get("goal", "")

    def assign() -> str:
        if choice == "new":
            text = request.POST.get("new_goal", "").strip() or card.text
            goal = services.create_goal(theme_field=card.theme_field, text=text)
            services.assign_card(card=card, goal=goal, by=request.user)
            return _("New goal “%(goal)s” created for the card.") % {"goal": goal.text}
        if choice:
            goal = get_object_or_404(
                models.Goal, pk=object_id(choice), theme_field__process=process
            )
            services.assign_card(card=card, goal=goal, by=request.user)
            return _("Card assigned to “%(goal)s”.") % {"goal": goal.text}
        services.assign_card(card=card, goal=None, by=request.user)
        return _("Card removed from its goal.")

    return _board_response(request, process, card.theme_field_id, role, _outcome(assign))


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    field = get_object_or_404(
        models.ThemeField, pk=object_id(request.POST.get("theme_field")), process=process
    )
    form = forms.GoalForm(request.POST)
    status = _("Please enter the text of the goal.")
    if form.is_valid():
        goal = services.create_goal(
            theme_field=field, text=form.cleaned_data["text"], nr=form.cleaned_data["nr"]
        )
        status = _("Goal “%(goal)s” created.") % {"goal": goal.text}
    return _board_response(request, process, field.pk, role, status)


@login_required
@require_POST
def goal_edit(request: LoggedInRequest, pk: int, goal_id: int) -> HttpResponse:
    process, role, goal = _goal_to_change(request, pk, goal_id)
    form = forms.GoalForm(request.POST)
    status = _("Please enter the text of the goal.")
    if form.is_valid():
        services.update_goal(
            goal=goal,
            text=form.cleaned_data["text"],
            nr=form.cleaned_data["nr"],
            by=request.user,
        )
        status = _("Goal renamed.")
    return _board_response(request, process, goal.theme_field_id, role, status)


@login_required
@require_POST
def goal_merge(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    process, role, source = _goal_to_change(request, pk, goal_id)
    target = get_object_or_404(
        models.Goal, pk=object_id(request.POST.get("target")), theme_field__process=process
    )

    def merge() -> str:
        services.merge_goals(target=target, sources=[source])
        return _("Goals merged into “%(goal)s”.") % {"goal": target.text}

    return _board_response(request, process, target.theme_field_id, role, _outcome(merge))


@login_required
@require_POST
def goal_split(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    process, role, goal = _goal_to_change(request, pk, goal_id)
    chosen = models.Card.objects.filter(
        pk__in=[card_id for raw in request.POST.getlist("cards") if (card_id := object_id(raw))],
        goal=goal,
    )

    def split() -> str:
        new_goal = services.split_goal(
            goal=goal, cards=chosen, text=request.POST.get("text", "").strip() or goal.text
        )
        return _("Cards moved to the new goal “%(goal)s”.") % {"goal": new_goal.text}

    return _board_response(request, process, goal.theme_field_id, role, _outcome(split))


@login_required
@require_POST
def goal_delete(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    process, role, goal = _goal_to_change(request, pk, goal_id)
    field_id = goal.theme_field_id
    services.delete_goal(goal=goal)
    return _board_response(
        request, process, field_id, role, _("Goal deleted; its cards have no goal now.")
    )
