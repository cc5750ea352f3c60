"""Issued versions of the report: issue one (a write), list them, read one's file and diff two.

Issuing freezes the report's content in the request (the snapshot, its SHA-256 and the
content model) and queues the making of its files (``make_version_files``): rendering every
format of the Koblenz sample costs 2.5–2.9 CPU seconds (the PDF most of it, 4.2 s cold), a
process of 1,000 cards more than 20 s (BENCHMARKS.md: its PDF alone 18 s), too long for a
request on a busy server. The files are made from the frozen content, so they are the same
whenever the worker makes them, and a later change of the process, the code or the fonts
never alters them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import pickle
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from klebepunkt.decisions import models
from klebepunkt.decisions.version_diff import SectionChange, diff_snapshots
from klebepunkt.processes import models as process_models
from klebepunkt.processes.reporting import process_report
from klebepunkt.reports.render import FORMATS, render_report
from klebepunkt.reports.result import report_dict

logger = logging.getLogger(__name__)


def canonical(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@transaction.atomic
def issue_version(
    *,
    process: process_models.Process,
    label: str,
    translate: Callable[[str], str],
    language: str = "de",
    now: dt.datetime | None = None,
    rewording_annex: bool = False,
) -> models.ReportVersion:
    """Freeze the report as it is now: its content as JSON with its SHA-256, and the content
    model from which the queue makes every format (each with the version's name, date and
    digest in its footer); with ``rewording_annex``, the history of the priorities' working
    out in an annex."""
    label = label.strip()
    if not label:
        raise ValidationError({"label": _("Give the version a name.")})
    if len(label) > 200:
        raise ValidationError({"label": _("The name of a version has at most 200 characters.")})
    issued_at = now or timezone.now()
    report = process_report(process, translate, language=language, rewording_annex=rewording_annex)
    snapshot = canonical(report_dict(report))
    digest = hashlib.sha256(snapshot.encode("utf-8")).hexdigest()
    note = _("%(label)s · issued on %(date)s · SHA-256 %(digest)s") % {
        "label": label,
        "date": f"{timezone.localtime(issued_at):%d.%m.%Y}",
        "digest": digest,
    }
    report = dataclasses.replace(report, own=dataclasses.replace(report.own, version_note=note))
    version = models.ReportVersion.objects.create(
        process=process,
        label=label,
        issued_at=issued_at,
        snapshot=snapshot,
        sha256=digest,
        frozen_report=pickle.dumps((language, report), protocol=pickle.HIGHEST_PROTOCOL),
        files_state=models.FilesState.PENDING,
    )
    make_version_files.enqueue(version.pk)  # the queue's row commits with the version
    return version


@task()
def make_version_files(version_id: int) -> None:
    """The queue's task: render and store every file of an issued version."""
    render_version_files(version_id)


def render_version_files(version_id: int) -> None:
    """Render every format of the version from its frozen content and store it; then forget
    the frozen content. A format stored already is kept (a second run changes nothing)."""
    frozen = (
        models.ReportVersion.objects.filter(pk=version_id)
        .values_list("frozen_report", flat=True)
        .first()
    )
    if not frozen:  # made already, or the version (its process) is gone
        return
    language, report = pickle.loads(bytes(frozen))  # noqa: S301 - written by issue_version only
    try:
        made = set(
            models.ReportVersionFile.objects.filter(version_id=version_id).values_list(
                "fmt", flat=True
            )
        )
        for fmt in FORMATS:
            if fmt not in made:
                with translation.override(language):
                    content = render_report(report, fmt)
                models.ReportVersionFile.objects.create(
                    version_id=version_id, fmt=fmt, content=content
                )
    except Exception as error:
        logger.exception("the files of report version %s could not be made", version_id)
        models.ReportVersion.objects.filter(pk=version_id).update(
            files_state=models.FilesState.FAILED,
            files_error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise  # the queue records the failure too
    models.ReportVersion.objects.filter(pk=version_id).update(
        frozen_report=b"", files_state=models.FilesState.DONE, files_error=""
    )


def retry_version_files(*, version: models.ReportVersion) -> None:
    """Queue the making of a version's files again (after a failure)."""
    updated = models.ReportVersion.objects.filter(
        pk=version.pk, files_state=models.FilesState.FAILED
    ).update(files_state=models.FilesState.PENDING, files_error="")
    if updated:
        make_version_files.enqueue(version.pk)


def versions_of(process: process_models.Process) -> list[models.ReportVersion]:
    return list(
        models.ReportVersion.objects.filter(process=process)
        .defer("frozen_report")
        .order_by("issued_at", "id")
    )


def version_formats(process: process_models.Process) -> dict[int, list[str]]:
    """Version id → the formats of its files stored so far, in the order of ``FORMATS``."""
    stored: dict[int, set[str]] = {}
    for version_id, fmt in models.ReportVersionFile.objects.filter(
        version__process=process
    ).values_list("version_id", "fmt"):
        stored.setdefault(version_id, set()).add(fmt)
    return {
        version_id: [fmt for fmt in FORMATS if fmt in fmts] for version_id, fmts in stored.items()
    }


def version_file(version: models.ReportVersion, fmt: str) -> bytes | None:
    content = (
        models.ReportVersionFile.objects.filter(version=version, fmt=fmt)
        .values_list("content", flat=True)
        .first()
    )
    return bytes(content) if content is not None else None


def diff_versions(old: models.ReportVersion, new: models.ReportVersion) -> list[SectionChange]:
    return diff_snapshots(json.loads(old.snapshot), json.loads(new.snapshot))
