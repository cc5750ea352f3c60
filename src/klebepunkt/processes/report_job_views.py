"""The pages of a report made in the background: its progress, its file, trying again.

The download buttons (result report, progress report, code sheet) ask ``deliver`` for
their job: a file made already is sent at once; a job that finishes within
``REPORT_WAIT_SECONDS`` is sent too; otherwise the browser goes to the progress page,
which asks again every second (htmx; without JavaScript a refresh) and links the
file when it is ready.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from klebepunkt.processes.models import Process, ReportJob, Role
from klebepunkt.processes.permissions import process_for
from klebepunkt.processes.report_jobs import (
    kind_label,
    kind_needs_change,
    report_file,
    report_job_of,
    retry_report,
)

POLL_SECONDS = 0.1
PENDING = (ReportJob.State.QUEUED, ReportJob.State.RUNNING)


def _wait(job: ReportJob) -> ReportJob:
    """Wait a moment for a queued job: a small report is there before the page would be."""
    deadline = time.monotonic() + float(getattr(settings, "REPORT_WAIT_SECONDS", 1.0))
    while job.state in PENDING and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        job.refresh_from_db(fields=["state", "step", "error"])
    return job


def file_response(job: ReportJob) -> HttpResponse:
    response = HttpResponse(report_file(job), content_type=job.media_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


def deliver(request: HttpRequest, job: ReportJob) -> HttpResponse:
    """The file when it is ready within a moment, else the job's progress page."""
    if job.state in PENDING:
        job = _wait(job)
    if job.state == ReportJob.State.DONE:
        return file_response(job)
    return redirect("processes:report_job", job.process_id, job.pk)


def _local(url: str) -> str:
    """A link back within this site, never elsewhere."""
    return url if url.startswith("/") and not url.startswith("//") else ""


def _job_for(request: HttpRequest, pk: int, job_id: Any) -> tuple[Process, Any, ReportJob]:
    process, role = process_for(request.user, pk)
    job = report_job_of(process, job_id)
    if job is None:
        raise Http404
    if kind_needs_change(job.kind):
        process, role = process_for(request.user, pk, change=True)
    return process, role, job


@login_required
@require_GET
def report_job(request: HttpRequest, pk: int, job_id: Any) -> HttpResponse:
    process, role, job = _job_for(request, pk, job_id)
    context = {
        "process": process,
        "role": role,
        "job": job,
        "pending": job.state in PENDING,
        "job_label": f"{kind_label(job.kind)} ({job.fmt.upper()})",
        "back": _local(job.params.get("back", "")),
        "can_retry": role is Role.FACILITATOR,
    }
    if getattr(request, "htmx", False):
        response = render(request, "processes/report_job.html#status", context)
    else:
        response = render(request, "processes/report_job.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_GET
def report_job_file(request: HttpRequest, pk: int, job_id: Any) -> HttpResponse:
    _process, _role, job = _job_for(request, pk, job_id)
    if job.state != ReportJob.State.DONE:
        return redirect("processes:report_job", pk, job.pk)
    return file_response(job)


@login_required
@require_POST
def report_job_retry(request: HttpRequest, pk: int, job_id: Any) -> HttpResponse:
    process_for(request.user, pk, change=True)  # observers change nothing, not even this
    _process, _role, job = _job_for(request, pk, job_id)
    if job.state == ReportJob.State.FAILED:
        retry_report(job=job)
    return redirect("processes:report_job", pk, job.pk)
