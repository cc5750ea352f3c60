"""A member's rights under the GDPR: ``member-export`` (Art. 15) and ``member-erase`` (Art. 17)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from klebepunkt.cli.base import (
    DataDirOption,
    ProcessArgument,
    Schema,
    _,
    app,
    fail_text,
    open_data,
    out,
    stored_process,
    write_file,
)

if TYPE_CHECKING:
    from klebepunkt.processes.models import Member

MemberArgument = Annotated[
    int, typer.Argument(help=_("Number of the member (as in the address of their edit page)."))
]


def _stored_member(process: int, member: int, data_dir: Path | None) -> Member:
    # the export and the erasure each write a privacy log record: the schema must be current
    open_data(data_dir, Schema.MIGRATED)
    from klebepunkt.processes.selectors import member_of

    stored_process(process)
    found = member_of(process_id=process, member_id=member)
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
    write_file(output, (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode())
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
