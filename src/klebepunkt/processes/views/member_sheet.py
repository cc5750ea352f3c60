"""The pages that import members from a sheet: paste or upload, preview, apply (all or nothing).

The sheet is read by ``sheets.members`` against the process's stakeholder groups and
members; ``services.import_members`` writes the plan in one transaction.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from klebepunkt.domain import DomainError
from klebepunkt.processes import forms, models, services
from klebepunkt.processes.permissions import process_for
from klebepunkt.processes.views.common import KeptSheet, forget_sheet, keep_sheet, kept_sheet
from klebepunkt.sheets.members import MemberPlan, read_member_sheet

SESSION_KEY = "klebepunkt_member_sheet"


def member_plan(process: models.Process, name: str, content: bytes) -> MemberPlan:
    """What the sheet would add to the process as it is now."""
    return read_member_sheet(
        content,
        name,
        groups={group.name: group.voting for group in process.stakeholder_groups.all()},
        members=list(process.members.values_list("name", flat=True)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_sheet_upload(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    form = forms.MemberSheetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, content = form.sheet_content(pasted_name=_("pasted table"))
        try:
            member_plan(process, name, content)
        except DomainError as error:
            form.add_error(form.pasted_field, error.render(_))
        else:
            keep_sheet(request, SESSION_KEY, process.pk, KeptSheet(name, content))
            return redirect("processes:member_sheet_preview", process.pk)
    return render(
        request,
        "processes/member_sheet_upload.html",
        {"process": process, "role": role, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_sheet_preview(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=True)
    sheet = kept_sheet(request, SESSION_KEY, process.pk)
    if sheet is None:
        return redirect("processes:member_sheet_upload", process.pk)
    try:
        plan = member_plan(process, sheet.name, sheet.content)
    except DomainError as error:  # the process changed since the upload
        forget_sheet(request, SESSION_KEY)
        messages.error(request, error.render(_))
        return redirect("processes:member_sheet_upload", process.pk)
    if request.method == "POST":
        if forget_sheet(request, SESSION_KEY, cancelled="cancel" in request.POST):
            return redirect("processes:members", process.pk)
        try:
            added = services.import_members(process=process, plan=plan)
        except ValidationError as error:  # all or nothing: the transaction is rolled back
            messages.error(
                request,
                _("Nothing was imported: %(reason)s") % {"reason": " ".join(error.messages)},
            )
            return redirect("processes:member_sheet_upload", process.pk)
        messages.success(
            request,
            _("Members imported: %(added)s added; new stakeholder groups: %(groups)s.")
            % {"added": added, "groups": len(plan.new_groups)},
        )
        return redirect("processes:members", process.pk)
    return render(
        request,
        "processes/member_sheet_preview.html",
        {"process": process, "role": role, "plan": plan},
    )
