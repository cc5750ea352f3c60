"""The report of a stored process: Teil I from its records, the explanation (with support
and stability from its counted voting rounds) from its analysis; the method section
describes those rounds as they were held."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from klebepunkt.i18n import Translate
from klebepunkt.processes import extensions, models, selectors
from klebepunkt.reports import Report, build_report


def process_report(
    process: models.Process,
    translate: Translate,
    *,
    language: str = "de",
    rewording_annex: bool = False,
) -> Report:
    """The report; with ``rewording_annex`` the history of the priorities' working out
    in an annex (every report shows their final wording)."""
    analysis = selectors.analysis_of(process)
    record = selectors.process_record(process, tally=analysis.tally)
    report = build_report(
        analysis.evaluation,
        translate,
        title=process.title,
        subtitle=process.body,
        record=record,
        analysis=analysis,
        language=language,
        rounds=extensions.rounds(process),
    )
    report = dataclasses.replace(report, **extensions.report_additions(process, translate))  # type: ignore[arg-type]
    if not rewording_annex and report.own.rewordings:
        report = dataclasses.replace(report, own=dataclasses.replace(report.own, rewordings=()))
    return report


RESULT_REPORT = "result"
REWORDING_ANNEX = "rewordings"  # the parameter of a result report that asks for the annex


def result_report_file(job: models.ReportJob, on_step: Callable[[str], None]) -> bytes:
    """The maker of the background job: the result report of ``job.process`` as a file."""
    from django.utils.translation import gettext

    from klebepunkt.reports import render_report

    report = process_report(
        job.process,
        gettext,
        language=job.language,
        rewording_annex=bool(job.params.get(REWORDING_ANNEX)),
    )
    return render_report(report, job.fmt, on_step=on_step)


def result_report_state(process: models.Process) -> tuple[object, ...]:
    """Everything the result report is made from: the process's record (with the dots of
    its counted rounds), the rounds as held and their ballots. The same state makes the
    same report."""
    return (
        selectors.process_record(process),
        extensions.rounds(process),
        extensions.ballots(process),
        # the group's texts and decisions (their msgids: the language is in the report's slot)
        extensions.report_additions(process, str),
    )
