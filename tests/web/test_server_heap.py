"""The server freezes what start-up made and collects less often before its workers fork
(``web.server.settle_heap``, issue 16): a worker's full collection no longer walks Django,
the libraries and the app's modules, which made the slowest request of a big process's pages.
The workers are forked from this state; the tests look at it where gunicorn would fork."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from klebepunkt.web import server


@pytest.fixture
def collector() -> Iterator[None]:
    """The test process's collector as it was, afterwards."""
    threshold = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def _at_fork(monkeypatch: pytest.MonkeyPatch, module: Any) -> dict[str, Any]:
    """What the collector looks like when ``module`` hands the app to gunicorn."""
    seen: dict[str, Any] = {}

    def run_gunicorn(application: Any, options: dict[str, Any]) -> None:
        seen.update(
            threshold=gc.get_threshold(),
            frozen=gc.get_freeze_count(),
            application=application,
            options=options,
        )

    monkeypatch.setattr(module, "run_gunicorn", run_gunicorn)
    return seen


def test_the_app_server_settles_its_heap_before_the_workers_fork(monkeypatch, collector):
    monkeypatch.setenv("KLEBEPUNKT_TASK_WORKER", "0")
    seen = _at_fork(monkeypatch, server)
    assert gc.get_freeze_count() == 0

    server.serve(port=8123, workers=2, threads=4)

    from klebepunkt.web.wsgi import application

    assert seen["application"] is application
    assert seen["threshold"] == server.GC_THRESHOLD != (700, 10, 10)
    # Django, the libraries and the app's modules: tens of thousands of objects
    assert seen["frozen"] > 20_000


def test_the_benchmarks_floor_is_served_with_the_same_heap(monkeypatch, collector):
    """The floor's server is set up as the app's (bench/floor.py), so the ratio compares
    the same collector settings."""
    import sys

    from klebepunkt.bench import floor

    seen = _at_fork(monkeypatch, server)
    monkeypatch.setattr(floor, "DATABASE_URL", floor.DATABASE_URL)  # main() sets it
    monkeypatch.setattr(
        sys, "argv", ["floor", "--port", "8124", "--database-url", "sqlite:///floor.sqlite3"]
    )

    floor.main()

    assert seen["application"] is floor.application
    assert seen["threshold"] == server.GC_THRESHOLD
    assert seen["frozen"] > 0
