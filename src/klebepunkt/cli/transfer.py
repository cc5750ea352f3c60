"""A process as one file: ``export`` and ``import`` (the lossless JSON process document)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from klebepunkt.cli.base import (
    DataDirOption,
    ProcessArgument,
    Schema,
    _,
    app,
    fail,
    fail_text,
    open_data,
    out,
    stored_process,
    write_file,
)
from klebepunkt.domain import DomainError


@app.command("export", help=_("Export a stored process as one JSON file (lossless)."))
def export_command(
    process: ProcessArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help=_("JSON file to write."))],
    data_dir: DataDirOption = None,
) -> None:
    open_data(data_dir)
    from klebepunkt.process_document import dumps
    from klebepunkt.processes import selectors

    found = stored_process(process)
    write_file(output, dumps(selectors.document_record(found)))


@app.command("import", help=_("Import a process file (JSON) as a new process."))
def import_command(
    document: Annotated[Path, typer.Argument(help=_("Process file (JSON)."))],
    user: Annotated[
        str | None, typer.Option("--user", help=_("Facilitator of the new process (user name)."))
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    open_data(data_dir, Schema.PREPARED)
    from klebepunkt.process_document import loads
    from klebepunkt.processes.selectors import user_named
    from klebepunkt.processes.services import import_process

    owner = None
    if user:
        owner = user_named(user)
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
