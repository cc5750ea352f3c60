"""Issued versions of the report: issue one (a write), list them, read one's file and diff two."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klebepunkt.decisions import models
from klebepunkt.decisions.version_diff import SectionChange, diff_snapshots
from klebepunkt.processes import models as process_models
from klebepunkt.processes.reporting import process_report
from klebepunkt.reports.render import FORMATS, render_report
from klebepunkt.reports.result import report_dict


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
    """Freeze the report as it is now: its content as JSON with its SHA-256, and the bytes of
    every format (each with the version's name, date and digest in its footer); with
    ``rewording_annex``, the history of the priorities' working out in an annex."""
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
        process=process, label=label, issued_at=issued_at, snapshot=snapshot, sha256=digest
    )
    models.ReportVersionFile.objects.bulk_create(
        models.ReportVersionFile(version=version, fmt=fmt, content=render_report(report, fmt))
        for fmt in FORMATS
    )
    return version


def versions_of(process: process_models.Process) -> list[models.ReportVersion]:
    return list(models.ReportVersion.objects.filter(process=process).order_by("issued_at", "id"))


def version_file(version: models.ReportVersion, fmt: str) -> bytes | None:
    content = (
        models.ReportVersionFile.objects.filter(version=version, fmt=fmt)
        .values_list("content", flat=True)
        .first()
    )
    return bytes(content) if content is not None else None


def diff_versions(old: models.ReportVersion, new: models.ReportVersion) -> list[SectionChange]:
    return diff_snapshots(json.loads(old.snapshot), json.loads(new.snapshot))
