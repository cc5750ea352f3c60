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
from typing import Annotated, Any, NoReturn

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
    Analysis,
    DomainError,
    Evaluation,
    FindingCode,
    NearSide,
    Rules,
    Tally,
    analyse,
    evaluate,
)
from klebepunkt.domain.messages import gettext_noop  # noqa: E402
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

    rules = _rules(threshold, dots, aggregation)
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
    lines: list[tuple[str, list[str]]] = []
    if analysis.similar_cards:
        lines.append(
            (
                _("Similar recommendations (possibly entered twice)"),
                [
                    _("“%(first)s” and “%(second)s” (%(score)s %% alike)")
                    % {
                        "first": pair.first.text,
                        "second": pair.second.text,
                        "score": round(pair.score * 100),
                    }
                    for pair in analysis.similar_cards
                ],
            )
        )
    departures = [
        finding.message.render(_)
        for finding in analysis.consistency
        if finding.code is not FindingCode.STATED_POINTS_DIFFER  # already among the warnings
    ]
    if departures:
        lines.append((_("Where the table departs from the rule"), departures))
    single = analysis.support.single_supporter_priorities
    if single:
        lines.append(
            (
                _("Priorities carried by a single voter"),
                [
                    _("%(goal)s (%(points)s points, all from one voter)")
                    % {"goal": goal.goal.goal.text, "points": goal.goal.points}
                    for goal in single
                ],
            )
        )
    unstable = analysis.stability.unstable
    if unstable:
        lines.append(
            (
                _("Priorities that hang on a single voter"),
                [
                    _("%(goal)s (voters whose absence alone would drop it: %(voters)s)")
                    % {"goal": goal.goal.goal.text, "voters": goal.changes_without}
                    for goal in unstable
                ],
            )
        )
    heading = _("Explanation")
    out.print()
    out.print(heading, style="bold")
    if not analysis.support.available and analysis.support.reason is not None:
        reason = analysis.support.reason.render(_)
        hint = _("Support and stability need a ballots sheet (--ballots).")
        out.print(f"  {reason} {hint}", style="dim")
    if not lines:
        out.print("  " + _("Nothing stands out."))
    for title, items in lines:
        out.print("  " + title + ":")
        for item in items:
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
class _Source:
    """What a report or a card sheet is made from: a tally sheet, or a whole process."""

    tally: Tally
    name: str
    record: ProcessRecord | None


DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help=_(
            "Data directory (SQLite database, secret key); default ./data or KLEBEPUNKT_DATA_DIR."
        ),
    ),
]


ProcessOption = Annotated[
    int | None,
    typer.Option(
        "--process", help=_("A stored process (its number, as in /p/N/), from the data directory.")
    ),
]


def _stored_process(process: int, data_dir: Path | None) -> Any:
    from klebepunkt.web import server

    server.configure(data_dir)
    from klebepunkt.processes.models import Process

    found = Process.objects.filter(pk=process).first()
    if found is None:
        fail_text(_("There is no process %(id)s.") % {"id": process})
    return found


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
        with _progress() as step:
            step(_("Reading the process"))
            stored = _stored_process(process, data_dir)  # sets Django up first
            from klebepunkt.processes.reporting import process_report

            report = process_report(stored, _, language=LANGUAGE)
            content = render_report(report, output_format.value, on_step=step)
        if output is None:
            sys.stdout.buffer.write(content)
        else:
            _write(output, content)
        return
    with _progress() as step:
        step(_("Reading the input"))
        source = _source(sheet, sample)
        record = source.record
        rules = _rules(threshold, dots, aggregation, record.rules if record else None)
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


HostOption = Annotated[str, typer.Option("--host", help=_("Address to listen on."))]
PortOption = Annotated[int, typer.Option("--port", help=_("Port to listen on."))]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", help=_("Number of server processes (default 2)."))
]


