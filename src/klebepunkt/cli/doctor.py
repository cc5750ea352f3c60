"""``doctor``: the configuration checked, in the words of web/doctor.py."""

from __future__ import annotations

import typer
from rich.markup import escape

from klebepunkt.cli.base import LANGUAGE, DataDirOption, _, app, open_data, out


@app.command(
    "doctor",
    help=_(
        "Check the configuration (secret key, host names, proxy, database, cache, fonts for "
        "PDF, mail, sign-on) and say what is wrong and how to fix it. Exit code 1 on an error."
    ),
)
def doctor_command(data_dir: DataDirOption = None) -> None:
    open_data(data_dir)  # as it is: the doctor reports waiting migrations, it runs none
    from django.utils import translation

    from klebepunkt.web import doctor

    translation.activate(LANGUAGE)
    findings = doctor.diagnose()
    out.print(escape(doctor.render(findings)), highlight=False)
    raise typer.Exit(doctor.exit_code(findings))
