"""The ``klebepunkt`` command: evaluate and report tally sheets, run the app.

Help and messages are German by default and English when the locale is English
(``LANG=en_US.UTF-8``) or ``KLEBEPUNKT_LANG=en``. Errors the user can act on are
printed as one line and exit with code 2; there is no traceback for bad input.

One module per command group; each registers its commands on ``base.app``. A new
command goes into the module of its group, or into a new module listed below (the
order of the list is the order of ``--help``). A command that needs the database
calls ``base.open_data`` first (the one Django bootstrap), then reads through the apps' selectors and writes
through their services.
"""

from __future__ import annotations

# Each module registers its commands on ``app`` when imported; ``--help`` lists them in
# this order.
# isort: off
from klebepunkt.cli import evaluation  # noqa: F401  evaluate, sample
from klebepunkt.cli import reports  # noqa: F401  report, cards
from klebepunkt.cli import server  # noqa: F401  demo, serve, manage, createuser
from klebepunkt.cli import transfer  # noqa: F401  export, import
from klebepunkt.cli import backups  # noqa: F401  backup, restore
from klebepunkt.cli import members  # noqa: F401  member-export, member-erase
from klebepunkt.cli import verify  # noqa: F401  verify
from klebepunkt.cli import doctor  # noqa: F401  doctor
from klebepunkt.cli import bench  # noqa: F401  bench

# isort: on
from klebepunkt.cli.base import app


def main() -> None:
    app()


__all__ = ["app", "main"]
