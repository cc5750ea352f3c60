"""``klebepunkt bench``: the real stack over real HTTP against the floor, in the same run.

For SQLite and PostgreSQL each: prepare a round with N voters in a database of its
own, serve it as ``klebepunkt serve`` does, let a separate process play 50 voters
clicking at once (and 500 projectors polling), then serve the floor (the same
database work without Django, same server settings) and play the same clicks
against it; count overdrafts from the database. Then the evaluation of 100,000
cards. Prints a table and, as its last line, one JSON object.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

# one database per run (two runs on one server never meet); dropped when the run ends
POSTGRES_URL = os.environ.get(
    "KLEBEPUNKT_BENCH_DATABASE_URL",
    f"postgres://postgres@127.0.0.1:5432/klebepunkt_bench_{os.getpid()}",
)
SECRET = "benchmark-secret-key-for-signing-voter-cookies-only-here-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


REDIS_URL = os.environ.get("KLEBEPUNKT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_reachable() -> bool:
    """A Redis server answering PING at the benchmark's Redis address (loopback)."""
    try:
        host, port = REDIS_URL.split("//", 1)[1].split("/", 1)[0].split(":")
        with socket.create_connection((host, int(port)), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except (OSError, ValueError):
        return False


def _env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KLEBEPUNKT_DATA_DIR": str(data_dir),
        "KLEBEPUNKT_SECRET_KEY": SECRET,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # the run's servers count their metrics in the run's own data directory, even where the
    # operator set PROMETHEUS_MULTIPROC_DIR for their servers: a server's start empties the
    # directory it is given (one derived from another data directory is re-derived anyway)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    if redis_reachable():
        env["REDIS_URL"] = REDIS_URL  # the shared cache, as a city-wide deployment runs it
    else:
        env.pop("REDIS_URL", None)  # the database serves as the cache
    return env


def _python(module: str, *args: str, env: dict[str, str], timeout: float = 600) -> str:
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{module} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@contextmanager
def _server(
    command: list[str], env: dict[str, str], port: int, probe: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("w") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2)
                    break
                except urllib.error.HTTPError:
                    break  # it answers
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            "server did not start:\n" + log.read_text()[-3000:]
                        ) from None
                    time.sleep(0.2)
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


@contextmanager
def _serving(workers: int, env: dict[str, str], directory: Path) -> Iterator[tuple[int, int]]:
    """``klebepunkt serve`` with ``workers`` on a free port while the block runs: the port and
    the server's process group."""
    port = _free_port()
    command = [sys.executable, "-m", "klebepunkt", "serve", "--workers", str(workers)]
    log = directory / "serve.log"
    with _server([*command, "--port", str(port)], env, port, "/v/", log) as process:
        yield port, process.pid


def group_cpu_seconds(group: int) -> float:
    """User and system CPU seconds of the live processes of a process group (a server's
    master, its workers and its job worker), from ``/proc``; 0.0 where there is none."""
    total = 0
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # ended meanwhile
            continue
        if int(fields[2]) == group:  # fields after the name: state, ppid, pgrp, …
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def _ratio(app: float, floor: float) -> float | None:
    return round(app / floor, 3) if floor else None


def _cpu_ms_per_click(seconds: float, result: dict[str, Any]) -> float | None:
    return round(seconds * 1000 / result["clicks"], 3) if result.get("clicks") else None


def _load(plan: dict[str, Any], directory: Path, env: dict[str, str]) -> dict[str, Any]:
    path = directory / f"plan-{time.monotonic_ns()}.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    return _last_json(_python("klebepunkt.bench.load", str(path), env=env))


def _postgres_admin(statements: list[str]) -> None:
    import psycopg

    admin = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(
        admin.replace("postgres://", "postgresql://", 1), connect_timeout=3, autocommit=True
    ) as connection:
        for statement in statements:
            connection.execute(statement)


