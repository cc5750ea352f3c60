"""Members, stakeholder groups and meetings of a process."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klebepunkt.processes import forms, models, selectors, services
from klebepunkt.processes.permissions import (
    process_for,
)
from klebepunkt.processes.views.common import said, saved

# --- members, stakeholder groups, meetings -----------------------------------------------------


def _saved_fields(
    request: HttpRequest,
    form: BaseForm,
    write: Callable[..., object],
    fields: tuple[str, ...],
    *,
    done: str,
) -> bool:
    """``saved`` with a create or update service that takes these cleaned fields by name."""
    return saved(
        request, form, lambda data: write(**{name: data[name] for name in fields}), done=done
    )


@login_required
@require_GET
def members(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    record = selectors.process_record(process)
    return render(
        request,
        "processes/members.html",
        {
            "process": process,
            "role": role,
            "composition": record.composition(),
            "groups": process.stakeholder_groups.all(),
            "members": process.members.select_related("stakeholder_group"),
            "member_form": forms.MemberForm(process=process),
            "group_form": forms.StakeholderGroupForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int, member_id: int | None = None) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    member = get_object_or_404(models.Member, pk=member_id, process=process) if member_id else None
    form = forms.MemberForm(request.POST or None, instance=member, process=process)
    if _saved_fields(
        request,
        form,
        partial(services.create_member, process=process)
        if member is None
        else partial(services.update_member, member=member),
        ("name", "stakeholder_group", "voting", "contact"),
        done=_("Member saved."),
    ):
        return redirect("processes:members", process.pk)
    privacy_log = (
        models.PrivacyLog.objects.filter(member=member).order_by("created_at", "id")
        if member is not None
        else []
    )
    return render(
        request,
        "processes/member_form.html",
        {
            "process": process,
            "role": role,
            "form": form,
            "object": member,
            "privacy_log": privacy_log,
        },
    )


@login_required
@require_POST
def member_delete(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    member = get_object_or_404(models.Member, pk=member_id, process=process)
    services.delete_member(member=member)
    messages.success(request, _("Member removed."))
    return redirect("processes:members", process.pk)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int, group_id: int | None = None) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    group = (
        get_object_or_404(models.StakeholderGroup, pk=group_id, process=process)
        if group_id
        else None
    )
    form = forms.StakeholderGroupForm(request.POST or None, instance=group)
    if _saved_fields(
        request,
        form,
        partial(services.create_stakeholder_group, process=process)
        if group is None
        else partial(services.update_stakeholder_group, group=group),
        ("name", "description", "count_text", "voting"),
        done=_("Stakeholder group saved."),
    ):
        return redirect("processes:members", process.pk)
    return render(
        request,
        "processes/group_form.html",
        {"process": process, "role": role, "form": form, "object": group},
    )


@login_required
@require_POST
def group_delete(request: HttpRequest, pk: int, group_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    group = get_object_or_404(models.StakeholderGroup, pk=group_id, process=process)
    said(
        request,
        partial(services.delete_stakeholder_group, group=group),
        done=_("Stakeholder group removed."),
    )
    return redirect("processes:members", process.pk)


@login_required
@require_GET
def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    return render(
        request,
        "processes/meetings.html",
        {
            "process": process,
            "role": role,
            "meetings": process.meetings.all(),
            "form": forms.MeetingForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int, meeting_id: int | None = None) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    meeting = (
        get_object_or_404(models.Meeting, pk=meeting_id, process=process) if meeting_id else None
    )
    form = forms.MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        instance.process = process
        services.save_meeting(meeting=instance)
        messages.success(request, _("Meeting saved."))
        return redirect("processes:meetings", process.pk)
    return render(
        request,
        "processes/meeting_form.html",
        {"process": process, "role": role, "form": form, "object": meeting},
    )


@login_required
@require_POST
def meeting_delete(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    meeting = get_object_or_404(models.Meeting, pk=meeting_id, process=process)
    said(request, partial(services.delete_meeting, meeting=meeting), done=_("Meeting removed."))
    return redirect("processes:meetings", process.pk)
