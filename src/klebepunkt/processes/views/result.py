"""The result page and the report exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from klebepunkt.processes import presenters
from klebepunkt.processes.permissions import process_for
from klebepunkt.processes.reporting import process_report
from klebepunkt.processes.views.common import is_htmx
from klebepunkt.reports.render import MEDIA_TYPES, render_report


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
    process, _role = process_for(request.user, pk)
    if fmt not in REPORT_FORMATS:
        return render(request, "404.html", status=404)
    content = render_report(process_report(process, _, language=get_language() or "de"), fmt)
    response = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="klebepunkt-{process.pk}.{fmt}"'
    return response
