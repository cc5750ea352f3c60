"""The pages that import members from a sheet: paste or upload, preview, apply (all or nothing).

The sheet is read by ``sheets.members`` against the process's stakeholder groups and
members; ``services.import_members`` writes the plan in one transaction.
"""

from __future__ import annotations

import base64

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
            request.session[SESSION_KEY] = {
                "process": process.pk,
                "name": name,
                "content": base64.b64encode(content).decode("ascii"),
            }
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
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("process") != process.pk:
        messages.error(request, _("Please upload the sheet again."))
        return redirect("processes:member_sheet_upload", process.pk)
    name = pending["name"]
    try:
        plan = member_plan(process, name, base64.b64decode(pending["content"]))
    except DomainError as error:  # the process changed since the upload
        request.session.pop(SESSION_KEY, None)
        messages.error(request, error.render(_))
        return redirect("processes:member_sheet_upload", process.pk)
    if request.method == "POST":
        request.session.pop(SESSION_KEY, None)
        if "cancel" in request.POST:
            messages.success(request, _("Import cancelled; nothing was changed."))
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
