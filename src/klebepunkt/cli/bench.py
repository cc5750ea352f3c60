"""``bench``: the benchmark of the voting path, the projector and the evaluation."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from klebepunkt.cli.base import _, app, err, out


@app.command(
    "bench",
    help=_(
        "Measure the voting path, the projector and the evaluation against the floor of the "
        "same work without our code; the last line is one JSON object."
    ),
)
def bench_command(
    quick: Annotated[
        bool,
        typer.Option(
            "--quick",
            help=_(
                "A shorter run: 120 voters per phase instead of 1,000, and fewer repetitions "
                "(2 to 4 minutes on a 2-core machine; the whole run 6 to 11)."
            ),
        ),
    ] = False,
) -> None:
    from klebepunkt.bench.run import run

    results = run(quick=quick, say=lambda text: err.print(text, style="dim"))
    table = Table(title=_("Benchmark"), title_justify="left")
    for column in (_("Figure"), "SQLite", "PostgreSQL"):
        table.add_column(column, justify="right" if column != _("Figure") else "left")
    figures = (
        ("dots_per_s", _("clicks per second")),
        ("floor_dots_per_s", _("floor: clicks per second")),
        ("ratio", _("ratio to the floor")),
        ("cold_ratio", _("ratio to the floor, first clicks after the start")),
        ("server_cpu_ms_per_click", _("server CPU ms per click")),
        ("floor_server_cpu_ms_per_click", _("floor: server CPU ms per click")),
        ("p50_ms", "p50 ms"),
        ("p99_ms", "p99 ms"),
        ("errors", _("errors")),
        ("overdrafts", _("overdrafts")),
        ("projector_p99_ms", _("projector p99 ms")),
        ("projector_not_modified_share", _("projector polls answered 304 while voting")),
        ("projector_idle_not_modified_share", _("projector polls answered 304 when unchanged")),
        ("collection_cards_per_s", _("card collection: cards per second")),
        ("collection_submit_p99_ms", _("card collection: p99 ms of a card sent")),
        ("collection_wall_p99_ms", _("card collection: p99 ms until the card is on the wall")),
        ("collection_cards_lost", _("card collection: cards lost")),
        ("collection_cards_duplicated", _("card collection: cards stored twice")),
    )
    for key, label in figures:
        row = [label]
        for database in ("sqlite", "postgres"):
            entry = results[database]
            row.append(_("skipped") if "skipped" in entry else str(entry.get(key)))
        table.add_row(*row)
    for rate in ("100", "300"):
        for key, label in (
            ("p99_ms", _("%(rate)s clicks/s offered: p99 ms")),
            ("p95_ms", _("%(rate)s clicks/s offered: p95 ms")),
            ("errors", _("%(rate)s clicks/s offered: errors")),
        ):
            row = [label % {"rate": rate}]
            for database in ("sqlite", "postgres"):
                open_loop = results[database].get("open_loop", {}).get(rate, {})
                row.append(
                    _("skipped") if "skipped" in results[database] else str(open_loop.get(key))
                )
            table.add_row(*row)
    out.print(table)
    for database in ("sqlite", "postgres"):
        if "skipped" in results[database]:
            out.print(f"{database}: {results[database]['skipped']}")
    evaluation = results["evaluation"]
    out.print(
        _(
            "Evaluation of %(cards)s cards in %(goals)s goals: %(evaluate)s s "
            "(reading the sheet: %(read)s s as CSV, %(read_xlsx)s s as XLSX)"
        )
        % {
            "cards": evaluation["cards"],
            "goals": evaluation["goals"],
            "evaluate": evaluation["evaluate_s"],
            "read": evaluation["read_s"],
            "read_xlsx": evaluation["read_xlsx_s"],
        }
    )
    board = results["board"]
    out.print(
        _(
            "Clustering board of %(cards)s cards (%(field)s in the theme field shown): "
            "first paint p99 %(paint)s ms, a move between goals p99 %(move)s ms"
        )
        % {
            "cards": board["cards"],
            "field": board["cards_in_field"],
            "paint": board["paint_p99_ms"],
            "move": board["move_p99_ms"],
        }
    )
    sys.stdout.write(json.dumps(results, ensure_ascii=False) + "\n")