def postgres_unreachable() -> str | None:
    name = POSTGRES_URL.rsplit("/", 1)[1]
    try:
        _postgres_admin(
            [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"']
        )
        return None
    except Exception as error:
        return f"PostgreSQL not reachable at {POSTGRES_URL} ({error.__class__.__name__})"


def drop_postgres_database() -> None:
    """The benchmark's database goes when the benchmark ends (success, failure or signal)."""
    name = POSTGRES_URL.rsplit("/", 1)[1]
    try:
        _postgres_admin([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])
    except Exception:  # nothing to drop where nothing answers
        return


class Stopped(SystemExit):
    """SIGTERM or SIGHUP: unwinds like Ctrl+C, so every ``finally`` ends its servers."""


@contextmanager
def stopping_cleanly() -> Iterator[None]:
    """SIGTERM and SIGHUP raise in the main thread, so servers, load processes, temporary
    directories and the PostgreSQL database are cleaned up as on Ctrl+C or an error.

    Ctrl+C (SIGINT) raises KeyboardInterrupt even where the benchmark was started with SIGINT
    ignored: a shell script starts its background jobs so (``cmd &``), Python then keeps the
    signal ignored, and such a benchmark ran to its end after a SIGINT with its servers up."""

    def stop(signum: int, _frame: Any) -> None:
        raise Stopped(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def _bench_database(database: str, name: str) -> Iterator[tuple[Path, dict[str, str], str]]:
    """A temporary directory of a run, its environment (``DATABASE_URL``: SQLite
    ``name``.sqlite3 in the directory, else the Postgres bench database, dropped at the end),
    and why the run is skipped ("": it is not)."""
    with (
        ExitStack() as stack,
        tempfile.TemporaryDirectory(prefix=f"klebepunkt-bench-{name}-{database}-") as folder,
    ):
        directory = Path(folder)
        if database == "sqlite":
            yield directory, _env(f"sqlite:///{directory / name}.sqlite3", directory), ""
            return
        reason = postgres_unreachable()
        if reason:
            yield directory, {}, reason
            return
        stack.callback(drop_postgres_database)
        yield directory, _env(POSTGRES_URL, directory), ""


def _prepare(
    module: str, option: str, count: str, directory: Path, env: dict[str, str]
) -> dict[str, Any]:
    """What ``module setup OPTION COUNT FILE`` prepared, as it wrote it to FILE."""
    data_file = directory / f"{module.rsplit('.', 1)[-1]}.json"
    _python(module, "setup", option, count, str(data_file), env=env)
    data: dict[str, Any] = json.loads(data_file.read_text(encoding="utf-8"))
    return data


def _last_json(output: str) -> dict[str, Any]:
    """The JSON line a bench module prints last."""
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


OPEN_LOOP_RATES = (100, 300)  # clicks per second offered: a room of 25 makes a few


def bench_voting(
    database: str,
    voters: int,
    clients: int,
    pollers: int,
    workers: int,
    say: Callable[[str], None],
    open_loop_seconds: float = 8.0,
) -> dict[str, Any]:
    """Three phases on one database: the app alone; the app while projectors poll; the floor.

    The app and the floor each first serve the same clicks once in a round of their own (the
    warm-up: imports, URL resolver, templates, catalogues, connections and fragments of the
    freshly started workers are paid there), and the saturation phase is measured after it,
    so the ratio describes running servers. The warm-up's own figures are kept as
    ``cold_dots_per_s``, ``cold_floor_dots_per_s`` and ``cold_ratio`` (what ``ratio`` was
    until issue 16's fourth round)."""
    with _bench_database(database, "voting") as (directory, env, reason):
        if reason:
            return {"skipped": reason}
        say(f"{database}: preparing {voters} voters …")
        data = _prepare("klebepunkt.bench.prepare", "--voters", str(voters), directory, env)
        common = {"clients": clients, "adds": 8, "moves": 2, "max_seconds": 300, "timeout": 30}
        app_plan = {
            **common,
            "click_path": "/v/ballot/dot/",
            "headers": {"HX-Request": "true", "X-CSRFToken": "benchmarkbenchmarkbenchmark00000"},
        }
        say(f"{database}: {clients} clients voting against klebepunkt serve ({workers} workers) …")
        with _serving(workers, env, directory) as (port, group):
            base = f"http://127.0.0.1:{port}"
            cold = _load(
                {**app_plan, "base": base, "voters": data["warm"]["voters"]}, directory, env
            )
            cpu = group_cpu_seconds(group)
            app = _load({**app_plan, "base": base, "voters": data["app"]["voters"]}, directory, env)
            app_cpu = _cpu_ms_per_click(group_cpu_seconds(group) - cpu, app)
            say(f"{database}: the same again while {pollers} projectors poll …")
            token = data["projector"]["projector_token"]
            projector = _load(
                {
                    **app_plan,
                    "base": base,
                    "voters": data["projector"]["voters"],
                    "pollers": pollers,
                    "poll_path": f"/projector/{token}/live/",
                },
                directory,
                env,
            )
            open_loop = {}
            for rate in OPEN_LOOP_RATES:
                say(f"{database}: {rate} clicks/s offered (Poisson) while 20 projectors poll …")
                name = f"open{rate}"
                open_loop[str(rate)] = _load(
                    {
                        **app_plan,
                        "base": base,
                        "voters": data[name]["voters"],
                        "rate": rate,
                        "duration": open_loop_seconds,
                        "pollers": 20,
                        "poll_path": f"/projector/{data[name]['projector_token']}/live/",
                    },
                    directory,
                    env,
                )
        port = _free_port()
        say(f"{database}: the same clicks against the floor (no Django) …")
        floor_command = [sys.executable, "-m", "klebepunkt.bench.floor", "--workers", str(workers)]
        with _server(
            [*floor_command, "--database-url", env["DATABASE_URL"], "--port", str(port)],
            env,
            port,
            "/",
            directory / "floor.log",
        ) as floor_server:
            floor_plan = {**common, "base": f"http://127.0.0.1:{port}", "click_path": "/dot"}
            floor_cold = _load(
                {**floor_plan, "voters": data["floor_warm"]["voters"]}, directory, env
            )
            cpu = group_cpu_seconds(floor_server.pid)
            floor = _load({**floor_plan, "voters": data["floor"]["voters"]}, directory, env)
            floor_cpu = _cpu_ms_per_click(group_cpu_seconds(floor_server.pid) - cpu, floor)
        names = (
            "app",
            "floor",
            "projector",
            "warm",
            "floor_warm",
            *(f"open{rate}" for rate in OPEN_LOOP_RATES),
        )
        rounds = [str(data[name]["round"]) for name in names]
        checked = json.loads(_python("klebepunkt.bench.prepare", "check", *rounds, env=env))
        app_check, floor_check, projector_check, warm_check, floor_warm_check, *open_checks = (
            checked[round_id] for round_id in rounds
        )
        phases = (app, floor, projector, cold, floor_cold, *open_loop.values())
        # every click answered as placed or taken back is an audit event of its round; events
        # beyond the answers are clicks stored but not answered (cut off at the open loop's
        # bound, timed out, or sent again by the load generator after a lost connection)
        accepted_events = [
            (_accepted(phase), checked[round_id]["events"])
            for phase, round_id in zip(phases, rounds, strict=True)
        ]
    return {
        "voters": voters,
        "clients": clients,
        "workers": workers,
        "clicks": app["clicks"],
        "dots_per_s": app["dots_per_s"],
        "p50_ms": app["p50_ms"],
        "p99_ms": app["p99_ms"],
        "errors": app["errors"] + projector["errors"] + cold["errors"],
        "overdrafts": app_check["overdrafts"]
        + projector_check["overdrafts"]
        + warm_check["overdrafts"]
        + sum(check["overdrafts"] for check in open_checks),
        "audit_discrepancies": app_check["audit_discrepancies"]
        + projector_check["audit_discrepancies"]
        + warm_check["audit_discrepancies"]
        + sum(check["audit_discrepancies"] for check in open_checks),
        "open_loop": {
            rate: {
                key: result[key]
                for key in (
                    "offered_per_s",
                    "arrivals",
                    "achieved_per_s",
                    "clicks",
                    "errors",
                    "statuses",
                    "unplaced",
                    "retries",
                    "p50_ms",
                    "p95_ms",
                    "p99_ms",
                    "projector_clients",
                    "projector_p99_ms",
                    "projector_errors",
                )
            }
            for rate, result in open_loop.items()
        },
        "floor_dots_per_s": floor["dots_per_s"],
        "floor_p99_ms": floor["p99_ms"],
        "floor_errors": floor["errors"] + floor_cold["errors"],
        "refused": app["refused"],
        "floor_refused": floor["refused"],
        # clicks sent again after a lost keep-alive connection, in all of the app's phases
        "retries": sum(phase["retries"] for phase in (app, projector, cold, *open_loop.values())),
        "floor_retries": floor["retries"] + floor_cold["retries"],
        "answers_not_in_audit": sum(
            max(0, answers - events) for answers, events in accepted_events
        ),
        "events_without_answer": sum(
            max(0, events - answers) for answers, events in accepted_events
        ),
        "floor_overdrafts": floor_check["overdrafts"] + floor_warm_check["overdrafts"],
        "floor_audit_discrepancies": floor_check["audit_discrepancies"]
        + floor_warm_check["audit_discrepancies"],
        "ratio": _ratio(app["dots_per_s"], floor["dots_per_s"]),
        # the warm-up phases on the freshly started servers (the ratio before issue 16's fourth
        # round was measured so)
        "cold_dots_per_s": cold["dots_per_s"],
        "cold_floor_dots_per_s": floor_cold["dots_per_s"],
        "cold_ratio": _ratio(cold["dots_per_s"], floor_cold["dots_per_s"]),
        # the servers' CPU per click in the saturation phase: steadier than the ratio on a
        # shared machine (the load generator and other processes take the rest of the CPU)
        "server_cpu_ms_per_click": app_cpu,
        "floor_server_cpu_ms_per_click": floor_cpu,
        "cpu_ratio": round(floor_cpu / app_cpu, 3) if app_cpu and floor_cpu else None,
        "projector_clients": pollers,
        "projector_polls": projector["polls"],
        "projector_p50_ms": projector["projector_p50_ms"],
        "projector_p99_ms": projector["projector_p99_ms"],
        "projector_not_modified_share": projector["not_modified_share"],
        "projector_idle_not_modified_share": projector["idle_not_modified_share"],
        "projector_idle_p99_ms": projector["idle_p99_ms"],
        "dots_per_s_with_projectors": projector["dots_per_s"],
        "p99_ms_with_projectors": projector["p99_ms"],
        "error_samples": app["error_samples"] + projector["error_samples"] + floor["error_samples"],
    }


def _accepted(phase: dict[str, Any]) -> int:
    """The clicks of a load phase that its server answered as placed or taken back."""
    outcomes = phase["outcomes"]
    return int(outcomes.get("placed", 0) + outcomes.get("taken-back", 0))


def bench_collection(
    database: str, members: int, cards: int, pollers: int, workers: int, say: Callable[[str], None]
) -> dict[str, Any]:
    """The card collection: every member sends ``cards`` cards (each twice) while walls poll."""
    with _bench_database(database, "collection") as (directory, env, reason):
        if reason:
            return {"skipped": reason}
        say(f"{database}: {members} members write {cards} cards each while the wall polls …")
        data = _prepare("klebepunkt.bench.collection", "--members", str(members), directory, env)
        with _serving(workers, env, directory) as (port, _group):
            plan = {
                **data,
                "base": f"http://127.0.0.1:{port}",
                "cards": cards,
                "pollers": pollers,
            }
            path = directory / "collection-plan.json"
            path.write_text(json.dumps(plan), encoding="utf-8")
            output = _python("klebepunkt.bench.collection", "load", str(path), env=env)
            result = _last_json(output)
        checked = _last_json(
            _python(
                "klebepunkt.bench.collection",
                "check",
                str(data["collection"]),
                str(members * cards),
                env=env,
            )
        )
    return {
        "collection_members": members,
        "collection_cards": result["cards"],
        "collection_cards_per_s": result["cards_per_s"],
        "collection_submit_p50_ms": result["submit_p50_ms"],
        "collection_submit_p99_ms": result["submit_p99_ms"],
        "collection_retry_p99_ms": result["retry_p99_ms"],
        "collection_wall_p99_ms": result["wall_p99_ms"],
        "collection_wall_pollers": pollers,
        "collection_wall_not_modified_share": result["wall_not_modified_share"],
        "collection_cards_lost": checked["lost"],
        "collection_cards_duplicated": checked["duplicated"],
        "collection_not_on_wall": result["not_on_wall"],
        "collection_errors": result["errors"],
        "collection_error_samples": result["error_samples"],
    }


def bench_board(*, repeat: int, cards: int = 1000) -> dict[str, Any]:
    """Server time of the clustering board's first paint and of a move (SQLite)."""
    with tempfile.TemporaryDirectory(prefix="klebepunkt-bench-board-") as name:
        directory = Path(name)
        env = _env(f"sqlite:///{directory / 'board.sqlite3'}", directory)
        output = _python(
            "klebepunkt.bench.board", "--cards", str(cards), "--repeat", str(repeat), env=env
        )
    return _last_json(output)


def bench_reports(*, repeat: int) -> dict[str, Any]:
    """Seconds from a process to the bytes of its report, per format (bench/reports.py):
    the Koblenz sample and a generated 1,000-card process."""
    with tempfile.TemporaryDirectory(prefix="klebepunkt-bench-reports-") as name:
        directory = Path(name)
        env = _env(f"sqlite:///{directory / 'reports.sqlite3'}", directory)
        output = _python(
            "klebepunkt.bench.reports",
            "--repeat",
            str(repeat),
            "--docx",
            "--json",
            env=env,
            timeout=1200,
        )
    return _last_json(output)


def bench_pages(database: str, repeat: int) -> dict[str, Any]:
    """Server time of the facilitator's pages in a big process (bench/pages.py)."""
    with _bench_database(database, "pages") as (_directory, env, reason):
        if reason:
            return {"skipped": reason}
        output = _python(
            "klebepunkt.bench.pages",
            "--repeat",
            str(repeat),
            env=env,
            timeout=1200,
        )
        return _last_json(output)


def run(*, quick: bool, say: Callable[[str], None]) -> dict[str, Any]:
    voters = 120 if quick else 1000
    pollers = 500
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "quick": quick,
        "cache": "redis" if redis_reachable() else "database",
    }
    selected = os.environ.get("KLEBEPUNKT_BENCH_DATABASES", "sqlite,postgres").split(",")
    with stopping_cleanly():
        for database in ("sqlite", "postgres"):
            if database not in selected:
                results[database] = {"skipped": "not selected (KLEBEPUNKT_BENCH_DATABASES)"}
                continue
            results[database] = bench_voting(
                database,
                voters,
                clients=50,
                pollers=pollers,
                workers=2,
                say=say,
                open_loop_seconds=4.0 if quick else 10.0,
            )
            if "skipped" not in results[database]:
                results[database].update(
                    bench_collection(database, 50, cards=5, pollers=10, workers=2, say=say)
                )
        for database in ("sqlite", "postgres"):
            if database in selected and "skipped" not in results[database]:
                say(f"{database}: pages of a process with 1,000 cards, 100 goals, 60 voters …")
                results[database]["pages"] = bench_pages(database, repeat=10 if quick else 100)
        say("clustering board of a 1,000-card process …")
        results["board"] = bench_board(repeat=10 if quick else 100)
        say("reports: Koblenz and 1,000 cards as Markdown, PDF and Word …")
        results["reports"] = bench_reports(repeat=1 if quick else 3)
        say("evaluation of 100,000 cards in 10,000 goals …")
        from klebepunkt.bench import evaluation

        results["evaluation"] = evaluation.run(repeat=1 if quick else 3)
    return results
