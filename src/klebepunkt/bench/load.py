"""The load generator of the benchmark: a separate process, loopback only, bounded in requests and time.

It plays voters clicking on their phones (one HTTP request per click, 50 at once)
and, optionally, projectors polling with conditional requests.

    python -m klebepunkt.bench.load PLAN.json  →  one JSON object on standard output
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    # what the server says a click did (its X-Klebepunkt-Dot header: placed, taken-back,
    # refused:…; the floor says "refused" alone): a refused click is answered 200 too
    outcomes: dict[str, int] = field(default_factory=dict)
    # requests sent a second time on a new connection after the first one was lost (a
    # keep-alive connection the server had closed); their latency covers both sends
    retries: int = 0

    def add(self, status: str, seconds: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.latencies.append(seconds)

    def outcome(self, headers: dict[str, str]) -> None:
        said = headers.get("x-klebepunkt-dot", "")
        self.outcomes[said] = self.outcomes.get(said, 0) + 1

    @property
    def refused(self) -> int:
        return sum(n for said, n in self.outcomes.items() if said.startswith("refused"))


def _share_304(tally: Tally) -> float | None:
    return (
        round(tally.statuses.get("304", 0) / len(tally.latencies), 3) if tally.latencies else None
    )


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Connection:
    def __init__(self, host: str, port: int, tally: Tally):
        self.host, self.port = host, port
        self.tally = tally  # counts this connection's retries
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes, timeout: float) -> tuple[int, dict[str, str]]:
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                self.writer.write(raw)
                return await asyncio.wait_for(self._response(), timeout)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
                self.tally.retries += 1
        raise ConnectionError("unreachable")

    async def _response(self) -> tuple[int, dict[str, str]]:
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while True:
                size = int((await self.reader.readline()).strip() or b"0", 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def request_bytes(
    method: str, host: str, path: str, headers: dict[str, str], body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    lines += [f"{key}: {value}" for key, value in headers.items()]
    if method == "POST":
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def click_requests(
    plan: dict[str, Any], rng: random.Random, hostport: str, voter: dict[str, Any]
) -> list[bytes]:
    """One voter's clicks: ``adds`` dots on random cards, then ``moves`` times one taken back
    and placed elsewhere."""
    cards = voter["cards"]
    placed: list[int] = []
    sequence: list[tuple[int, str]] = []
    for _ in range(plan.get("adds", 8)):
        card = rng.choice(cards)
        placed.append(card)
        sequence.append((card, "add"))
    for _ in range(plan.get("moves", 2)):  # take one back and place it elsewhere
        card = placed.pop(rng.randrange(len(placed)))
        sequence.append((card, "remove"))
        sequence.append((rng.choice(cards), "add"))
    headers = {**plan.get("headers", {}), "Cookie": voter["cookie"]}
    return [
        request_bytes(
            "POST",
            hostport,
            plan["click_path"],
            headers,
            urlencode({"card": card, "action": action}).encode(),
        )
        for card, action in sequence
    ]


def next_poll(tick: float, now: float, interval: float) -> tuple[float, float]:
    """A projector's next poll, after the answer to the poll of ``tick`` came at ``now``: the
    timer's tick it belongs to and the seconds until it is sent. htmx's timer fires every
    ``interval``; a tick during an unanswered poll is queued and sent with the answer."""
    tick += interval
    if now < tick:
        return tick, tick - now
    return tick + interval * math.floor((now - tick) / interval), 0.0


async def _poll(
    plan: dict[str, Any],
    connection: Connection,
    rng: random.Random,
    done: asyncio.Event,
    deadline: float,
    record: Callable[[str, float], None],
    errors: list[str],
) -> None:
    """One projector: polls ``poll_path`` with its ETag every ``poll_interval`` seconds until
    ``done`` or the deadline; ``record`` gets each answer's status and seconds ("error" for
    a poll that got no answer).

    As htmx 2's ``hx-trigger="every 1s"`` on the projector's page: a timer fires every
    interval; a tick that comes while the last poll is still unanswered is queued and sent as
    soon as the answer is in (the trigger's default ``queue:last``)."""
    hostport = f"{connection.host}:{connection.port}"
    timeout = plan.get("timeout", 30.0)
    interval = plan.get("poll_interval", 1.0)
    etag = ""
    await asyncio.sleep(rng.random())  # spread over the first second
    tick = time.perf_counter()
    try:
        while not done.is_set() and time.monotonic() < deadline:
            headers = {"HX-Request": "true", **({"If-None-Match": etag} if etag else {})}
            started = time.perf_counter()
            try:
                status, response = await connection.request(
                    request_bytes("GET", hostport, plan["poll_path"], headers), timeout
                )
                record(str(status), time.perf_counter() - started)
                etag = response.get("etag", etag)
            except Exception as error:
                record("error", time.perf_counter() - started)
                errors.append(f"poll {error.__class__.__name__}: {error}")
                connection.close()
            tick, pause = next_poll(tick, time.perf_counter(), interval)
            await asyncio.sleep(pause)
    finally:
        connection.close()


async def run(plan: dict[str, Any]) -> dict[str, Any]:
    parts = urlsplit(plan["base"])
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"load only goes to loopback, not {parts.hostname}")
    host, port = parts.hostname, parts.port or 80
    hostport = f"{host}:{port}"
    deadline = time.monotonic() + plan.get("max_seconds", 120)
    timeout = plan.get("timeout", 30.0)
    rng = random.Random(plan.get("seed", 1))

    voters = list(plan["voters"])
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for voter in voters:
        queue.put_nowait(voter)
    clicks = Tally()
    polls = Tally()
    idle_polls = Tally()
    voting_over = asyncio.Event()
    idle_from = float("inf")
    errors: list[str] = []
    done = asyncio.Event()

    async def voter_client() -> None:
        connection = Connection(host, port, clicks)
        try:
            while not queue.empty() and time.monotonic() < deadline:
                voter = queue.get_nowait()
                for raw in click_requests(plan, rng, hostport, voter):
                    started = time.perf_counter()
                    try:
                        status, headers = await connection.request(raw, timeout)
                        clicks.add(str(status), time.perf_counter() - started)
                        clicks.outcome(headers)
                    except Exception as error:
                        clicks.add("error", time.perf_counter() - started)
                        errors.append(f"{error.__class__.__name__}: {error}")
                        connection.close()
        finally:
            connection.close()

    async def poller(index: int) -> None:
        seen_final = False  # in the idle phase, the first poll fetches the final state

        def record(status: str, seconds: float) -> None:
            nonlocal seen_final
            if time.perf_counter() - seconds < started and status != "error":
                return  # a poll answered in the settling second, before the first click
            if not voting_over.is_set():
                polls.add(status, seconds)
            elif (seen_final and time.monotonic() > idle_from) or status == "error":
                idle_polls.add(status, seconds)
            else:
                seen_final = True  # this poll fetched the final state

        await _poll(plan, Connection(host, port, polls), rng, done, deadline, record, errors)

    started = float("inf")  # the first click's time
    pollers = [asyncio.create_task(poller(i)) for i in range(plan.get("pollers", 0))]
    if pollers:
        await asyncio.sleep(1.0)  # pollers settle in before the voting starts
    started = time.perf_counter()
    await asyncio.gather(*(voter_client() for _ in range(plan.get("clients", 50))))
    seconds = time.perf_counter() - started
    voting_over.set()
    idle_from = time.monotonic() + plan.get("idle_grace", 1.5)  # past the projector's shared second
    if pollers:
        await asyncio.sleep(
            plan.get("idle_seconds", 4.0)
        )  # nothing changes now: polls should be 304
    done.set()
    await asyncio.gather(*pollers)
    ok = clicks.statuses.get("200", 0)
    return {
        "clicks": len(clicks.latencies),
        "ok": ok,
        "statuses": clicks.statuses,
        "errors": sum(count for status, count in clicks.statuses.items() if status != "200"),
        "outcomes": clicks.outcomes,
        "refused": clicks.refused,
        "retries": clicks.retries,
        "poll_retries": polls.retries,
        "seconds": round(seconds, 3),
        "dots_per_s": round(ok / seconds, 1) if seconds else 0.0,
        "p50_ms": round(1000 * percentile(clicks.latencies, 0.50), 2),
        "p99_ms": round(1000 * percentile(clicks.latencies, 0.99), 2),
        "unfinished_voters": queue.qsize(),
        "polls": len(polls.latencies),
        "poll_statuses": polls.statuses,
        "projector_p50_ms": round(1000 * percentile(polls.latencies, 0.50), 2),
        "projector_p99_ms": round(1000 * percentile(polls.latencies, 0.99), 2),
        "not_modified_share": _share_304(polls),
        "idle_polls": len(idle_polls.latencies),
        "idle_not_modified_share": _share_304(idle_polls),
        "idle_p99_ms": round(1000 * percentile(idle_polls.latencies, 0.99), 2),
        "error_samples": errors[:5],
    }


