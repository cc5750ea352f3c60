"""The fuzz tests report how many cases each target ran (see ``fuzzing.py``)."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.security.fuzzing import CASES, FACTOR, NIGHTLY

    if not CASES:
        return
    mode = "nightly (KLEBEPUNKT_FUZZ=nightly)" if NIGHTLY else "default"
    terminalreporter.section(f"fuzz cases per target, {mode}")
    total = 0
    for target, (cases, each) in sorted(CASES.items()):
        runs = cases * FACTOR * each
        total += runs
        detail = f"  ({cases * FACTOR} cases × {each} routes)" if each > 1 else ""
        terminalreporter.write_line(f"{runs:>7}  {target}{detail}")
    terminalreporter.write_line(f"{total:>7}  in all")
