"""The facilitator's data-protection pages: a member's export and erasure, deleting a process.

Their routes keep the paths under ``/p/<id>/``; the templates are the process pages' own.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klebepunkt.privacy import services as privacy
from klebepunkt.processes import models
from klebepunkt.processes.permissions import LoggedInRequest, process_for


@login_required
@require_POST
def member_export(request: LoggedInRequest, pk: int, member_id: int) -> HttpResponse:
    """Everything held about one member, as a JSON download (Art. 15 DSGVO).

    A POST: the export is recorded in the member's privacy log (who, when)."""
    process, _role = process_for(request.user, pk, change=True)
    member = get_object_or_404(models.Member, pk=member_id, process=process)
    document = privacy.export_member(member)
    privacy.record_export(member=member, actor=request.user)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="mitglied-{member.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def member_erase(request: LoggedInRequest, pk: int, member_id: int) -> HttpResponse:
    """Erase a member's personal data on request, after a confirmation (Art. 17 DSGVO)."""
    process, role = process_for(request.user, pk, change=True)
    member = get_object_or_404(models.Member, pk=member_id, process=process)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "erase":
            error = _("Tick the box to confirm the erasure.")
        else:
            try:
                privacy.erase_member(member=member, actor=request.user)
            except ValidationError as failure:
                messages.error(request, " ".join(failure.messages))
            else:
                messages.success(
                    request,
                    _("The personal data of the member have been erased. The votes stay counted."),
                )
            return redirect("processes:members", process.pk)
    return render(
        request,
        "processes/member_erase.html",
        {"process": process, "role": role, "member": member, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def process_delete(request: HttpRequest, pk: int) -> HttpResponse:
    process, _role = process_for(request.user, pk, change=True)
    if request.POST.get("confirm_title", "").strip() != process.title.strip():
        messages.error(request, _("Type the exact title of the process to delete it."))
        return redirect("processes:settings", process.pk)
    privacy.delete_process(process=process)
    messages.success(request, _("Process deleted."))
    return redirect("processes:list")
