"""A server's start empties the metric files of processes that are gone, never those of a
process still running (a server started from a test worker inherits the worker's directory)."""

from __future__ import annotations

import os
import subprocess
import sys

from klebepunkt.web import server


def test_only_the_files_of_processes_that_are_gone_are_removed(tmp_path, monkeypatch):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    mine = tmp_path / f"histogram_{os.getpid()}.db"
    old = tmp_path / f"counter_{gone.pid}.db"
    odd = tmp_path / "gauge_live.db"
    for path in (mine, old, odd):
        path.write_bytes(b"x")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    server.reset_metrics()
    assert mine.exists()
    assert not old.exists() and not odd.exists()
