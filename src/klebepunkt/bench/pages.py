"""Server time of the pages a facilitator uses, in a big process: 1,000 cards in 100 goals
and 4 theme fields, voted on by 60 members.

Run by the benchmark in a subprocess on a database of its own (Django is set up once per
process):

    python -m klebepunkt.bench.pages [--repeat N]  →  one JSON object on standard output

Each page is requested through Django's test client in this process (no network: the
server's own time), a few times to warm up, then ``repeat`` times measured: p50 and p99.
The client asks as a browser does (gzip accepted), so the big pages' compression is in the
time; ``sent_kb`` is the answer as sent, ``html_kb`` the page it unpacks to.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
import time
from collections.abc import Callable
from typing import Any

BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium sends
CARDS, GOALS, FIELDS, VOTERS = 1000, 100, ("Pflege", "Wohnen", "Soziale Belastung", "Bildung"), 60


def build() -> dict[str, Any]:
    """The big process, written through the services; returns the ids the requests need."""
    from klebepunkt.processes import services as process_services
    from klebepunkt.processes.models import Process, Role
    from klebepunkt.processes.services import save_login
    from klebepunkt.voting import services

    rng = random.Random(11)
    user = save_login(username="bench", password="benchmark-password-0123456789")
    process = process_services.create_process(title="Großes Verfahren", user=user)
    process_services.grant_role(process=process, user=user, role=Role.FACILITATOR, by=None)
    group = process_services.create_stakeholder_group(process=process, name="Politik")
    for index in range(VOTERS):
        process_services.create_member(
            process=process, name=f"Mitglied {index + 1}", stakeholder_group=group
        )
    fields, goals, cards = [], [], []
    words = ["Pflegekonferenz", "Quartier", "Wohnraum", "Beratung", "Schule", "Armut", "Teilhabe"]
    for field_index, name in enumerate(FIELDS):
        field = process_services.create_theme_field(process=process, name=name)
        fields.append(field)
        field_goals = [
            process_services.create_goal(
                theme_field=field, text=f"Ziel {field_index + 1}.{n + 1}: {rng.choice(words)}"
            )
            for n in range(GOALS // len(FIELDS))
        ]
        goals += field_goals
        for n in range(CARDS // len(FIELDS)):
            cards.append(
                process_services.create_card(
                    theme_field=field,
                    goal=field_goals[n % len(field_goals)] if n % 10 else None,
                    fields=process_services.CardFields(
                        text=f"{name}: Empfehlung {n + 1} zu {rng.choice(words)} und {rng.choice(words)}",
                        indicator=f"Indikator {n + 1}",
                        responsible="Amt für Soziales",
                    ),
                )
            )
    voting_round = services.open_round(
        voting_round=services.create_round(process=process, title="Große Runde")
    )
    card_ids = [card.pk for card in cards]
    for voter in voting_round.voters.all():
        for card_id in rng.sample(card_ids, 8):
            services.place_dot(voter_id=voter.pk, card_id=card_id)
    services.reveal_round(voting_round=services.close_round(voting_round=voting_round))
    Process.objects.filter(pk=process.pk).update(is_public=True)
    return {
        "process": process.pk,
        "user": user.pk,
        "field": fields[0].pk,
        "goals": [goal.pk for goal in goals if goal.theme_field_id == fields[0].pk][:2],
        "card": next(card.pk for card in cards if card.theme_field_id == fields[0].pk),
    }


def answer_sizes(response: Any) -> dict[str, float]:
    """kB of an answer as sent (compressed where the page is) and of the page it unpacks to."""
    sent = response.content
    shown = gzip.decompress(sent) if response.get("Content-Encoding") == "gzip" else sent
    return {"sent_kb": round(len(sent) / 1000, 1), "html_kb": round(len(shown) / 1000, 1)}


def _percentiles(seconds: list[float], prefix: str = "") -> dict[str, float]:
    ordered = sorted(seconds)

    def at(fraction: float) -> float:
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    return {
        f"{prefix}p50_ms": round(1000 * at(0.5), 1),
        f"{prefix}p99_ms": round(1000 * at(0.99), 1),
    }


def measure(ids: dict[str, Any], repeat: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    # as a browser asks: the big pages come compressed (web/compression.py), in the time measured
    facilitator = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
    facilitator.force_login(get_user_model().objects.get(pk=ids["user"]))
    anonymous = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING=BROWSER_ENCODINGS)
    process = ids["process"]
    moves = iter(range(10**9))

    def move() -> Any:
        goal = ids["goals"][next(moves) % 2]
        return facilitator.post(
            f"/p/{process}/board/assign/",
            {"card": str(ids["card"]), "goal": str(goal)},
            headers={"HX-Request": "true"},
        )

    pages: dict[str, Callable[[], Any]] = {
        "cards": lambda: facilitator.get(f"/p/{process}/cards/"),
        "board": lambda: facilitator.get(f"/p/{process}/board/?field={ids['field']}"),
        "board_move": move,
        "result": lambda: facilitator.get(f"/p/{process}/result/"),
        "archive_search": lambda: facilitator.get("/topic-store/?q=Pflegekonfernz"),
        "public": lambda: anonymous.get(f"/public/{process}/"),
    }
    results: dict[str, Any] = {}
    for name, request in pages.items():
        for _ in range(2):  # warm up: templates compiled, caches filled as in a running server
            response = request()
        if response.status_code not in (200, 302):
            results[name] = {"error": response.status_code}
            continue
        sizes = answer_sizes(response)
        seconds, cpu = [], []  # CPU seconds of this process: what a busy machine inflates less
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            request()
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        results[name] = _percentiles(seconds) | _percentiles(cpu, "cpu_") | sizes
    return results


def main() -> None:
    from klebepunkt.web import server

    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 20
    server.configure()
    server.prepare()
    server.served_application()  # loaded as the server loads it before its workers start
    started = time.perf_counter()
    ids = build()
    built = time.perf_counter() - started
    results = measure(ids, repeat)
    print(
        json.dumps(
            {
                "cards": CARDS,
                "goals": GOALS,
                "voters": VOTERS,
                "build_s": round(built, 1),
                "repeat": repeat,
                "pages": results,
            }
        )
    )


if __name__ == "__main__":
    main()
