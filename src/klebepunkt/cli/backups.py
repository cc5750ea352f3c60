"""Backups while the app runs: ``backup`` and ``restore``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.markup import escape

from klebepunkt.cli.base import (
    EXIT_USER_ERROR,
    DataDirOption,
    _,
    app,
    err,
    fail,
    open_data,
    out,
)

if TYPE_CHECKING:
    from klebepunkt.backup import BackupError, Database, Summary


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


def _configured_database(data_dir: Path | None) -> Database:
    open_data(data_dir)
    from django.conf import settings

    from klebepunkt.backup import BackupError, Database

    try:
        return Database.from_settings(settings.DATABASES["default"])
    except BackupError as error:
        fail(error)


def _fail_backup(error: BackupError) -> NoReturn:
    if error.command:
        label = _("Error")
        err.print(f"[bold red]{label}:[/] {escape(error.render(_))}", markup=True)
        sys.stdout.write(error.command + "\n")  # unwrapped, to copy and paste
        raise typer.Exit(EXIT_USER_ERROR)
    fail(error)


def _print_summary(headline: str, summary: Summary) -> None:
    out.print(headline, style="bold")
    details = [
        "SQLite" if summary.vendor == "sqlite" else "PostgreSQL",
        _("%(size)s MB") % {"size": f"{summary.size / 1e6:.1f}"},
    ]
    if summary.processes is not None:
        details.append(_("processes: %(count)s") % {"count": summary.processes})
        details.append(_("audit records: %(count)s") % {"count": summary.audit_records})
    out.print("  " + ", ".join(details))
