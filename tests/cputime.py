"""CPU seconds per test, for measuring the suite on a busy machine where wall time says little.

Opt-in pytest plugin; each worker writes its figures to ``$CPUTIME_DIR/<worker>.json``::

    CPUTIME_DIR=/tmp/cpu .venv/bin/pytest -n 2 --dist worksteal -p tests.cputime -q
    .venv/bin/python -m tests.cputime /tmp/cpu 20

Per test: the worker's own CPU (``RUSAGE_SELF``), the CPU of the processes it waited for
(``RUSAGE_CHILDREN``: servers, commands; a process is counted when it is reaped, so now and
then in a later test) and the wall time, setup and teardown included.

Where the machine lets a process make a cgroup of its own (cgroup v1's ``cpuacct``, as root),
each worker moves into one (``klebepunkt-cputime-<worker>-<pid>``) and a fourth figure is
the CPU of everything the worker started during the test, counted as it runs. That is the
figure for the browser tests: Chromium does not wait for its zygote's processes (the page
renderers), so they are reaped by init and never reach ``RUSAGE_CHILDREN`` — about half of
what the browser tests cost the machine. The cgroup is left for its parent and removed at the
worker's end.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys
import time
from pathlib import Path

import pytest

_FIGURES: dict[str, tuple[float, ...]] = {}
_CPUACCT = Path("/sys/fs/cgroup/cpuacct")
_GROUP: list[Path] = []  # the worker's own cgroup, once made (in the one it came from)


def _own_cpuacct() -> Path | None:
    """This process's cpuacct cgroup (cgroup v1), from /proc/self/cgroup."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if "cpuacct" in controllers.split(","):
                return _CPUACCT / path.lstrip("/")
    return None


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("CPUTIME_DIR"):
        return
    controller = not os.environ.get("PYTEST_XDIST_WORKER") and config.getoption("numprocesses", 0)
    if controller:  # xdist's controller runs no test
        return
    home = _own_cpuacct()
    if home is None or not os.access(home / "cgroup.procs", os.W_OK):
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    group = home / f"klebepunkt-cputime-{worker}-{os.getpid()}"
    try:
        group.mkdir()
        (group / "cgroup.procs").write_text(str(os.getpid()))
    except OSError:
        with contextlib.suppress(OSError):
            group.rmdir()
        return
    _GROUP.append(group)


def _group_cpu() -> float | None:
    if not _GROUP:
        return None
    try:
        return int((_GROUP[0] / "cpuacct.usage").read_text()) / 1e9
    except OSError:
        return None


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    own, children = _cpu()
    group = _group_cpu()
    start = time.perf_counter()
    yield
    own_after, children_after = _cpu()
    group_after = _group_cpu()
    _FIGURES[item.nodeid] = (
        round(own_after - own, 3),
        round(children_after - children, 3),
        round(time.perf_counter() - start, 3),
    ) + ((round(group_after - group, 3),) if group is not None and group_after is not None else ())


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = os.environ.get("CPUTIME_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        (Path(folder) / f"{worker}.json").write_text(json.dumps(_FIGURES))
    if _GROUP:
        with contextlib.suppress(OSError):
            (_GROUP[0].parent / "cgroup.procs").write_text(str(os.getpid()))
        for _ in range(50):  # refused while a process the worker started is still ending
            try:
                _GROUP[0].rmdir()
                break
            except OSError:
                time.sleep(0.1)


def main(folder: str, count: int = 30) -> None:
    figures: dict[str, list[float]] = {}
    for path in Path(folder).glob("*.json"):
        figures.update(
            (nodeid, f) for nodeid, f in json.loads(path.read_text()).items() if isinstance(f, list)
        )
    own = sum(f[0] for f in figures.values())
    children = sum(f[1] for f in figures.values())
    grouped = bool(figures) and all(len(f) > 3 for f in figures.values())
    print(f"{len(figures)} tests: {own:.1f} s CPU in pytest, {children:.1f} s in child processes")
    if grouped:
        everything = sum(f[3] for f in figures.values())
        print(f"  {everything:.1f} s CPU in all, the processes init reaped included (cgroup)")
    print("   own  children    wall     all  test")

    def cost(f: list[float]) -> float:
        return f[3] if grouped else f[0] + f[1]

    for nodeid, f in sorted(figures.items(), key=lambda item: -cost(item[1]))[:count]:
        every = f"{f[3]:7.1f}" if grouped else "      -"
        print(f"{f[0]:6.1f} {f[1]:9.1f} {f[2]:7.1f} {every}  {nodeid}")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:3]))
