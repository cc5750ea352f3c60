"""``klebepunkt backup`` while 20 voters vote, ``klebepunkt restore`` into a new place.

The backup is taken in the middle of a voting load against the production server and
the voting goes on after it. The restored database must be consistent on its own
(``klebepunkt verify`` passes, no overdraft) and be the state of one moment: every
voter's audit chain in it is a prefix of their final chain (on SQLite, where commits
are serial, the restored audit records are exactly the first ones of the final log).
SQLite: the online backup API; PostgreSQL (its pass): pg_dump / pg_restore, skipped
where the client tools are missing. Restore refuses wrong files and, without --force,
an existing database; with --force it refuses while a server has the database open.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from klebepunkt.bench.overdrafts import count_overdrafts
from klebepunkt.voting import selectors
from klebepunkt.voting.models import DotEvent
from tests import server as test_server
from tests.reliability.voting_load import LoadRun, join_all, run_load

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE_BACKUP = 150  # answered clicks before the backup is taken
AFTER_BACKUP = 200  # answered clicks after it (the load runs until then)
MAX_CLICKS_PER_VOTER = 2000  # a bound that is never reached: the load is stopped before


def klebepunkt(*args: str, data_dir: Path, database_url: str | None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "KLEBEPUNKT_SECRET_KEY": settings.SECRET_KEY,
        "KLEBEPUNKT_DATA_DIR": str(data_dir),
        "LANG": "de_DE.UTF-8",
        "COLUMNS": "200",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "klebepunkt", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


class RestoredDatabase:
    """Plain reads of a restored database (SQLite file or PostgreSQL), beside Django's."""

    def __init__(self, *, path: Path | None = None, url: str | None = None):
        if path is not None:
            self.connection = sqlite3.connect(path)
            self.marker = "?"
        else:
            import psycopg

            self.connection = psycopg.connect(url.replace("postgres://", "postgresql://", 1))
            self.marker = "%s"

    def rows(self, query: str, *params):
        cursor = self.connection.cursor()
        cursor.execute(query.replace("%s", self.marker), params)
        return cursor.fetchall()

    def close(self):
        self.connection.close()


def chains(rows) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for voter_id, _sequence, digest in rows:
        found.setdefault(voter_id, []).append(digest)
    return found


def pg_tools_missing() -> bool:
    return shutil.which("pg_dump") is None or shutil.which("pg_restore") is None


