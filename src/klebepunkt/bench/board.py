"""The clustering board of a 1,000-card process: server time of its first paint and of a move.

Run by the benchmark in a subprocess with a database of its own:

    python -m klebepunkt.bench.board [--cards 1000] [--repeat 30]

Each request goes through the whole Django stack in the process (middleware, session,
view, template, the compression a browser asks for), without the network: the server's
part of what the facilitator waits for. "paint" is the full board page of one theme field
(a quarter of the cards, those without a goal a page at a time); "move" is a card dragged
from one goal to another (the HTMX post and its redrawn board). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from klebepunkt.bench.pages import BROWSER_ENCODINGS, answer_sizes

FIELDS = ("Pflege", "Wohnen", "Soziale Belastung", "Bildung")
CARDS_PER_GOAL = 4
UNCLUSTERED_SHARE = 0.3


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def build(cards: int) -> tuple[Any, Any]:
    """A process of ``cards`` cards in four theme fields: most under goals of four cards, the
    rest (30 %) without a goal, every card with one to three dots."""
    from django.contrib.auth import get_user_model

    from klebepunkt.processes import models, services

    user = get_user_model().objects.create_user(username="bench-board")  # no password: force_login
    process = services.create_process(title="Board benchmark", user=user, theme_fields=FIELDS)
    per_field = cards // len(FIELDS)
    for field in process.theme_fields.all():
        clustered = int(per_field * (1 - UNCLUSTERED_SHARE))
        goals = models.Goal.objects.bulk_create(
            models.Goal(
                theme_field=field, nr=str(n + 1), text=f"{field.name}: Ziel {n + 1}", position=n
            )
            for n in range(-(-clustered // CARDS_PER_GOAL))
        )
        models.Card.objects.bulk_create(
            models.Card(
                theme_field=field,
                goal=goals[n // CARDS_PER_GOAL] if n < clustered else None,
                text=f"{field.name}: Empfehlung {n + 1} für die Sozialplanung im Stadtteil",
                dots=1 + n % 3,
                position=n,
            )
            for n in range(per_field)
        )
    return process, user


def run(cards: int, repeat: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from klebepunkt.processes import models

    process, user = build(cards)
    field = process.theme_fields.first()
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)  # as Chromium
    client.force_login(user)
    board = reverse("processes:board", args=[process.pk])
    assign = reverse("processes:board_assign", args=[process.pk])
    goals = list(models.Goal.objects.filter(theme_field=field).order_by("position")[:2])
    placed = list(models.Card.objects.filter(goal=goals[0]).order_by("position"))
    paint: list[float] = []
    move: list[float] = []
    cpu: list[float] = []  # this process's CPU time per paint: less dependent on a busy machine
    client.get(board, {"field": field.pk})  # templates compiled, caches warm
    for n in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(board, {"field": field.pk})
        paint.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
        card = placed[n % len(placed)]
        target = goals[(n // len(placed) + 1) % 2]
        start = time.perf_counter()
        response = client.post(assign, {"card": card.pk, "goal": target.pk}, HTTP_HX_REQUEST="true")
        move.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    sizes = answer_sizes(response)  # of the last move's answer
    return {
        "cards": models.Card.objects.filter(theme_field__process=process).count(),
        "cards_in_field": models.Card.objects.filter(theme_field=field).count(),
        "repeat": repeat,
        "paint_p50_ms": round(statistics.median(paint), 1),
        "paint_p99_ms": round(_p99(paint), 1),
        "paint_cpu_p50_ms": round(statistics.median(cpu), 1),
        "move_p50_ms": round(statistics.median(move), 1),
        "move_p99_ms": round(_p99(move), 1),
        "move_sent_kb": sizes["sent_kb"],  # the answer as sent (compressed)
        "move_html_kb": sizes["html_kb"],  # the board it unpacks to
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()
    from klebepunkt.web import server

    server.configure()
    server.prepare()
    server.served_application()  # loaded as the server loads it before its workers start
    print(json.dumps(run(options.cards, options.repeat)))


if __name__ == "__main__":
    main()
