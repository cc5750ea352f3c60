"""The progress report (Sachstandsbericht) of a process: the page and the downloads."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from klebepunkt.monitoring import forms, selectors, services
from klebepunkt.monitoring.report_jobs import PROGRESS_REPORT, progress_report_of
from klebepunkt.processes.models import Process
from klebepunkt.processes.permissions import LoggedInRequest, process_for
from klebepunkt.processes.report_job_views import deliver
from klebepunkt.processes.report_jobs import request_report
from klebepunkt.processes.views.common import form_said
from klebepunkt.reports.render import MEDIA_TYPES
from klebepunkt.reports.render import PROGRESS_FORMATS as REPORT_FORMATS


def _language() -> str:
    return (get_language() or "de")[:2]


def _today() -> date:
    return timezone.localdate()


def _report_dates(
    request: HttpRequest, process: Process
) -> tuple[forms.ReportForm, date, date | None]:
    today = _today()
    data = request.GET if "as_of" in request.GET else None
    form = forms.ReportForm(data, initial={"as_of": today})
    as_of, since = today, selectors.previous_report_date(process, today)
    if data is not None and form.is_valid():
        as_of = form.cleaned_data["as_of"]
        since = (
            form.cleaned_data["since"]
            if data.get("since")
            else selectors.previous_report_date(process, as_of)
        )
    if data is None:
        form = forms.ReportForm(initial={"as_of": as_of, "since": since})
    return form, as_of, since


def _progress_report(process: Process, as_of: date, since: date | None) -> Any:
    return progress_report_of(process, as_of=as_of, since=since, language=_language())


@login_required
@require_http_methods(["GET", "POST"])
def report(request: LoggedInRequest, pk: int) -> HttpResponse:
    process, role = process_for(request.user, pk, change=request.method == "POST")
    if request.method == "POST":
        form_said(
            request,
            forms.ReportForm(request.POST),
            lambda data: services.issue_progress_report(
                process=process, as_of=data["as_of"], since=data["since"], user=request.user
            ),
            done=lambda issued: (
                _("The report as of %(date)s is recorded as given to the committee.")
                % {"date": f"{issued.as_of:%d.%m.%Y}"}
            ),
        )
        return redirect("monitoring:report", process.pk)
    form, as_of, since = _report_dates(request, process)
    content = _progress_report(process, as_of, since) if not form.errors else None
    query = f"?as_of={as_of.isoformat()}" + (f"&since={since.isoformat()}" if since else "")
    return render(
        request,
        "monitoring/report.html",
        {
            "process": process,
            "role": role,
            "form": form,
            "report": content,
            "formats": REPORT_FORMATS,
            "query": query,
            "issued": selectors.progress_reports_of(process),
            "as_of": as_of,
            "since": since,
        },
    )


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    process, _role = process_for(request.user, pk)
    if fmt not in REPORT_FORMATS:
        raise Http404
    form, as_of, since = _report_dates(request, process)
    if form.errors:
        raise Http404
    job = request_report(
        process=process,
        kind=PROGRESS_REPORT,
        fmt=fmt,
        language=_language(),
        params={
            "as_of": as_of.isoformat(),
            "since": since.isoformat() if since else None,
            "back": reverse("monitoring:report", args=[process.pk]),
        },
        state=_progress_report(process, as_of, since),
        filename=f"sachstandsbericht-{process.pk}-{as_of.isoformat()}.{fmt}",
        media_type=MEDIA_TYPES[fmt],
    )
    return deliver(request, job)


# --- the topic store across processes ----------------------------------------------------------
