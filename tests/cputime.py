"""CPU seconds per test, for measuring the suite on a busy machine where wall time says little.

Opt-in pytest plugin; each worker writes its figures to ``$CPUTIME_DIR/<worker>.json``::

    CPUTIME_DIR=/tmp/cpu .venv/bin/pytest -n 2 --dist worksteal -p tests.cputime -q
    .venv/bin/python -m tests.cputime /tmp/cpu 20

Per test: the worker's own CPU (``RUSAGE_SELF``), the CPU of the processes it waited for
(``RUSAGE_CHILDREN``: servers, commands; a process is counted when it is reaped, so now and
then in a later test) and the wall time, setup and teardown included.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

import pytest

_FIGURES: dict[str, tuple[float, float, float]] = {}


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    own, children = _cpu()
    start = time.perf_counter()
    yield
    own_after, children_after = _cpu()
    _FIGURES[item.nodeid] = (
        round(own_after - own, 3),
        round(children_after - children, 3),
        round(time.perf_counter() - start, 3),
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = os.environ.get("CPUTIME_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        (Path(folder) / f"{worker}.json").write_text(json.dumps(_FIGURES))


def main(folder: str, count: int = 30) -> None:
    figures: dict[str, list[float]] = {}
    for path in Path(folder).glob("*.json"):
        figures.update(
            (nodeid, f) for nodeid, f in json.loads(path.read_text()).items() if isinstance(f, list)
        )
    own = sum(f[0] for f in figures.values())
    children = sum(f[1] for f in figures.values())
    print(f"{len(figures)} tests: {own:.1f} s CPU in pytest, {children:.1f} s in child processes")
    print("   own  children    wall  test")
    ranked = sorted(figures.items(), key=lambda item: -(item[1][0] + item[1][1]))
    for nodeid, (own_s, children_s, wall_s) in ranked[:count]:
        print(f"{own_s:6.1f} {children_s:9.1f} {wall_s:7.1f}  {nodeid}")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:3]))
