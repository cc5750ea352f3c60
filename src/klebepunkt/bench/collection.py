"""The benchmark's collection phase: members write cards on their phones while the wall polls.

Run by the benchmark in subprocesses, against ``klebepunkt serve``:

    python -m klebepunkt.bench.collection setup --members 50 OUT.json   (Django)
    python -m klebepunkt.bench.collection load PLAN.json                (plain HTTP, threads)
    python -m klebepunkt.bench.collection check COLLECTION_ID           (Django)

Each member joins with the personal code of the meeting on ``/v/`` and sends their
cards; every card is sent twice with the same idempotency key (a retry after a lost
answer), so a lost or doubled card shows in the count. A wall polls the live part
with If-None-Match and notes when each card first appears on it.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from klebepunkt.bench.http import Client
from klebepunkt.bench.load import percentile
from klebepunkt.bench.prepare import add_members

FIELDS = ("Pflege", "Wohnen")
GROUPS = ("Politik", "Freie Träger", "Verwaltung")
MARK = re.compile(r"Benchkarte (\d+-\d+)")


def setup(members: int, out: Path) -> None:
    import datetime as dt

    from klebepunkt.collection import services
    from klebepunkt.processes import services as process_services
    from klebepunkt.processes.models import Meeting

    process = process_services.create_process(title="Benchmark Kartenabfrage", user=None)
    fields = [process_services.create_theme_field(process=process, name=n) for n in FIELDS]
    # experts without a voting right write too
    add_members(process, members, GROUPS, voting=lambda i: i % 5 != 0)
    meeting = Meeting.objects.create(process=process, date=dt.date(2026, 3, 1))
    collection = services.open_collection(
        meeting=meeting, question="Was wollen wir erreichen?", theme_fields=fields
    )
    codes = list(meeting.participants.order_by("id").values_list("code", flat=True))
    plan = {
        "collection": collection.pk,
        "wall_token": collection.wall_token,
        "fields": [field.pk for field in fields],
        "codes": codes,
    }
    out.write_text(json.dumps(plan), encoding="utf-8")


def _join(client: Client, code: str) -> None:
    page = client.get("/v/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError(f"no CSRF token on the join page ({page.status})")
    client.csrf = token.group(1)  # type: ignore[attr-defined]
    response = client.post("/v/", {"csrfmiddlewaretoken": token.group(1), "code": code})
    if response.status != 302 or "klebepunkt_participant" not in client.cookies:
        raise RuntimeError(f"joining failed: {response.status}")


def load(plan: dict[str, Any]) -> dict[str, Any]:
    """Every member sends ``cards`` cards (each twice) at once while the wall polls.

    The seconds (for ``cards_per_s``) count from the moment the last member has joined, when
    all start sending; ``submit_*`` are the first sends of the cards, ``retry_p99_ms`` the
    second sends with the same key (answered "repeated"); a card counts from the first send
    that was answered as stored."""
    base, codes, fields = plan["base"], plan["codes"], plan["fields"]
    per_member = plan["cards"]
    pollers = plan.get("pollers", 1)
    lock = threading.Lock()
    acknowledged: dict[str, float] = {}  # card mark → when its first send was answered
    seen: dict[str, float] = {}  # card mark → when the wall first showed it
    submit_seconds: list[float] = []  # the first send of each card
    retry_seconds: list[float] = []  # the second send, with the same key
    errors: list[str] = []
    polls = [0, 0]  # polls, of them 304
    done = threading.Event()
    sending_from: list[float] = []  # when the last member had joined and all began to send
    barrier = threading.Barrier(len(codes), action=lambda: sending_from.append(time.perf_counter()))

    def member(index: int) -> None:
        client = Client(base)
        try:
            _join(client, codes[index])
            barrier.wait(timeout=120)
            for number in range(per_member):
                mark = f"{index}-{number}"
                data = {
                    "csrfmiddlewaretoken": client.csrf,  # type: ignore[attr-defined]
                    "theme_field": str(fields[index % len(fields)]),
                    "text": f"Benchkarte {mark}: Angebote im Quartier ausbauen",
                    "indicator": "Zahl der Angebote",
                    "key": uuid.uuid4().hex,
                }
                for attempt in range(2):  # the second send is a retry with the same key
                    response = client.post("/k/cards/", data)
                    outcome = response.headers.get("x-klebepunkt-card", "")
                    with lock:
                        (retry_seconds if attempt else submit_seconds).append(response.seconds)
                        if response.status != 302 or outcome not in {"stored", "repeated"}:
                            errors.append(f"{response.status} {outcome}")
                        else:
                            acknowledged.setdefault(mark, time.perf_counter())
        except Exception as error:
            with lock:
                errors.append(f"{error.__class__.__name__}: {error}")
        finally:
            client.close()

    def wall(fast: bool) -> None:
        client = Client(base)
        etag = ""
        path = f"/k/wall/{plan['wall_token']}/live/"
        try:
            while not done.is_set():
                response = client.get(path, headers={"If-None-Match": etag} if etag else None)
                now = time.perf_counter()
                with lock:
                    polls[0] += 1
                    if response.status == 304:
                        polls[1] += 1
                    elif response.status == 200:
                        etag = response.headers.get("etag", "")
                        for mark in MARK.findall(response.text):
                            seen.setdefault(mark, now)
                    else:
                        errors.append(f"wall {response.status}")
                time.sleep(0.1 if fast else 1.0)
        except Exception as error:
            with lock:
                errors.append(f"wall {error.__class__.__name__}: {error}")
        finally:
            client.close()

    walls = [threading.Thread(target=wall, args=(i == 0,)) for i in range(pollers)]
    for thread in walls:
        thread.start()
    members = [threading.Thread(target=member, args=(i,)) for i in range(len(codes))]
    started = time.perf_counter()
    for thread in members:
        thread.start()
    for thread in members:
        thread.join(timeout=600)
    elapsed = time.perf_counter() - (sending_from[0] if sending_from else started)
    deadline = time.perf_counter() + 10  # the wall shows the last cards at its next poll
    while len(seen) < len(acknowledged) and time.perf_counter() < deadline:
        time.sleep(0.1)
    done.set()
    for thread in walls:
        thread.join(timeout=30)
    delays = [seen[mark] - acknowledged[mark] for mark in acknowledged if mark in seen]
    return {
        "cards": len(acknowledged),
        "cards_per_s": round(len(acknowledged) / elapsed, 1) if elapsed else None,
        "submit_p50_ms": round(percentile(submit_seconds, 0.5) * 1000, 1),
        "submit_p99_ms": round(percentile(submit_seconds, 0.99) * 1000, 1),
        "retry_p99_ms": round(percentile(retry_seconds, 0.99) * 1000, 1),
        "wall_p99_ms": round(max(percentile(delays, 0.99), 0) * 1000, 1) if delays else None,
        "not_on_wall": len(acknowledged) - len(delays),
        "wall_polls": polls[0],
        "wall_not_modified_share": round(polls[1] / polls[0], 3) if polls[0] else None,
        "errors": len(errors),
        "error_samples": errors[:5],
    }


def check(collection_id: int, expected: int) -> None:
    from django.db.models import Count

    from klebepunkt.collection.models import CollectedCard

    stored = CollectedCard.objects.filter(collection_id=collection_id)
    texts = stored.values("text").annotate(n=Count("id"))
    print(
        json.dumps(
            {
                "stored": stored.count(),
                "lost": expected - len(texts),
                "duplicated": sum(row["n"] - 1 for row in texts),
            }
        )
    )


def main() -> None:
    if sys.argv[1] == "load":
        plan = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
        print(json.dumps(load(plan)))
        return
    from klebepunkt.web import server

    server.configure()
    if sys.argv[1] == "setup":
        server.prepare()
        setup(int(sys.argv[3]), Path(sys.argv[4]))
    else:
        check(int(sys.argv[2]), int(sys.argv[3]))


if __name__ == "__main__":
    main()