@app.command(
    "demo",
    help=_(
        "Set up the data directory with the Koblenz 2017 sample and a facilitator login, "
        "and serve the app."
    ),
)
def demo_command(
    data_dir: DataDirOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    workers: WorkersOption = None,
) -> None:
    from klebepunkt.web import server

    directory = server.configure(data_dir)
    server.prepare()
    user, password, process_id = server.ensure_demo(directory)
    address = f"http://{host}:{port}/"
    out.print(_("klebepunkt demo: the Koblenz 2017 sample"), style="bold")
    out.print(_("Address: %(address)s") % {"address": address})
    out.print(
        _("Login: user %(user)s, password %(password)s") % {"user": user, "password": password}
    )
    out.print(_("Process: %(address)sp/%(id)s/") % {"address": address, "id": process_id})
    out.print(
        _("Data directory: %(dir)s (stop with Ctrl+C; run again to continue)") % {"dir": directory}
    )
    sys.stdout.flush()
    server.serve(host=host, port=port, workers=workers)


@app.command("serve", help=_("Serve an existing data directory with the production server."))
def serve_command(
    data_dir: DataDirOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    workers: WorkersOption = None,
) -> None:
    from klebepunkt.web import server

    server.configure(data_dir)
    server.prepare()
    server.serve(host=host, port=port, workers=workers)


