"""An import killed with SIGKILL leaves no trace of the process, or all of it.

``klebepunkt import`` of a generated process of 12,000 cards (about 3,000 goals, 80
members; 6.6 MB of JSON, a few seconds in one transaction) is killed at random
moments: once while its transaction is seen open, once at any moment from the start.
Afterwards the database holds either no row of that process (every table counts as
before) or the whole process, whose export is byte-identical to the imported file.
A last import runs to its end and must give the whole process. SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from klebepunkt.bench.reports import generated_process
from klebepunkt.process_document import dumps
from klebepunkt.processes import selectors
from klebepunkt.processes.models import Process
from tests.reliability.conftest import database_url_of_the_killed, wait_until_database_is_ours

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CARDS = 12_000


def row_counts() -> dict[str, int]:
    """Rows of every table of the app (processes, voting) and of the logins."""
    models = [
        *apps.get_app_config("processes").get_models(),
        *apps.get_app_config("voting").get_models(),
        *apps.get_app_config("auth").get_models(),
    ]
    return {model._meta.db_table: model.objects.count() for model in models}


def start_import(document: Path, data_dir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_the_killed(),
        "KLEBEPUNKT_SECRET_KEY": settings.SECRET_KEY,
        "KLEBEPUNKT_DATA_DIR": str(data_dir),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "klebepunkt", "import", str(document)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def writing_transaction_open() -> bool:
    """Is another connection inside a writing transaction right now?"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )
            return cursor.fetchone()[0] > 0
    probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")  # fails at once while another writer holds the lock
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def wait_for_open_transaction(process: subprocess.Popen, timeout: float = 120) -> float:
    """Wait until the import's transaction is open (seen three times in a row); its time."""
    deadline = time.monotonic() + timeout
    seen = 0
    while seen < 3:
        if process.poll() is not None:
            raise AssertionError("the import ended before its transaction was seen")
        if time.monotonic() > deadline:
            raise AssertionError("the import's transaction was not seen")
        seen = seen + 1 if writing_transaction_open() else 0
        time.sleep(0.01)
    return time.monotonic()


def assert_none_or_all(title: str, document: bytes, before: dict[str, int]) -> str:
    """The process of ``title`` is absent and no table changed, or it is there in full."""
    wait_until_database_is_ours()
    found = list(Process.objects.filter(title=title))
    after = row_counts()
    if not found:
        assert after == before, {k: (before[k], v) for k, v in after.items() if v != before[k]}
        return "none"
    assert len(found) == 1
    process = found[0]
    exported = dumps(selectors.process_record(process, tally=selectors.tally_of(process)))
    assert exported == document, "the imported process differs from the file"
    return "all"


def test_an_import_killed_at_any_moment_leaves_nothing_or_everything(tmp_path):
    generator = random.Random(os.getpid())
    record = generated_process(CARDS)
    outcomes = []
    timings = {}

    # 1. killed while its transaction is open, at a random moment within its first second
    #    (shorter windows on a retry, should a fast machine have committed by then)
    for attempt in range(3):
        title = f"Abbruch im Import {attempt + 1}"
        document = dumps(replace(record, title=title))
        path = tmp_path / f"abbruch-{attempt}.json"
        path.write_bytes(document)
        before = row_counts()
        started = time.monotonic()
        process = start_import(path, tmp_path)
        opened = wait_for_open_transaction(process)
        time.sleep(generator.uniform(0.0, 1.0 / 3**attempt))
        process.kill()
        process.wait()
        timings["transaction seen after"] = opened - started
        timings["killed after"] = time.monotonic() - started
        outcomes.append(assert_none_or_all(title, document, before))
        if outcomes[-1] == "none":
            break
    assert "none" in outcomes, "every kill came after the commit: the import is too fast to test"

    # 2. killed at any moment from its start (before, within or after its transaction)
    document = dumps(replace(record, title="Abbruch irgendwann"))
    path = tmp_path / "irgendwann.json"
    path.write_bytes(document)
    before = row_counts()
    moment = generator.uniform(0.0, 8.0)
    process = start_import(path, tmp_path)
    try:
        process.wait(timeout=moment)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    outcomes.append(assert_none_or_all("Abbruch irgendwann", document, before))

    # 3. left alone: the whole process, identical to the file
    document = dumps(replace(record, title="Vollständig"))
    path = tmp_path / "vollstaendig.json"
    path.write_bytes(document)
    before = row_counts()
    started = time.monotonic()
    process = start_import(path, tmp_path)
    output, _ = process.communicate(timeout=300)
    timings["full import"] = time.monotonic() - started
    assert process.returncode == 0, output.decode()
    assert assert_none_or_all("Vollständig", document, before) == "all"
    print(
        f"\n[import {connection.vendor}] {len(document) / 1e6:.1f} MB, kill outcomes {outcomes}, "
        f"moment of the second kill {moment:.1f} s, "
        + ", ".join(f"{key} {value:.1f} s" for key, value in timings.items())
    )
