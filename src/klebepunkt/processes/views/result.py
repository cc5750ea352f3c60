"""The result page and the report exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from klebepunkt.domain import TopicStoreEntry
from klebepunkt.domain.similarity import normalise_german
from klebepunkt.processes import selectors
from klebepunkt.processes.permissions import (
    process_for,
)
from klebepunkt.processes.reporting import process_report
from klebepunkt.processes.views.common import is_htmx
from klebepunkt.reports.render import MEDIA_TYPES, render_report

# --- the result and its exports ----------------------------------------------------------------


def _matches(entry: TopicStoreEntry, query: str) -> bool:
    """Every word of the query in one of the entry's texts (case, umlauts and ß ignored)."""
    haystack = normalise_german(
        " ".join(
            [
                entry.text,
                entry.card.indicator,
                entry.card.responsible,
                entry.goal.text if entry.goal else "",
                entry.theme_field,
            ]
        )
    )
    return all(word in haystack for word in query.split())


@login_required
@require_GET
def result(request: HttpRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk)
    query = normalise_german(request.GET.get("q", ""))
    if is_htmx(request):  # the live search: only the topic store
        evaluation = selectors.evaluate_process(process)
        store = [entry for entry in evaluation.topic_store if not query or _matches(entry, query)]
        context = {"evaluation": evaluation, "store": store, "query": request.GET.get("q", "")}
        return render(request, "processes/result.html#topic-store", context)
    analysis = selectors.analysis_of(process)
    evaluation = analysis.evaluation
    store = [entry for entry in evaluation.topic_store if not query or _matches(entry, query)]
    context = {
        "process": process,
        "role": role,
        "evaluation": evaluation,
        "analysis": analysis,
        "explained": analysis.goals,
        "store": store,
        "query": request.GET.get("q", ""),
        "formats": REPORT_FORMATS,
    }
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
