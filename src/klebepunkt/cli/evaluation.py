"""Evaluating a tally sheet and writing a shipped sample: ``evaluate``, ``sample``.

The options and the input (a tally sheet or a sample) shared with the report commands
(``klebepunkt.cli.reports``) are defined here.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from klebepunkt.cli.base import _, app, err, fail, fail_text, out
from klebepunkt.domain import (
    Aggregation,
    Analysis,
    DomainError,
    Evaluation,
    NearSide,
    Rules,
    Tally,
    analyse,
    evaluate,
)
from klebepunkt.domain.process import ProcessRecord


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


class SampleName(StrEnum):
    koblenz_2017 = "koblenz-2017"


def rules_from(
    threshold: int | None,
    dots: int | None,
    aggregation: Aggregation | None,
    base: Rules | None = None,
) -> Rules:
    """The rules of ``base`` (the seed's defaults), with what the options change."""
    base = base or Rules()
    try:
        return Rules(
            dots_per_voter=dots if dots is not None else base.dots_per_voter,
            cap_per_card=base.cap_per_card,
            goal_threshold=threshold if threshold is not None else base.goal_threshold,
            aggregation=aggregation or base.aggregation,
        )
    except DomainError as error:
        fail(error)


ThresholdOption = Annotated[
    int | None,
    typer.Option(
        "--threshold", "-t", help=_("Points a goal needs to become a priority (default 3).")
    ),
]
DotsOption = Annotated[int | None, typer.Option("--dots", help=_("Dots per voter (default 8)."))]
AggregationOption = Annotated[
    Aggregation | None,
    typer.Option(
        "--aggregation", help=_("How a goal's points follow from its cards (default: sum).")
    ),
]
BallotsOption = Annotated[
    Path | None,
    typer.Option(
        "--ballots",
        help=_(
            "Ballots sheet (.csv or .xlsx), one row per voter and card: Mitglied, Bereich, "
            "Themenfeld, Handlungsempfehlung, Punkte. Gives support and stability."
        ),
        show_default=False,
    ),
]
SheetArgument = Annotated[
    Path,
    typer.Argument(
        help=_("Tally sheet: .csv (German Excel or UTF-8) or .xlsx."), show_default=False
    ),
]
OptionalSheetArgument = Annotated[
    Path | None,
    typer.Argument(
        help=_("Tally sheet: .csv (German Excel or UTF-8) or .xlsx."), show_default=False
    ),
]
SampleOption = Annotated[
    SampleName | None,
    typer.Option(
        "--sample",
        help=_("A shipped sample process instead of a tally sheet (with members and meetings)."),
    ),
]


@app.command(
    "evaluate",
    help=_("Evaluate a tally sheet: priorities, topic store, goals near the threshold, warnings."),
)
def evaluate_command(
    sheet: SheetArgument,
    threshold: ThresholdOption = None,
    dots: DotsOption = None,
    aggregation: AggregationOption = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help=_("Output: table or json."))
    ] = OutputFormat.table,
    ballots: BallotsOption = None,
) -> None:
    from klebepunkt.reports.result import analysis_dict, evaluation_dict
    from klebepunkt.sheets import read_ballots, read_sheet

    rules = rules_from(threshold, dots, aggregation)
    try:
        tally = read_sheet(sheet).tally
        evaluation = evaluate(tally, rules)
        ballot_values = read_ballots(ballots, tally, rules) if ballots is not None else None
        analysis = analyse(tally, rules, ballot_values, evaluation=evaluation)
    except DomainError as error:
        fail(error)
    if output_format is OutputFormat.json:
        result = evaluation_dict(evaluation, _) | analysis_dict(analysis, _)
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
    else:
        print_evaluation(evaluation)
        print_explanation(analysis)


