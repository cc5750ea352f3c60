"""Reports made in the background, and the cache of made reports.

A report file (the result report, the progress report, the code sheet) is named by what
it shows: ``key`` is a digest of the state it is made from, its kind, format and language. The
web app reads the state (cheap: one query per table), looks the key up and serves a
file already made; else it hands the report to the job queue and waits a moment for it
(``report_job_views.deliver``).

The queue is django-tasks with the database backend of django-tasks-db: it keeps its
queue in the database we already run, SQLite or PostgreSQL, so the demo needs no further
service; its worker (``db_worker``) runs as a child process of ``klebepunkt serve``
(``web/server.py``). A ``ReportJob`` row is what the pages show (state, step, error) and
holds the finished file, so that every app process on every host serves the same cache.

Each kind of report registers a maker (``register_maker``): given the job (its process,
format, language and parameters) and a callback for the steps, it returns the file's
bytes through the report's one rendering function.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone, translation
from django_stubs_ext import StrOrPromise
from django_tasks import task

from klebepunkt.processes.models import Process, ReportJob

logger = logging.getLogger(__name__)

StepCallback = Callable[[str], None]
Maker = Callable[[ReportJob, StepCallback], bytes]

STALE_AFTER = dt.timedelta(minutes=10)  # a job not finished by then is made again


@dataclass(frozen=True)
class ReportKind:
    maker: Maker
    label: StrOrPromise  # a lazy translation: "Result report"
    change: bool  # only those who may change the process may have it (the code sheet)


_kinds: dict[str, ReportKind] = {}


def register_maker(kind: str, maker: Maker, *, label: StrOrPromise, change: bool = False) -> None:
    """Let the worker make reports of ``kind`` (each app registers its own in ``ready``)."""
    _kinds[kind] = ReportKind(maker, label, change)


def kind_label(kind: str) -> str:
    return str(_kinds[kind].label) if kind in _kinds else kind


def kind_needs_change(kind: str) -> bool:
    return _kinds[kind].change if kind in _kinds else True


# --- the key: a digest of the state ------------------------------------------------------------


def _canonical(value: Any) -> Any:
    """``value`` as plain JSON values, the same for the same content in every process."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | Decimal):
        return repr(value)
    if isinstance(value, enum.Enum):
        return _canonical(value.value)
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "@": type(value).__qualname__,
            **{
                field.name: _canonical(getattr(value, field.name))
                for field in dataclasses.fields(value)
                if not callable(
                    getattr(value, field.name)
                )  # a translator: the language is in the key
            },
        }
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in sorted(value.items(), key=str)}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_canonical(item) for item in value), key=repr)
    return str(value)


def state_digest(content: Any) -> str:
    """A SHA-256 over every field of the values a report is made from (dataclasses, lists …)."""
    text = json.dumps(_canonical(content), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def report_slot(
    *, process: Process, kind: str, fmt: str, language: str, params: dict[str, Any]
) -> str:
    """The report as asked for, whatever the state: kind, format, language, parameters."""
    text = json.dumps([process.pk, kind, fmt, language, params], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


# --- asking for a report -----------------------------------------------------------------------


def request_report(
    *,
    process: Process,
    kind: str,
    fmt: str,
    language: str,
    params: dict[str, Any],
    state: Any,
    filename: str,
    media_type: str,
) -> ReportJob:
    """The job of this report for this state: made already, or queued now.

    ``state`` is everything the report is made from (the process's record and ballots, or
    the report's content model), read by the caller; its digest makes the key.
    """
    slot = report_slot(process=process, kind=kind, fmt=fmt, language=language, params=params)
    key = hashlib.sha256(f"{slot}:{state_digest(state)}".encode()).hexdigest()
    job = ReportJob.objects.defer("content").filter(key=key).first()
    if job is not None:
        stale = (
            job.state in (ReportJob.State.QUEUED, ReportJob.State.RUNNING)
            and timezone.now() - job.created_at > STALE_AFTER
        )
        if stale:  # the worker died with it or was never started: queue it again
            return retry_report(job=job)
        return job
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(
                process=process,
                key=key,
                slot=slot,
                kind=kind,
                fmt=fmt,
                language=language,
                params=params,
                filename=filename,
                media_type=media_type,
            )
    except IntegrityError:  # asked for at the same moment by another request: one job
        return ReportJob.objects.defer("content").get(key=key)
    return _enqueue(job)


def retry_report(*, job: ReportJob) -> ReportJob:
    """Queue a failed (or stale) job again."""
    ReportJob.objects.filter(pk=job.pk).update(
        state=ReportJob.State.QUEUED,
        step="",
        error="",
        created_at=timezone.now(),
        finished_at=None,
    )
    job.refresh_from_db(fields=["state", "step", "error", "created_at", "finished_at"])
    return _enqueue(job)


def _enqueue(job: ReportJob) -> ReportJob:
    result = make_report.enqueue(str(job.pk))
    # the immediate backend (tests) has run the job already; keep what it wrote
    ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db(fields=["state", "step", "error", "task_id", "runs", "finished_at"])
    return job


# --- making it (in the worker) -----------------------------------------------------------------


@task()
def make_report(job_id: str) -> None:
    """The queue's task: make the file of one ``ReportJob``."""
    run_report_job(job_id)


def run_report_job(job_id: str) -> None:
    claimed = ReportJob.objects.filter(
        pk=job_id, state__in=(ReportJob.State.QUEUED, ReportJob.State.RUNNING)
    ).update(state=ReportJob.State.RUNNING, runs=F("runs") + 1, step="")
    if not claimed:  # made already (asked twice) or the process is gone
        return
    job = ReportJob.objects.defer("content").select_related("process").get(pk=job_id)

    def on_step(text: str) -> None:
        ReportJob.objects.filter(pk=job_id).update(step=text[:200])

    try:
        with translation.override(job.language):
            data = _kinds[job.kind].maker(job, on_step)
    except Exception as error:
        logger.exception("report job %s (%s, %s) failed", job_id, job.kind, job.fmt)
        ReportJob.objects.filter(pk=job_id).update(
            state=ReportJob.State.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise  # the queue records the failure too
    ReportJob.objects.filter(pk=job_id).update(
        state=ReportJob.State.DONE, content=data, step="", finished_at=timezone.now()
    )
    _forget_older(job)


def _forget_older(job: ReportJob) -> None:
    """A newer file of the same report replaces the older ones (and the names in them)."""
    ReportJob.objects.filter(
        slot=job.slot, state__in=(ReportJob.State.DONE, ReportJob.State.FAILED)
    ).exclude(pk=job.pk).delete()


# --- reads -------------------------------------------------------------------------------------


def report_job_counts() -> dict[str, int]:
    """How many report jobs are in each state (for the metrics): queued, running, done, failed."""
    counts = dict.fromkeys(ReportJob.State.values, 0)
    for row in ReportJob.objects.values("state").annotate(n=Count("pk")).order_by():
        counts[row["state"]] = row["n"]
    return counts


def report_job_of(process: Process, job_id: Any) -> ReportJob | None:
    return ReportJob.objects.defer("content").filter(process=process, pk=job_id).first()


def report_file(job: ReportJob) -> bytes:
    data = ReportJob.objects.filter(pk=job.pk).values_list("content", flat=True).first()
    return bytes(data or b"")