@pytest.fixture
def restore_target(tmp_path):
    """Where the backup is restored: a new data directory (SQLite) or a new database."""
    if connection.vendor == "sqlite":
        yield {"data_dir": tmp_path / "restored", "database_url": None}
        return
    if pg_tools_missing():
        pytest.skip("pg_dump / pg_restore are not installed")
    import psycopg

    base = test_server.test_database_url()
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = psycopg.connect(
        base.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {
            "data_dir": tmp_path / "restored",
            "database_url": base.rsplit("/", 1)[0] + f"/{name}",
        }
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_backup_taken_under_load_restores_to_one_consistent_moment(
    open_round, tmp_path, restore_target
):
    voting_round = open_round
    voters = list(voting_round.voters.order_by("id").values_list("id", "code"))
    cards = list(selectors.round_cards(voting_round).values_list("id", flat=True))
    backup_file = tmp_path / ("backup.sqlite3" if connection.vendor == "sqlite" else "backup.dump")
    source_url = test_server.test_database_url()
    timings = {}
    (tmp_path / "server").mkdir()
    with test_server.running_server(tmp_path / "server", workers=2) as (base, _server):
        plans = join_all(base, voters, cards, seed=11)
        run = LoadRun()
        load = threading.Thread(
            target=run_load,
            args=(base, plans),
            kwargs={"clicks_per_voter": MAX_CLICKS_PER_VOTER, "seed": 12, "run": run},
        )
        load.start()
        deadline = time.monotonic() + 120
        while run.answered < BEFORE_BACKUP and load.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        answered_before = run.answered
        started = time.monotonic()
        made = klebepunkt(
            "backup", "-o", str(backup_file), data_dir=tmp_path / "cli", database_url=source_url
        )
        timings["backup"] = time.monotonic() - started
        answered_during = run.answered - answered_before
        goal = run.answered + AFTER_BACKUP
        while run.answered < goal and load.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        run.stop.set()
        load.join(timeout=120)
    assert made.returncode == 0, made.stderr + made.stdout
    assert run.errors == [], run.errors
    assert answered_before >= BEFORE_BACKUP
    assert run.answered >= answered_before + answered_during + AFTER_BACKUP  # voting went on

    final = chains(
        DotEvent.objects.filter(voting_round=voting_round)
        .order_by("voter_id", "sequence")
        .values_list("voter_id", "sequence", "hash")
    )
    final_ids = sorted(
        DotEvent.objects.filter(voting_round=voting_round).values_list("id", flat=True)
    )
    assert selectors.verify_round(voting_round) == []

    started = time.monotonic()
    restored = klebepunkt("restore", str(backup_file), **restore_target)
    timings["restore"] = time.monotonic() - started
    assert restored.returncode == 0, restored.stderr + restored.stdout

    checked = klebepunkt("verify", str(voting_round.process_id), **restore_target)
    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert "Runde" in checked.stdout or "Round" in checked.stdout

    if restore_target["database_url"] is None:
        database = RestoredDatabase(path=restore_target["data_dir"] / "klebepunkt.sqlite3")
    else:
        database = RestoredDatabase(url=restore_target["database_url"])
    try:
        rows = database.rows(
            "SELECT voter_id, sequence, hash FROM voting_dotevent WHERE voting_round_id = %s"
            " ORDER BY voter_id, sequence",
            voting_round.pk,
        )
        restored_ids = sorted(
            row[0]
            for row in database.rows(
                "SELECT id FROM voting_dotevent WHERE voting_round_id = %s", voting_round.pk
            )
        )
        voters_held = database.rows(
            "SELECT id, used, budget FROM voting_voter WHERE voting_round_id = %s", voting_round.pk
        )
        ballots = database.rows(
            "SELECT b.voter_id, b.card_id, b.dots FROM voting_ballot b"
            " JOIN voting_voter v ON v.id = b.voter_id WHERE v.voting_round_id = %s",
            voting_round.pk,
        )
    finally:
        database.close()

    snapshot = chains(rows)
    assert 0 < len(rows) < len(final_ids), "the backup is not from the middle of the load"
    for voter_id, hashes in snapshot.items():  # every chain is where it was at one moment
        assert final[voter_id][: len(hashes)] == hashes, voter_id
    if connection.vendor == "sqlite":  # commits are serial: the snapshot is a prefix of the log
        assert restored_ids == final_ids[: len(restored_ids)]
    assert count_overdrafts(voters_held, ballots, voting_round.cap_per_card) == 0
    print(
        f"\n[backup {connection.vendor}] {len(rows)} of {len(final_ids)} audit records in the "
        f"backup; clicks answered during the backup {answered_during}; "
        f"backup {timings['backup']:.1f} s, restore {timings['restore']:.1f} s (CLI included)"
    )


def test_restore_refuses_wrong_files_and_an_existing_database_without_force(tmp_path, koblenz):
    """SQLite only: the data directory's database (the PostgreSQL checks are alike)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    source = test_server.test_database_url()
    backup_file = tmp_path / "backup.sqlite3"
    assert (
        klebepunkt(
            "backup", "-o", str(backup_file), data_dir=tmp_path / "a", database_url=source
        ).returncode
        == 0
    )

    not_a_database = tmp_path / "verfahren.json"
    not_a_database.write_text("{}")
    refused = klebepunkt("restore", str(not_a_database), data_dir=tmp_path / "b", database_url=None)
    assert refused.returncode == 2
    assert "verfahren.json" in refused.stderr

    target = tmp_path / "b"
    assert (
        klebepunkt("restore", str(backup_file), data_dir=target, database_url=None).returncode == 0
    )
    again = klebepunkt("restore", str(backup_file), data_dir=target, database_url=None)
    assert again.returncode == 2
    assert "--force" in again.stderr

    holder = sqlite3.connect(target / "klebepunkt.sqlite3")  # a server with the file open
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("SELECT count(*) FROM processes_process").fetchone()
    try:
        busy = klebepunkt(
            "restore", "--force", str(backup_file), data_dir=target, database_url=None
        )
    finally:
        holder.close()
    assert busy.returncode == 2, busy.stdout
    assert "klebepunkt.sqlite3" in busy.stderr
    forced = klebepunkt("restore", "--force", str(backup_file), data_dir=target, database_url=None)
    assert forced.returncode == 0, forced.stderr
    kept = list(target.glob("klebepunkt.sqlite3.before-restore-*"))
    assert len(kept) == 1
    restored = sqlite3.connect(target / "klebepunkt.sqlite3")
    try:
        titles = restored.execute("SELECT title FROM processes_process").fetchall()
    finally:
        restored.close()
    assert titles == [(koblenz.title,)]


def test_postgresql_restore_refuses_an_existing_database_without_force(
    tmp_path, koblenz, restore_target
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (SQLite: the test above)")
    backup_file = tmp_path / "backup.dump"
    made = klebepunkt(
        "backup",
        "-o",
        str(backup_file),
        data_dir=tmp_path / "a",
        database_url=test_server.test_database_url(),
    )
    assert made.returncode == 0, made.stderr
    wrong = klebepunkt("restore", str(tmp_path / "missing.dump"), **restore_target)
    assert wrong.returncode == 2
    assert klebepunkt("restore", str(backup_file), **restore_target).returncode == 0
    again = klebepunkt("restore", str(backup_file), **restore_target)
    assert again.returncode == 2
    assert "--force" in again.stderr
    forced = klebepunkt("restore", "--force", str(backup_file), **restore_target)
    assert forced.returncode == 0, forced.stderr
    exported = klebepunkt(
        "export", str(koblenz.pk), "-o", str(tmp_path / "k.json"), **restore_target
    )
    assert exported.returncode == 0, exported.stderr
