"""``verify``: a stored process checked against its audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from klebepunkt.cli.base import (
    EXIT_INCONSISTENT,
    DataDirOption,
    ProcessArgument,
    _,
    app,
    err,
    open_data,
    out,
    stored_process,
)
from klebepunkt.domain.messages import gettext_noop

if TYPE_CHECKING:
    from klebepunkt.domain.audit import Discrepancy


@app.command(
    "verify",
    help=_(
        "Check a stored process against its audit log: recompute every voting round's "
        "ballots, dots and paper tallies from the hash-chained records and check every chain "
        "and seal. Exit code 0: consistent; 1: a change made behind the app's back."
    ),
)
def verify_command(process: ProcessArgument, data_dir: DataDirOption = None) -> None:
    open_data(data_dir)
    from klebepunkt.voting.selectors import check_rounds

    found = stored_process(process)
    out.print(
        _("Checking process %(id)s “%(title)s” against its audit log")
        % {"id": found.pk, "title": found.title},
        style="bold",
    )
    checks = check_rounds(found)
    if not checks:
        out.print(_("The process has no voting rounds: there is nothing to check."))
        return
    problems: list[tuple[str, list[str]]] = []
    for check in checks:
        state = _ROUND_STATES.get(check.state, check.state)
        line = _(
            "Round “%(title)s” (%(state)s) – audit records: %(events)s, voters: %(voters)s"
        ) % {
            "title": check.title,
            "state": _(state),
            "events": check.audit_records,
            "voters": check.voters,
        }
        if check.discrepancies:
            out.print(
                line + " – " + _("discrepancies: %(count)s") % {"count": len(check.discrepancies)},
                style="bold red",
            )
            cards = _shortened(check.card_labels)
            problems.append(
                (check.title, [_discrepancy_text(p, cards) for p in check.discrepancies])
            )
            continue
        out.print(line + " – " + _("consistent"))
        if check.seal:
            out.print("  " + _("Seal: %(seal)s") % {"seal": check.seal}, style="dim")
    if not problems:
        out.print(
            _(
                "All rounds are consistent (%(rounds)s): every ballot, every voter's dots and "
                "every paper tally recomputed from the audit log, every hash chain intact."
            )
            % {"rounds": len(checks)},
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


def _shortened(labels: dict[int, str]) -> dict[int, str]:
    return {card: label if len(label) <= 50 else label[:49] + "…" for card, label in labels.items()}


_ROUND_STATES = {
    "prepared": gettext_noop("prepared"),
    "open": gettext_noop("open"),
    "closed": gettext_noop("closed"),
    "revealed": gettext_noop("revealed"),
}


def _discrepancy_text(problem: Discrepancy, cards: dict[int, str] | None = None) -> str:
    """One discrepancy of ``verify_round`` (a ``Discrepancy``), in the reader's language."""
    from klebepunkt.reports.wording import discrepancy_text

    return discrepancy_text(problem, _, cards)
