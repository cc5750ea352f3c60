"""Running the app: ``demo``, ``serve``, ``manage``, ``createuser``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from klebepunkt.cli.base import DataDirOption, Schema, _, app, err, fail_text, open_data, out

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

    directory = open_data(data_dir, Schema.SERVED)
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

    open_data(data_dir, Schema.SERVED)
    server.serve(host=host, port=port, workers=workers)


@app.command(
    "manage",
    help=_("Run a Django management command (migrate, createsuperuser, …)."),
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def manage_command(ctx: typer.Context, data_dir: DataDirOption = None) -> None:
    open_data(data_dir)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["klebepunkt manage", *ctx.args])


@app.command("createuser", help=_("Create a facilitator login (or set a new password)."))
def createuser_command(
    username: Annotated[str, typer.Argument(help=_("User name."))],
    password: Annotated[
        str | None, typer.Option("--password", help=_("Password (default: asked for)."))
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    open_data(data_dir, Schema.PREPARED)
    from django.core.exceptions import ValidationError

    from klebepunkt.processes.services import save_login

    secret = password or typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    try:
        save_login(username=username, password=secret)
    except ValidationError as error:
        fail_text(" ".join(error.messages))
    err.print(_("User %(user)s saved.") % {"user": username})
