"""The report of a stored process: Teil I from its records, the explanation (with support
and stability from its counted voting rounds) from its analysis; the method section
describes those rounds as they were held."""

from __future__ import annotations

from klebepunkt.i18n import Translate
from klebepunkt.processes import extensions, models, selectors
from klebepunkt.reports import Report, build_report


def process_report(
    process: models.Process, translate: Translate, *, language: str = "de"
) -> Report:
    analysis = selectors.analysis_of(process)
    record = selectors.process_record(process, tally=analysis.tally)
    return build_report(
        analysis.evaluation,
        translate,
        title=process.title,
        subtitle=process.body,
        record=record,
        analysis=analysis,
        language=language,
        rounds=extensions.rounds(process),
    )
