"""The report of a stored process: Teil I from its records, support from its voting rounds."""

from __future__ import annotations

from klebepunkt.domain import Analysis
from klebepunkt.i18n import Translate
from klebepunkt.processes import models, selectors
from klebepunkt.reports import Report, build_report
from klebepunkt.reports.content import SupportRow


def support_rows(analysis: Analysis) -> tuple[SupportRow, ...]:
    """Distinct supporters and dots by stakeholder group per goal, when ballots exist."""
    if not analysis.support.available:
        return ()
    return tuple(
        SupportRow(
            theme_field=item.goal.theme_field,
            nr=item.goal.goal.nr,
            goal=item.goal.goal.text,
            points=item.goal.points,
            supporters=item.supporters,
            dots_by_group=tuple((group.stakeholder_group, group.dots) for group in item.groups),
        )
        for item in analysis.support.goals
    )


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
        support=support_rows(analysis),
        language=language,
    )
