"""The one error of every sheet: a German message naming file, row and column."""

from __future__ import annotations

from klebepunkt.domain import DomainError, Location, Message, gettext_noop

# A workbook is a zip of XML: a few kilobytes can unpack to gigabytes or name a cell at
# XFD1048576. These bounds are far above any sheet of a working group (5,000 cards of 10
# columns are 50,000 cells; the 100,000-card benchmark sheet 700,000) and far below what
# hurts the server: a million cells read into cards stay well under 300 MB and a few seconds.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_CELLS = 1_000_000


class SheetError(DomainError):
    """A sheet that cannot be read, with file, row and column."""


def too_large(filename: str) -> SheetError:
    return SheetError(
        Message(
            gettext_noop(
                "The workbook is too large: more than %(cells)s cells or %(megabytes)s MB unpacked."
            ),
            {"cells": f"{MAX_CELLS:,}".replace(",", "."), "megabytes": MAX_UNPACKED_BYTES >> 20},
        ),
        Location(file=filename),
    )


def unreadable(filename: str) -> SheetError:
    return SheetError(
        Message(gettext_noop("This file is not a readable Excel workbook (.xlsx).")),
        Location(file=filename),
    )