async def open_loop(plan: dict[str, Any]) -> dict[str, Any]:
    """Clicks offered at a fixed rate (Poisson arrivals), whatever the answers take.

    Each arrival takes a voter who has no click in flight (one member clicks one at a time)
    and sends their next click on a free connection. When every member with a click left has
    one in flight, the arrival waits for the first of them to be answered (a queue, oldest
    first). The latency of a click is counted from the moment it was due, so a server that
    falls behind shows it, waiting included (no coordinated omission). ``pollers``
    projectors poll meanwhile. Bounded: ``duration`` seconds of arrivals, at most
    ``rate * duration * 1.5`` clicks, ``max_seconds`` in all; a click still waiting or in
    flight then counts as ``unanswered``, with its time so far. An arrival for which no
    member has a click left is ``unplaced`` (the plan has too few clicks): counted, no latency.
    """
    parts = urlsplit(plan["base"])
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"load only goes to loopback, not {parts.hostname}")
    host, port = parts.hostname, parts.port or 80
    hostport = f"{host}:{port}"
    rate, duration = float(plan["rate"]), float(plan["duration"])
    timeout = plan.get("timeout", 30.0)
    deadline = time.monotonic() + plan.get("max_seconds", duration + 60)
    rng = random.Random(plan.get("seed", 1))

    idle = [iter(click_requests(plan, rng, hostport, voter)) for voter in plan["voters"]]
    rng.shuffle(idle)
    busy = 0  # members with a click in flight
    closing = False  # set at the bound: a click answered then does not send the next
    waiting: deque[float] = deque()  # the due times of arrivals that found every member busy
    unplaced = 0
    connections: list[Connection] = []
    clicks = Tally()
    polls = Tally()
    errors: list[str] = []
    in_flight: set[asyncio.Task[None]] = set()
    limit = int(rate * duration * 1.5)
    done = asyncio.Event()

    def send(voter: Iterator[bytes], due: float) -> bool:
        """The member's next click, due at ``due``; False when they have none left."""
        nonlocal busy
        raw = next(voter, None)
        if raw is None:
            return False
        busy += 1
        task = asyncio.create_task(click(voter, raw, due))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
        return True

    async def click(voter: Iterator[bytes], raw: bytes, due: float) -> None:
        nonlocal busy
        connection = connections.pop() if connections else Connection(host, port, clicks)
        try:
            status, headers = await connection.request(raw, timeout)
            clicks.add(str(status), time.perf_counter() - due)
            clicks.outcome(headers)
            connections.append(connection)
        except asyncio.CancelledError:  # the bound was reached with this click in flight
            clicks.add("unanswered", time.perf_counter() - due)
            connection.close()
            raise
        except Exception as error:
            clicks.add("error", time.perf_counter() - due)
            errors.append(f"{error.__class__.__name__}: {error}")
            connection.close()
        busy -= 1
        if closing:
            return  # the bound is reached: no click is sent any more
        if waiting and send(voter, waiting[0]):  # the oldest waiting arrival is theirs
            waiting.popleft()
        elif not waiting:
            idle.append(voter)  # their next click may come

    def record(status: str, seconds: float) -> None:
        # not a poll answered in the settling second (one that got no answer counts always)
        if time.perf_counter() - seconds >= started or status == "error":
            polls.add(status, seconds)

    async def poller() -> None:
        await _poll(plan, Connection(host, port, polls), rng, done, deadline, record, errors)

    started = float("inf")
    pollers = [asyncio.create_task(poller()) for _ in range(plan.get("pollers", 0))]
    if pollers:
        await asyncio.sleep(1.0)
    started = time.perf_counter()
    due = started
    sent = 0
    while sent < limit and time.monotonic() < deadline:
        due += rng.expovariate(rate)
        if due - started > duration:
            break
        pause = due - time.perf_counter()
        if pause > 0:
            await asyncio.sleep(pause)
        sent += 1
        while idle:
            if send(idle.pop(0), due):
                break
        else:
            if busy:
                waiting.append(due)
            else:
                unplaced += 1  # no member has a click left
    while in_flight and time.monotonic() < deadline:
        await asyncio.wait(
            set(in_flight),
            timeout=max(0.1, deadline - time.monotonic()),
            return_when=asyncio.FIRST_COMPLETED,
        )
    bounded = bool(in_flight)  # the time ran out with clicks in flight
    closing = True
    for task in list(in_flight):
        task.cancel()
    await asyncio.gather(*in_flight, return_exceptions=True)
    now = time.perf_counter()
    if bounded:
        for waited in waiting:  # still waiting for a member when the time ran out
            clicks.add("unanswered", now - waited)
    else:
        unplaced += len(waiting)  # every member had run out of clicks
    seconds = now - started
    done.set()
    await asyncio.gather(*pollers)
    for connection in connections:
        connection.close()
    ok = clicks.statuses.get("200", 0)
    return {
        "offered_per_s": rate,
        "arrivals": sent,  # this run's Poisson sample of the rate (the seed is fixed)
        "clicks": len(clicks.latencies),
        "achieved_per_s": round(ok / seconds, 1) if seconds else 0.0,
        "statuses": clicks.statuses,
        "errors": sum(n for status, n in clicks.statuses.items() if status != "200"),
        "outcomes": clicks.outcomes,
        "refused": clicks.refused,
        "retries": clicks.retries,
        "poll_retries": polls.retries,
        "unplaced": unplaced,
        "p50_ms": round(1000 * percentile(clicks.latencies, 0.50), 2),
        "p95_ms": round(1000 * percentile(clicks.latencies, 0.95), 2),
        "p99_ms": round(1000 * percentile(clicks.latencies, 0.99), 2),
        "projector_clients": len(pollers),
        "projector_p99_ms": round(1000 * percentile(polls.latencies, 0.99), 2),
        "projector_errors": sum(
            n for status, n in polls.statuses.items() if status not in ("200", "304")
        ),
        "error_samples": errors[:5],
    }


def main() -> None:
    plan = json.loads(open(sys.argv[1], encoding="utf-8").read())  # noqa: SIM115
    print(json.dumps(asyncio.run(open_loop(plan) if "rate" in plan else run(plan))))


if __name__ == "__main__":
    main()
