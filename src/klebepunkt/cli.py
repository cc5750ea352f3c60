"""The ``klebepunkt`` command: evaluate and report tally sheets, run the app.

Help and messages are German by default and English when the locale is English
(``LANG=en_US.UTF-8``) or ``KLEBEPUNKT_LANG=en``. Errors the user can act on are
printed as one line and exit with code 2; there is no traceback for bad input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

from klebepunkt.i18n import activate_for_process, language_from_environment, translator

LANGUAGE = language_from_environment()
activate_for_process(LANGUAGE)  # before click and typer load their texts
_ = translator(LANGUAGE)

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.markup import escape  # noqa: E402
from rich.table import Table  # noqa: E402

from klebepunkt.domain import (  # noqa: E402
    Aggregation,
    DomainError,
    Evaluation,
    NearSide,
    Rules,
    Tally,
    evaluate,
)
from klebepunkt.domain.process import ProcessRecord  # noqa: E402

EXIT_USER_ERROR = 2

app = typer.Typer(
    help=_("klebepunkt: from recommendation cards and sticky dots to a list of priorities."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
out = Console(highlight=False, soft_wrap=False, markup=False)
err = Console(stderr=True, highlight=False)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


class ReportFormat(StrEnum):
    md = "md"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    pdf = "pdf"
    docx = "docx"


class SampleName(StrEnum):
    koblenz_2017 = "koblenz-2017"


def fail(error: DomainError) -> NoReturn:
    fail_text(error.render(_))
    raise typer.Exit(EXIT_USER_ERROR)


def fail_text(text: str) -> NoReturn:
    label = _("Error")
    err.print(f"[bold red]{label}:[/] {escape(text)}", markup=True, highlight=False)
    raise typer.Exit(EXIT_USER_ERROR)


def _rules(
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
) -> None:
    from klebepunkt.reports.result import evaluation_dict
    from klebepunkt.sheets import read_sheet

    rules = _rules(threshold, dots, aggregation)
    try:
        evaluation = evaluate(read_sheet(sheet).tally, rules)
    except DomainError as error:
        fail(error)
    if output_format is OutputFormat.json:
        sys.stdout.write(json.dumps(evaluation_dict(evaluation, _), ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
    else:
        print_evaluation(evaluation)


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
class _Source:
    """What a report or a card sheet is made from: a tally sheet, or a whole process."""

    tally: Tally
    name: str
    record: ProcessRecord | None


def _source(sheet: Path | None, sample: SampleName | None) -> _Source:
    if sheet is not None and sample is not None:
        fail_text(_("Give either a tally sheet or --sample, not both."))
    if sample is not None:
        from klebepunkt.samples import load_sample

        record = load_sample(sample.value)
        return _Source(record.tally, sample.value, record)
    if sheet is None:
        fail_text(_("Give a tally sheet (.csv or .xlsx) or --sample."))
    from klebepunkt.sheets import read_sheet

    try:
        sheet_read = read_sheet(sheet)
    except DomainError as error:
        fail(error)
    return _Source(sheet_read.tally, sheet_read.name, None)


def _write(output: Path, content: bytes) -> None:
    try:
        output.write_bytes(content)
    except OSError as error:
        fail_text(
            _("Cannot write %(file)s: %(reason)s") % {"file": output, "reason": error.strerror}
        )
    err.print(_("Written: %(file)s") % {"file": output})


@contextmanager
def _progress() -> Iterator[Callable[[str], None]]:
    """A spinner with the current step on standard error, shown only on a terminal."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("", total=None)

        def step(description: str) -> None:
            progress.update(task, description=escape(description))

        yield step


@app.command(
    "report",
    help=_(
        "Write the report of a tally sheet or a sample process: Part I, overview per theme "
        "field, priorities, topic store, charts. PDF, Word, Excel, CSV, Markdown or JSON."
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
) -> None:
    from klebepunkt.reports import build_report, render_report
    from klebepunkt.reports.render import BINARY_FORMATS

    if output is None and output_format.value in BINARY_FORMATS:
        if output_format is ReportFormat.xlsx:
            fail_text(_("An Excel report needs an output file (-o FILE.xlsx)."))
        fail_text(
            _("A %(format)s report needs an output file (-o FILE.%(suffix)s).")
            % {"format": output_format.value.upper(), "suffix": output_format.value}
        )
    with _progress() as step:
        step(_("Reading the input"))
        source = _source(sheet, sample)
        record = source.record
        rules = _rules(threshold, dots, aggregation, record.rules if record else None)
        step(_("Evaluating"))
        try:
            evaluation = evaluate(source.tally, rules)
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
            language=LANGUAGE,
        )
        content = render_report(report, output_format.value, on_step=step)
        if output is not None:
            step(_("Writing the file"))
    if output is None:
        sys.stdout.buffer.write(content)
        return
    _write(output, content)


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
    with _progress() as step:
        step(_("Reading the input"))
        source = _source(sheet, sample)
        record = source.record
        content = render_card_sheet(
            source.tally,
            _,
            title=title or (record.title if record else source.name),
            language=LANGUAGE,
            on_step=step,
        )
    _write(output, content)


@app.command("demo", help=_("Show the Koblenz 2017 sample evaluated by the seed's rule."))
def demo_command() -> None:
    from klebepunkt.samples import load_sample

    record = load_sample("koblenz-2017")
    out.print(record.title, style="bold", markup=False)
    print_evaluation(evaluate(record.tally, record.rules))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
