"""What every command shares: the language, the typer app, output, errors, the data directory.

The language is chosen when this module loads, before click and typer load their texts.
``open_data`` is the one way a command sets Django up; after it, a command reads through
the apps' selectors and writes through their services (no ORM here).
"""

from __future__ import annotations

from klebepunkt.i18n import activate_for_process, language_from_environment, translator

LANGUAGE = language_from_environment()
activate_for_process(LANGUAGE)  # before click and typer load their texts
_ = translator(LANGUAGE)

from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from enum import Enum  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Annotated, NoReturn  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.markup import escape  # noqa: E402

from klebepunkt.domain import DomainError  # noqa: E402

if TYPE_CHECKING:
    from klebepunkt.processes.models import Process

EXIT_INCONSISTENT = 1
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


def fail(error: DomainError) -> NoReturn:
    fail_text(error.render(_))


def fail_text(text: str) -> NoReturn:
    label = _("Error")
    err.print(f"[bold red]{label}:[/] {escape(text)}", markup=True, highlight=False)
    raise typer.Exit(EXIT_USER_ERROR)


def write_file(output: Path, content: bytes) -> None:
    try:
        output.write_bytes(content)
    except OSError as error:
        fail_text(
            _("Cannot write %(file)s: %(reason)s") % {"file": output, "reason": error.strerror}
        )
    err.print(_("Written: %(file)s") % {"file": output})


@contextmanager
def progress() -> Iterator[Callable[[str], None]]:
    """A spinner with the current step on standard error, shown only on a terminal."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as spinner:
        task = spinner.add_task("", total=None)

        def step(description: str) -> None:
            spinner.update(task, description=escape(description))

        yield step


# --- the data directory -------------------------------------------------------------------


class Schema(Enum):
    """What ``open_data`` does to the database besides connecting Django to it."""

    AS_IS = "as-is"  # nothing: commands that read, back up, restore or run ``manage``
    MIGRATED = "migrated"  # apply pending migrations: commands that write a member's records
    PREPARED = "prepared"  # migrations and the cache table: importing, logins
    SERVED = "served"  # and the static files collected (when they changed): serving


def open_data(data_dir: Path | None, schema: Schema = Schema.AS_IS) -> Path:
    """Set Django up for the data directory (or ``DATABASE_URL``): the one bootstrap.

    Returns the data directory. Called once at the start of a command, before the
    command imports anything that needs Django's settings.
    """
    from klebepunkt.web import server

    directory = server.configure(data_dir)
    if schema is Schema.MIGRATED:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    elif schema in (Schema.PREPARED, Schema.SERVED):
        try:
            server.prepare(static=schema is Schema.SERVED)
        except server.StaticFilesNotWritable as error:
            fail_text(
                _(
                    "The static files in %(root)s do not match this version and cannot be "
                    "collected there (%(reason)s). Rebuild the image, or set "
                    "KLEBEPUNKT_STATIC_ROOT to a directory the server may write to."
                )
                % {"root": error.root, "reason": error.reason}
            )
    return directory


DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help=_(
            "Data directory (SQLite database, secret key); default ./data or KLEBEPUNKT_DATA_DIR."
        ),
    ),
]
ProcessArgument = Annotated[
    int, typer.Argument(help=_("Number of the process (as in its address /p/N/)."))
]


def stored_process(process_id: int) -> Process:
    """The process of that number, after ``open_data``; else the command ends with an error."""
    from klebepunkt.processes.selectors import process_by_id

    found = process_by_id(process_id)
    if found is None:
        fail_text(_("There is no process %(id)s.") % {"id": process_id})
    return found
