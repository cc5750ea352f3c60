"""The result page and the report exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from klebepunkt.processes import presenters
from klebepunkt.processes.permissions import process_for
from klebepunkt.processes.report_job_views import deliver
from klebepunkt.processes.report_jobs import request_report
from klebepunkt.processes.reporting import (
    RESULT_REPORT,
    REWORDING_ANNEX,
    result_report_state,
)
from klebepunkt.processes.views.common import is_htmx
from klebepunkt.reports.render import MEDIA_TYPES


@login_required
@require_GET
def result(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    query = request.GET.get("q", "")
    if is_htmx(request):  # the live search: only the topic store
        search = presenters.topic_store_search(process, query)
        return render(request, "processes/result.html#topic-store", {"page": search})
    page = presenters.result_page(process, query)
    context = {"process": process, "role": role, "page": page, "formats": REPORT_FORMATS}
    return render(request, "processes/result.html", context)


REPORT_FORMATS = ("pdf", "docx", "xlsx", "csv", "md", "json")


@login_required
@require_GET
def export_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The result report as a file: from the cache, or made by the job queue (progress page)."""
    process, _role = process_for(request.user, pk)
    if fmt not in REPORT_FORMATS:
        return render(request, "404.html", status=404)
    params: dict[str, object] = {"back": reverse("processes:result", args=[process.pk])}
    if request.GET.get(REWORDING_ANNEX) == "1":  # the history of the working out, in an annex
        params[REWORDING_ANNEX] = True
    job = request_report(
        process=process,
        kind=RESULT_REPORT,
        fmt=fmt,
        language=get_language() or "de",
        params=params,
        state=result_report_state(process),
        filename=f"klebepunkt-{process.pk}.{fmt}",
        media_type=MEDIA_TYPES[fmt],
    )
    return deliver(request, job)