def print_evaluation(evaluation: Evaluation) -> None:
    threshold = evaluation.threshold
    out.print(
        _(
            "%(dots)s dots · threshold %(threshold)s · %(priorities)s priorities · "
            "%(store)s entries in the topic store"
        )
        % {
            "dots": evaluation.total_dots,
            "threshold": threshold,
            "priorities": len(evaluation.priorities),
            "store": len(evaluation.topic_store),
        }
    )
    for field in evaluation.theme_fields:
        table = Table(title=f"{field.name} ({field.dots})", title_justify="left", expand=False)
        table.add_column(_("No."), justify="right")
        table.add_column(_("Goal"), overflow="fold", max_width=70)
        table.add_column(_("Cards"), justify="right")
        table.add_column(_("Points"), justify="right")
        table.add_column(_("Result"))
        for goal in field.goals:
            status = _("priority") if goal.is_priority else _("topic store")
            text = goal.goal.text or _("(no text)")
            if not goal.clustered:
                text = text + " (" + _("not yet clustered") + ")"
            table.add_row(goal.goal.nr, text, str(len(goal.cards)), str(goal.points), status)
        out.print(table)
        store = field.topic_store
        if store:
            out.print(_("Topic store") + f" ({len(store)}):", style="bold")
            for entry in store:
                reason = entry.reason.label.render(_)
                out.print(f"  • {escape(entry.text)} [dim]({reason})[/]", markup=True)
        out.print()
    if evaluation.near_threshold:
        out.print(_("Close to the threshold"), style="bold")
        for near in evaluation.near_threshold:
            side = (
                _("one dot short of the threshold")
                if near.side is NearSide.BELOW
                else _("one dot fewer and it would drop below the threshold")
            )
            out.print(f"  • {near.goal.goal.text} ({near.goal.points}): {side}")
    if evaluation.warnings:
        out.print(_("Warnings"), style="bold yellow")
        for finding in evaluation.warnings:
            out.print(f"  • {finding.message.render(_)}")


def print_explanation(analysis: Analysis) -> None:
    """The short "Erklärung": near duplicates, departures from the rule, fragile priorities."""
    from klebepunkt.reports.wording import short_explanation

    explanation = short_explanation(analysis, _)
    out.print()
    out.print(explanation.heading, style="bold")
    if explanation.no_support:
        out.print(f"  {explanation.no_support}", style="dim")
    if not explanation.points:
        out.print("  " + explanation.nothing)
    for point in explanation.points:
        out.print("  " + point.title + ":")
        for item in point.items:
            out.print(f"    • {item}")


@app.command(
    "sample",
    help=_("Write a shipped sample process (the Koblenz AG Sozialplanung 2017) as a tally sheet."),
)
def sample_command(
    name: Annotated[SampleName, typer.Argument(help=_("Name of the sample."))],
    output: Annotated[
        Path, typer.Option("--output", "-o", help=_("File to write: .xlsx or .csv."))
    ],
) -> None:
    from klebepunkt.samples import load_sample
    from klebepunkt.sheets import write_sheet

    if output.suffix.casefold() not in {".xlsx", ".csv"}:
        fail_text(_("The output file must end in .xlsx or .csv."))
    record = load_sample(name.value)
    try:
        write_sheet(record.tally, output)
    except OSError as error:
        fail_text(
            _("Cannot write %(file)s: %(reason)s") % {"file": output, "reason": error.strerror}
        )
    err.print(_("Written: %(file)s") % {"file": output})


@dataclass(frozen=True)
class Source:
    """What a report or a card sheet is made from: a tally sheet, or a whole process."""

    tally: Tally
    name: str
    record: ProcessRecord | None


def read_source(sheet: Path | None, sample: SampleName | None) -> Source:
    if sheet is not None and sample is not None:
        fail_text(_("Give either a tally sheet or --sample, not both."))
    if sample is not None:
        from klebepunkt.samples import load_sample

        record = load_sample(sample.value)
        return Source(record.tally, sample.value, record)
    if sheet is None:
        fail_text(_("Give a tally sheet (.csv or .xlsx) or --sample."))
    from klebepunkt.sheets import read_sheet

    try:
        sheet_read = read_sheet(sheet)
    except DomainError as error:
        fail(error)
    return Source(sheet_read.tally, sheet_read.name, None)
