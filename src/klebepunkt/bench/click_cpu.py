"""CPU seconds per dot click, in process: the WSGI application called directly, no network.

What ``klebepunkt bench`` measures over HTTP (clicks per second against the floor)
depends on the load generator and the other processes on the machine; this measures
the app's own cost of one click: ``time.process_time`` over a few thousand clicks
(placing and taking back a dot in turn, every one answered 200 and committed), the
median of several runs, the SQL statements per click, and optionally a profile.

    python -m klebepunkt.bench.click_cpu [--database sqlite|postgres] [--clicks 3000]
                                         [--runs 5] [--profile 20]

It prepares a database of its own exactly as the benchmark does (a temporary
directory; on PostgreSQL the benchmark's database, dropped at the end) and prints one
JSON object as its last line.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

CSRF = "benchmarkbenchmarkbenchmark00000"  # the CSRF cookie ``bench.prepare`` signs into the plan

Application = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def click_environ(cookie: str, card: int, action: str) -> dict[str, Any]:
    """The WSGI environ of the request the voter's page sends for ``+`` or ``−`` (HTMX)."""
    body = urlencode({"card": card, "action": action}).encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/v/ballot/dot/",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_COOKIE": cookie,
        "HTTP_HX_REQUEST": "true",
        "HTTP_X_CSRFTOKEN": CSRF,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def call(application: Application, environ: dict[str, Any]) -> tuple[str, dict[str, str], bytes]:
    """The status, headers and body ``application`` answers, as a server would collect them."""
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], *_exc: Any) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    chunks = application(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return answer["status"], answer["headers"], body


def clicks(voters: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """``count`` clicks round the voters: each places a dot on its first card, then takes it
    back, so every click is accepted and does the whole transaction."""
    plan = []
    for index in range(count):
        voter = voters[(index // 2) % len(voters)]
        action = "add" if index % 2 == 0 else "remove"
        plan.append(click_environ(voter["cookie"], voter["cards"][0], action))
    return plan


def measure(application: Application, voters: list[dict[str, Any]], count: int) -> float:
    """CPU seconds per click over ``count`` clicks; raises if any click is not accepted."""
    environs = clicks(voters, count)
    started = time.process_time()
    for environ in environs:
        status, headers, _body = call(application, environ)
        accepted = headers.get("X-Klebepunkt-Dot") in {"placed", "taken-back"}
        if not status.startswith("200") or not accepted:
            raise RuntimeError(f"click not accepted: {status} {headers}")
    return (time.process_time() - started) / count


def statements(application: Application, voters: list[dict[str, Any]], count: int) -> list[str]:
    """The SQL statements of ``count`` clicks, as the database connection sends them."""
    from django.db import connection

    sent: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        measure(application, voters, count)
    return sent


def child(plan_file: Path, count: int, runs: int, profile: int) -> dict[str, Any]:
    from klebepunkt.bench.prepare import setup
    from klebepunkt.web import server

    server.configure()
    server.prepare()
    setup(60, plan_file)
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    voters = plan["app"]["voters"]
    from django.db import connection

    from klebepunkt.bench import floor

    application = server.served_application()  # as the server loads it before its workers start
    floor.DATABASE_URL = os.environ["DATABASE_URL"]
    measure(application, voters, 200)  # warm: connections, templates, translations
    measure(floor.application, plan["floor"]["voters"], 200)
    sent = statements(application, voters, 20)
    per_run, floor_runs = [], []
    for _run in range(runs):
        per_run.append(measure(application, voters, count))
        floor_runs.append(measure(floor.application, plan["floor"]["voters"], count))
    result: dict[str, Any] = {
        "database": connection.vendor,
        "clicks_per_run": count,
        "runs": runs,
        "cpu_ms_per_click": [round(seconds * 1000, 3) for seconds in per_run],
        "cpu_ms_median": round(statistics.median(per_run) * 1000, 3),
        "floor_cpu_ms_per_click": [round(seconds * 1000, 3) for seconds in floor_runs],
        "floor_cpu_ms_median": round(statistics.median(floor_runs) * 1000, 3),
        # the floor's CPU per click over the app's: what the saturation ratio would be if the
        # server's CPU were all a click cost (it is not: HTTP and the load generator share it)
        "cpu_ratio": round(statistics.median(floor_runs) / statistics.median(per_run), 3),
        "queries_per_click": len(sent) / 20,
        "load": os.getloadavg()[0],
    }
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for the disk
        profiler.enable()
        measure(application, voters, count)
        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
        stats.print_stats(profile)
        stats.sort_stats("tottime").print_stats(profile)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clicks", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="print the top N of a cProfile")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child is not None:
        result = child(arguments.child, arguments.clicks, arguments.runs, arguments.profile)
        print(json.dumps(result))
        return
    from klebepunkt.bench.run import _bench_database

    with _bench_database(arguments.database, "click") as (directory, env, reason):
        if reason:
            print(json.dumps({"skipped": reason}))
            return
        command = [sys.executable, "-m", "klebepunkt.bench.click_cpu"]
        options = ["--clicks", str(arguments.clicks), "--runs", str(arguments.runs)]
        options += ["--profile", str(arguments.profile), "--child", str(directory / "plan.json")]
        subprocess.run([*command, *options], env=env, check=True)


if __name__ == "__main__":
    main()
