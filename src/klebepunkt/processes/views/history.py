"""The history of a process: who changed what the result depends on, when, before and after."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from klebepunkt.processes import presenters
from klebepunkt.processes.params import object_id
from klebepunkt.processes.permissions import process_for


@login_required
@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)  # facilitators and observers may read it
    page = presenters.history_page(process, object_id(request.GET.get("page")))
    return render(
        request, "processes/history.html", {"process": process, "role": role, "history": page}
    )
