"""Data protection (DSGVO): the services (``services``) and the facilitator's pages (``views``).

It sits above ``voting`` in the layers (an erasure also unlinks the member's voter entries, an
export lists them, deleting a process deletes its rounds), so ``processes`` links to its pages
by URL name only (``privacy:...``), never by import.
"""

from klebepunkt.privacy.services import (
    CLI_ACTOR,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    delete_process,
    erase_member,
    erased_label,
    export_member,
    record_export,
)

__all__ = [
    "CLI_ACTOR",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "delete_process",
    "erase_member",
    "erased_label",
    "export_member",
    "record_export",
]
