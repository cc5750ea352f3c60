"""The progress report as a background job (see ``processes.report_jobs``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext

from klebepunkt.monitoring import selectors
from klebepunkt.processes.models import Process, ReportJob
from klebepunkt.reports.progress import ProgressReport, build_progress_report
from klebepunkt.reports.render import render

PROGRESS_REPORT = "progress"


def progress_report_of(
    process: Process, *, as_of: date, since: date | None, language: str
) -> ProgressReport:
    """The progress report's content as of a day, with the changes since another."""
    return build_progress_report(
        selectors.monitoring_of(process),
        title=process.title,
        subtitle=process.body,
        as_of=as_of,
        since=since,
        translate=gettext,
        language=language,
    )


def progress_report_file(job: ReportJob, on_step: Callable[[str], None]) -> bytes:
    """The maker of the background job: the progress report of ``job.process`` as a file."""
    since = job.params.get("since")
    report = progress_report_of(
        job.process,
        as_of=date.fromisoformat(job.params["as_of"]),
        since=date.fromisoformat(since) if since else None,
        language=job.language[:2],
    )
    return render(report, job.fmt, on_step=on_step)
