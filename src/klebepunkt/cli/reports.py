"""Documents: the result report (``report``) and the printable card sheet (``cards``)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from klebepunkt.cli.base import (
    LANGUAGE,
    DataDirOption,
    _,
    app,
    fail,
    fail_text,
    open_data,
    progress,
    stored_process,
    write_file,
)
from klebepunkt.cli.evaluation import (
    AggregationOption,
    BallotsOption,
    DotsOption,
    OptionalSheetArgument,
    SampleOption,
    ThresholdOption,
    read_source,
    rules_from,
)
from klebepunkt.domain import DomainError, analyse, evaluate


class ReportFormat(StrEnum):
    md = "md"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    pdf = "pdf"
    docx = "docx"


ProcessOption = Annotated[
    int | None,
    typer.Option(
        "--process", help=_("A stored process (its number, as in /p/N/), from the data directory.")
    ),
]


@app.command(
    "report",
    help=_(
        "Write the report of a tally sheet or a sample process: Part I, overview per theme "
        "field, priorities, topic store, charts and the explanation of the result. PDF, Word, "
        "Excel, CSV, Markdown or JSON."
    ),
)
def report_command(
    sheet: OptionalSheetArgument = None,
    sample: SampleOption = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help=_("Report format."))
    ] = ReportFormat.md,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=_("File to write (default: standard output).")),
    ] = None,
    threshold: ThresholdOption = None,
    dots: DotsOption = None,
    aggregation: AggregationOption = None,
    title: Annotated[str | None, typer.Option("--title", help=_("Title of the report."))] = None,
    ballots: BallotsOption = None,
    process: ProcessOption = None,
    data_dir: DataDirOption = None,
) -> None:
    from klebepunkt.reports import build_report, render_report
    from klebepunkt.reports.render import BINARY_FORMATS
    from klebepunkt.sheets import read_ballots

    if output is None and output_format.value in BINARY_FORMATS:
        if output_format is ReportFormat.xlsx:
            fail_text(_("An Excel report needs an output file (-o FILE.xlsx)."))
        fail_text(
            _("A %(format)s report needs an output file (-o FILE.%(suffix)s).")
            % {"format": output_format.value.upper(), "suffix": output_format.value}
        )
    if process is not None:
        if sheet is not None or sample is not None:
            fail_text(_("Give either a tally sheet, --sample or --process."))
        if ballots is not None:
            fail_text(
                _("A stored process takes its ballots from its voting rounds; drop --ballots.")
            )
        with progress() as step:
            step(_("Reading the process"))
            open_data(data_dir)
            stored = stored_process(process)
            from klebepunkt.processes.reporting import process_report

            report = process_report(stored, _, language=LANGUAGE)
            content = render_report(report, output_format.value, on_step=step)
        if output is None:
            sys.stdout.buffer.write(content)
        else:
            write_file(output, content)
        return
    with progress() as step:
        step(_("Reading the input"))
        source = read_source(sheet, sample)
        record = source.record
        rules = rules_from(threshold, dots, aggregation, record.rules if record else None)
        step(_("Evaluating"))
        try:
            evaluation = evaluate(source.tally, rules)
            ballot_values = (
                read_ballots(ballots, source.tally, rules) if ballots is not None else None
            )
            analysis = analyse(source.tally, rules, ballot_values, evaluation=evaluation)
        except DomainError as error:
            fail(error)
        step(_("Building the report"))
        if record is not None:
            subtitle = record.body
        else:
            subtitle = _("Evaluation of %(file)s") % {"file": source.name}
        report = build_report(
            evaluation,
            _,
            title=title or (record.title if record else _("Result of the dot vote")),
            subtitle=subtitle,
            record=record,
            analysis=analysis,
            language=LANGUAGE,
        )
        content = render_report(report, output_format.value, on_step=step)
        if output is not None:
            step(_("Writing the file"))
    if output is None:
        sys.stdout.buffer.write(content)
        return
    write_file(output, content)


@app.command(
    "cards",
    help=_(
        "Write a printable card sheet (PDF): every card of a tally sheet or a sample process "
        "on an A4 grid, six to a page, with a box for the dots."
    ),
)
def cards_command(
    sheet: OptionalSheetArgument = None,
    sample: SampleOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("PDF file to write."))
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help=_("Title in the footer of every page."))
    ] = None,
) -> None:
    from klebepunkt.reports.cards import render_card_sheet

    if output is None:
        fail_text(_("The card sheet needs an output file (-o FILE.pdf)."))
    with progress() as step:
        step(_("Reading the input"))
        source = read_source(sheet, sample)
        record = source.record
        content = render_card_sheet(
            source.tally,
            _,
            title=title or (record.title if record else source.name),
            language=LANGUAGE,
            on_step=step,
        )
    write_file(output, content)
