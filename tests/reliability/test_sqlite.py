"""SQLite keeps every committed transaction (WAL, synchronous=FULL, write lock taken at BEGIN)
and overwrites what is deleted (secure_delete)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_synchronous_full():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"  # a commit is appended to the log, never in place
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL: the log is synced at every commit
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1  # erased text is overwritten, not left in free space
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
