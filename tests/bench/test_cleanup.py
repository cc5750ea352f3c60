"""The benchmark leaves nothing behind: stopped by SIGTERM (a timeout) or Ctrl+C in the middle
of a phase, it ends its app server (master and workers), the load generator, removes its
temporary directory and drops its PostgreSQL database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def processes_mentioning(text: str) -> list[str]:
    """Processes whose command line or environment names ``text`` (our temporary folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if text.encode() in cmdline or text.encode() in environ:
            command = cmdline.replace(b"\0", b" ").decode(errors="replace")
            found.append(f"{entry.name}: {command}")
    return found


def postgres_databases(prefix: str) -> list[str] | None:
    try:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3
        ) as connection:
            rows = connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"]
            ).fetchall()
            return [row[0] for row in rows]
    except Exception:
        return None


BENCH = [sys.executable, "-m", "klebepunkt", "bench", "--quick"]


def kill_processes_mentioning(text: str) -> None:
    """SIGKILL to the process groups of what ``processes_mentioning`` finds."""
    for found in processes_mentioning(text):
        try:
            group = os.getpgid(int(found.split(":", 1)[0]))
            if group != os.getpgid(0):  # never the test's own group
                os.killpg(group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


@pytest.mark.parametrize(
    ("database", "stop"), [("sqlite", signal.SIGTERM), ("postgres", signal.SIGINT)]
)
def test_a_stopped_benchmark_leaves_no_process_directory_or_database(tmp_path, database, stop):
    name = f"klebepunkt_bench_cleanup_{os.getpid()}"
    if database == "postgres" and postgres_databases(name) is None:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    env = {
        **os.environ,
        "TMPDIR": str(tmp_path),  # the benchmark's temporary folder, and so the marker we look for
        "KLEBEPUNKT_BENCH_DATABASES": database,
        "KLEBEPUNKT_BENCH_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    log = (tmp_path / "bench.log").open("w+")
    bench = subprocess.Popen(
        # started with SIGINT ignored, as a shell script's background job is (``./run test``
        # runs its PostgreSQL pass so): the benchmark must still stop on Ctrl+C / SIGINT
        ["sh", "-c", 'trap "" INT; exec "$@"', "sh", *BENCH],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while "clients voting against klebepunkt serve" not in (tmp_path / "bench.log").read_text():
            assert bench.poll() is None, (tmp_path / "bench.log").read_text()
            assert time.monotonic() < deadline, "the benchmark did not reach its voting phase"
            time.sleep(0.2)
        time.sleep(2)  # the load generator and the server are busy now
        assert processes_mentioning(str(tmp_path)), "nothing of the benchmark found to stop"
        if database == "postgres":
            assert postgres_databases(name) == [name]
        bench.send_signal(stop)
        bench.wait(timeout=60)
    finally:
        if bench.poll() is None:  # it did not stop: end what it started too, for later tests
            os.killpg(bench.pid, signal.SIGKILL)
            kill_processes_mentioning(str(tmp_path))
            if database == "postgres":
                from klebepunkt.bench.run import _postgres_admin  # the benchmark's own

                _postgres_admin([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])
        log.close()
    deadline = time.monotonic() + 30
    while processes_mentioning(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_mentioning(str(tmp_path)) == []
    assert [
        path.name for path in tmp_path.iterdir() if path.name.startswith("klebepunkt-bench")
    ] == []
    if database == "postgres":
        assert postgres_databases(name) == []