@app.command(
    "manage",
    help=_("Run a Django management command (migrate, createsuperuser, …)."),
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def manage_command(ctx: typer.Context, data_dir: DataDirOption = None) -> None:
    from django.core.management import execute_from_command_line

    from klebepunkt.web import server

    server.configure(data_dir)
    execute_from_command_line(["klebepunkt manage", *ctx.args])


@app.command("createuser", help=_("Create a facilitator login (or set a new password)."))
def createuser_command(
    username: Annotated[str, typer.Argument(help=_("User name."))],
    password: Annotated[
        str | None, typer.Option("--password", help=_("Password (default: asked for)."))
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    from klebepunkt.web import server

    server.configure(data_dir)
    server.prepare()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    secret = password or typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    users = get_user_model()
    user = users.objects.filter(username=username).first() or users(username=username)
    try:
        validate_password(secret, user)
    except ValidationError as error:
        fail_text(" ".join(error.messages))
    user.set_password(secret)
    user.save()
    err.print(_("User %(user)s saved.") % {"user": username})


ProcessArgument = Annotated[
    int, typer.Argument(help=_("Number of the process (as in its address /p/N/)."))
]


@app.command("export", help=_("Export a stored process as one JSON file (lossless)."))
def export_command(
    process: ProcessArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help=_("JSON file to write."))],
    data_dir: DataDirOption = None,
) -> None:
    found = _stored_process(process, data_dir)  # sets Django up first
    from klebepunkt.process_document import dumps
    from klebepunkt.processes import selectors

    record = selectors.process_record(found, tally=selectors.tally_of(found, include_rounds=False))
    _write(output, dumps(record))


@app.command("import", help=_("Import a process file (JSON) as a new process."))
def import_command(
    document: Annotated[Path, typer.Argument(help=_("Process file (JSON)."))],
    user: Annotated[
        str | None, typer.Option("--user", help=_("Facilitator of the new process (user name)."))
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    from klebepunkt.web import server

    server.configure(data_dir)
    server.prepare()
    from django.contrib.auth import get_user_model

    from klebepunkt.process_document import loads
    from klebepunkt.processes.services import import_process

    owner = None
    if user:
        owner = get_user_model().objects.filter(username=user).first()
        if owner is None:
            fail_text(_("There is no user with this name."))
    try:
        record = loads(document.read_bytes(), document.name)
    except FileNotFoundError:
        fail_text(_("File not found: %(file)s") % {"file": document})
    except DomainError as error:
        fail(error)
    process = import_process(record=record, user=owner)
    out.print(_("Imported as process %(id)s.") % {"id": process.pk})


@app.command(
    "backup",
    help=_(
        "Write a consistent snapshot of the database while the app runs: SQLite with its "
        "online backup, PostgreSQL with pg_dump (custom format)."
    ),
)
def backup_command(
    output: Annotated[Path, typer.Option("--output", "-o", help=_("Backup file to write."))],
    data_dir: DataDirOption = None,
) -> None:
    from klebepunkt.backup import BackupError, backup

    database = _configured_database(data_dir)
    try:
        summary = backup(database, output)
    except BackupError as error:
        _fail_backup(error)
    _print_summary(_("Backup written: %(file)s") % {"file": summary.path}, summary)


@app.command(
    "restore",
    help=_(
        "Read a backup back into the database of the data directory (or DATABASE_URL). "
        "An existing database is replaced only with --force, and only while no server runs."
    ),
)
def restore_command(
    backup_file: Annotated[Path, typer.Argument(help=_("Backup file (from klebepunkt backup)."))],
    data_dir: DataDirOption = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Replace an existing database."))
    ] = False,
) -> None:
    from klebepunkt.backup import BackupError, restore

    database = _configured_database(data_dir)
    try:
        summary = restore(database, backup_file, force=force)
    except BackupError as error:
        _fail_backup(error)
    target = str(database.path) if database.path is not None else database.name
    _print_summary(
        _("Restored from %(file)s into %(target)s") % {"file": backup_file, "target": target},
        summary,
    )
    if summary.replaced is not None:
        out.print(_("The database it replaced is kept as %(file)s.") % {"file": summary.replaced})
    out.print(_("Next: klebepunkt verify PROCESS checks every voting round of a process."))


def _configured_database(data_dir: Path | None) -> Any:
    from klebepunkt.web import server

    server.configure(data_dir)
    from django.conf import settings

    from klebepunkt.backup import BackupError, Database

    try:
        return Database.from_settings(settings.DATABASES["default"])
    except BackupError as error:
        fail(error)


def _fail_backup(error: Any) -> NoReturn:
    if error.command:
        label = _("Error")
        err.print(f"[bold red]{label}:[/] {escape(error.render(_))}", markup=True)
        sys.stdout.write(error.command + "\n")  # unwrapped, to copy and paste
        raise typer.Exit(EXIT_USER_ERROR)
    fail(error)


def _print_summary(headline: str, summary: Any) -> None:
    out.print(headline, style="bold")
    details = [
        "SQLite" if summary.vendor == "sqlite" else "PostgreSQL",
        _("%(size)s MB") % {"size": f"{summary.size / 1e6:.1f}"},
    ]
    if summary.processes is not None:
        details.append(_("processes: %(count)s") % {"count": summary.processes})
        details.append(_("audit records: %(count)s") % {"count": summary.audit_records})
    out.print("  " + ", ".join(details))


MemberArgument = Annotated[
    int, typer.Argument(help=_("Number of the member (as in the address of their edit page)."))
]


def _stored_member(process: int, member: int, data_dir: Path | None) -> Any:
    _stored_process(process, data_dir)  # sets Django up first
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # the privacy log's table
    from klebepunkt.processes.models import Member

    found = Member.objects.filter(pk=member, process_id=process).select_related("process").first()
    if found is None:
        fail_text(
            _("Process %(process)s has no member %(member)s.")
            % {"process": process, "member": member}
        )
    return found


@app.command(
    "member-export",
    help=_(
        "Write everything stored about one member as JSON (a request for access, "
        "Art. 15 DSGVO): the member record, their voting rounds, dots and audit records."
    ),
)
def member_export_command(
    process: ProcessArgument,
    member: MemberArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help=_("JSON file to write."))],
    data_dir: DataDirOption = None,
) -> None:
    found = _stored_member(process, member, data_dir)
    from klebepunkt.privacy import export_member, record_export

    document = export_member(found)
    _write(output, (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode())
    record_export(member=found, actor=None)


@app.command(
    "member-erase",
    help=_(
        "Erase one member's personal data (a request for erasure, Art. 17 DSGVO): the name "
        "becomes a neutral label, the contact is cleared; their votes stay counted under "
        "their pseudonyms and every audit chain stays valid."
    ),
)
def member_erase_command(
    process: ProcessArgument,
    member: MemberArgument,
    yes: Annotated[
        bool, typer.Option("--yes", help=_("Confirm the erasure (it cannot be undone)."))
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    found = _stored_member(process, member, data_dir)
    if not yes:
        fail_text(
            _(
                "Erasing the personal data of member %(member)s cannot be undone. "
                "Confirm with --yes."
            )
            % {"member": member}
        )
    from django.core.exceptions import ValidationError

    from klebepunkt.privacy import erase_member

    try:
        erased = erase_member(member=found, actor=None)
    except ValidationError as error:
        fail_text(" ".join(error.messages))
    out.print(
        _("The personal data of member %(member)s have been erased; they are now “%(label)s”.")
        % {"member": member, "label": erased.name}
    )


EXIT_INCONSISTENT = 1


@app.command(
    "doctor",
    help=_(
        "Check the configuration (secret key, host names, proxy, database, cache, fonts for "
        "PDF, mail, sign-on) and say what is wrong and how to fix it. Exit code 1 on an error."
    ),
)
def doctor_command(data_dir: DataDirOption = None) -> None:
    from django.utils import translation

    from klebepunkt.web import server

    server.configure(data_dir)
    from klebepunkt.web import doctor

    translation.activate(LANGUAGE)
    findings = doctor.diagnose()
    out.print(escape(doctor.render(findings)), highlight=False)
    raise typer.Exit(doctor.exit_code(findings))


@app.command(
    "verify",
    help=_(
        "Check a stored process against its audit log: recompute every voting round's "
        "ballots, dots and paper tallies from the hash-chained records and check every chain "
        "and seal. Exit code 0: consistent; 1: a change made behind the app's back."
    ),
)
def verify_command(process: ProcessArgument, data_dir: DataDirOption = None) -> None:
    found: Any = _stored_process(process, data_dir)  # sets Django up first
    from klebepunkt.voting.models import DotEvent, Voter, VotingRound
    from klebepunkt.voting.selectors import verify_round

    out.print(
        _("Checking process %(id)s “%(title)s” against its audit log")
        % {"id": found.pk, "title": found.title},
        style="bold",
    )
    rounds = list(VotingRound.objects.filter(process=found).order_by("created_at", "id"))
    if not rounds:
        out.print(_("The process has no voting rounds: there is nothing to check."))
        return
    problems: list[tuple[str, list[str]]] = []
    for voting_round in rounds:
        found_problems = verify_round(voting_round)
        events = DotEvent.objects.filter(voting_round=voting_round).count()
        voters = Voter.objects.filter(voting_round=voting_round).count()
        state = _ROUND_STATES.get(voting_round.state, voting_round.state)
        line = _(
            "Round “%(title)s” (%(state)s) – audit records: %(events)s, voters: %(voters)s"
        ) % {
            "title": voting_round.title,
            "state": _(state),
            "events": events,
            "voters": voters,
        }
        if found_problems:
            out.print(
                line + " – " + _("discrepancies: %(count)s") % {"count": len(found_problems)},
                style="bold red",
            )
            cards = _card_labels(found_problems)
            problems.append(
                (voting_round.title, [_discrepancy_text(p, cards) for p in found_problems])
            )
            continue
        out.print(line + " – " + _("consistent"))
        if voting_round.seal:
            out.print("  " + _("Seal: %(seal)s") % {"seal": voting_round.seal}, style="dim")
    if not problems:
        out.print(
            _(
                "All rounds are consistent (%(rounds)s): every ballot, every voter's dots and "
                "every paper tally recomputed from the audit log, every hash chain intact."
            )
            % {"rounds": len(rounds)},
            style="bold green",
        )
        return
    total = sum(len(texts) for _title, texts in problems)
    err.print(
        "[bold red]"
        + escape(
            _(
                "CAUTION: discrepancies found (%(count)s). The stored votes do not match the "
                "audit log: the database was changed behind the app's back (or is damaged)."
            )
            % {"count": total}
        )
        + "[/]",
        markup=True,
    )
    for title, texts in problems:
        label = _("Round “%(title)s”") % {"title": title}
        for text in texts:
            err.print(f"[red]  • {escape(label)}: {escape(text)}[/]", markup=True)
    raise typer.Exit(EXIT_INCONSISTENT)


def _card_labels(problems: list[Any]) -> dict[int, str]:
    from klebepunkt.processes.models import Card

    ids = {problem.card_id for problem in problems if problem.card_id is not None}
    labels = {}
    for card in Card.objects.filter(pk__in=ids).select_related("goal"):
        label = card.label
        labels[card.pk] = label if len(label) <= 50 else label[:49] + "…"
    return labels


_ROUND_STATES = {
    "prepared": gettext_noop("prepared"),
    "open": gettext_noop("open"),
    "closed": gettext_noop("closed"),
    "revealed": gettext_noop("revealed"),
}

_CHAIN_BREAKS = {
    "hash": gettext_noop("its checksum does not match its content (the record was changed)"),
    "link": gettext_noop(
        "it does not link to the record before it (a record was removed or inserted)"
    ),
    "sequence": gettext_noop("its number is out of sequence (a record was removed or inserted)"),
    "head": gettext_noop("the chain ends elsewhere than the voter's stored state says"),
}


def _discrepancy_text(problem: Any, cards: dict[int, str] | None = None) -> str:
    """One discrepancy of ``verify_round`` (a ``Discrepancy``), in the reader's language."""
    from klebepunkt.voting.selectors import PAPER_CHAIN

    chain = _("paper entries") if problem.chain == PAPER_CHAIN else problem.chain
    card = str(problem.card_id)
    if cards and problem.card_id in cards:
        card += f" („{cards[problem.card_id]}“)"
    values = {
        "chain": chain,
        "card": card,
        "stored": problem.stored,
        "log": problem.log,
        "limit": problem.limit,
        "sequence": problem.sequence,
    }
    if problem.what == "chain":
        reason = _(_CHAIN_BREAKS.get(problem.reason, problem.reason))
        return _("audit chain %(chain)s, record %(sequence)s: %(reason)s") % (
            values | {"reason": reason}
        )
    if problem.what == "ballot":
        return (
            _("dots of %(chain)s on card %(card)s: %(stored)s stored, %(log)s in the audit log")
            % values
        )
    if problem.what == "used":
        return _("dots used by %(chain)s: %(stored)s stored, %(log)s in the audit log") % values
    if problem.what == "budget":
        return _("%(chain)s holds %(stored)s dots, more than the budget of %(limit)s") % values
    if problem.what == "cap":
        return (
            _("%(chain)s holds %(log)s dots on card %(card)s, more than the cap of %(limit)s")
            % values
        )
    if problem.what == "paper":
        return (
            _("paper dots on card %(card)s: %(stored)s stored, %(log)s in the audit log") % values
        )
    if problem.what == "seal":
        return _(
            "the chains no longer end where they ended when the round was closed (seal broken)"
        )
    return f"{problem.what}: {problem.detail}"


@app.command(
    "bench",
    help=_(
        "Measure the voting path, the projector and the evaluation against the floor of the "
        "same work without our code; the last line is one JSON object."
    ),
)
def bench_command(
    quick: Annotated[
        bool, typer.Option("--quick", help=_("A shorter run (under a minute on a small machine)."))
    ] = False,
) -> None:
    from klebepunkt.bench.run import run

    results = run(quick=quick, say=lambda text: err.print(text, style="dim"))
    table = Table(title=_("Benchmark"), title_justify="left")
    for column in (_("Figure"), "SQLite", "PostgreSQL"):
        table.add_column(column, justify="right" if column != _("Figure") else "left")
    figures = (
        ("dots_per_s", _("clicks per second")),
        ("floor_dots_per_s", _("floor: clicks per second")),
        ("ratio", _("ratio to the floor")),
        ("p50_ms", "p50 ms"),
        ("p99_ms", "p99 ms"),
        ("errors", _("errors")),
        ("overdrafts", _("overdrafts")),
        ("projector_p99_ms", _("projector p99 ms")),
        ("projector_not_modified_share", _("projector polls answered 304 while voting")),
        ("projector_idle_not_modified_share", _("projector polls answered 304 when unchanged")),
    )
    for key, label in figures:
        row = [label]
        for database in ("sqlite", "postgres"):
            entry = results[database]
            row.append(_("skipped") if "skipped" in entry else str(entry.get(key)))
        table.add_row(*row)
    out.print(table)
    for database in ("sqlite", "postgres"):
        if "skipped" in results[database]:
            out.print(f"{database}: {results[database]['skipped']}")
    evaluation = results["evaluation"]
    out.print(
        _(
            "Evaluation of %(cards)s cards in %(goals)s goals: %(evaluate)s s (reading the sheet: %(read)s s)"
        )
        % {
            "cards": evaluation["cards"],
            "goals": evaluation["goals"],
            "evaluate": evaluation["evaluate_s"],
            "read": evaluation["read_s"],
        }
    )
    sys.stdout.write(json.dumps(results, ensure_ascii=False) + "\n")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
