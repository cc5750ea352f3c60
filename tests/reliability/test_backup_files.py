"""Backup and restore without a database: the documented command, wrong files, own file."""

from __future__ import annotations

import sqlite3

import pytest

from klebepunkt import backup
from klebepunkt.backup import BackupError, Database

POSTGRES = Database(
    "postgresql", name="klebepunkt", host="db.example", port="5432", user="kp", password="geheim"
)


def test_without_pg_dump_the_exact_command_is_given_without_the_password(tmp_path, monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(BackupError) as raised:
        backup.backup(POSTGRES, tmp_path / "sicherung.dump")
    assert raised.value.command == (
        "pg_dump --format=custom --no-owner --host=db.example --port=5432 --username=kp "
        f"--file={tmp_path / 'sicherung.dump'} klebepunkt"
    )
    assert "geheim" not in raised.value.command
    assert "pg_dump" in raised.value.render()


def test_without_pg_restore_the_exact_command_is_given(tmp_path, monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    dump = tmp_path / "sicherung.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00")
    with pytest.raises(BackupError) as raised:
        backup.restore(POSTGRES, dump)
    assert raised.value.command.startswith(
        "pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction"
    )
    assert raised.value.command.endswith(f"--dbname=klebepunkt {dump}")
    assert "geheim" not in raised.value.command


def test_a_backup_of_the_other_kind_is_named(tmp_path):
    dump = tmp_path / "sicherung.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00")
    with pytest.raises(BackupError, match="PostgreSQL"):
        backup.restore(Database("sqlite", path=tmp_path / "k.sqlite3"), dump)
    database = tmp_path / "sicherung.sqlite3"
    sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupError, match="SQLite"):
        backup.restore(POSTGRES, database)


def test_a_sqlite_file_that_is_not_klebepunkts_is_refused(tmp_path):
    database = tmp_path / "fremd.sqlite3"
    sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupError, match="django_migrations"):
        backup.restore(Database("sqlite", path=tmp_path / "k.sqlite3"), database)
    assert not (tmp_path / "k.sqlite3").exists()


def test_a_damaged_sqlite_file_is_refused(tmp_path):
    database = tmp_path / "kaputt.sqlite3"
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE t (x)")
    connection.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    connection.commit()
    connection.close()
    content = bytearray(database.read_bytes())
    content[4096 + 100 : 4096 + 400] = b"\xff" * 300  # a page overwritten behind SQLite's back
    database.write_bytes(bytes(content))
    with pytest.raises(BackupError):
        backup.restore(Database("sqlite", path=tmp_path / "k.sqlite3"), database)
    assert not (tmp_path / "k.sqlite3").exists()


def test_a_backup_never_overwrites_its_own_database(tmp_path):
    database = tmp_path / "klebepunkt.sqlite3"
    sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupError):
        backup.backup(Database("sqlite", path=database), database)


def test_a_backup_is_readable_by_its_owner_only(tmp_path):
    database = tmp_path / "klebepunkt.sqlite3"
    sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupError):  # not a klebepunkt database: refused, nothing left behind
        backup.backup(Database("sqlite", path=database), tmp_path / "sicherung.sqlite3")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["klebepunkt.sqlite3"]
    partial = backup._partial(tmp_path / "sicherung.sqlite3")
    assert partial.stat().st_mode & 0o777 == 0o600


def test_an_unwritable_place_is_a_message_not_a_traceback(tmp_path):
    database = tmp_path / "klebepunkt.sqlite3"
    sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupError, match="missing"):
        backup.backup(Database("sqlite", path=database), tmp_path / "missing" / "b.sqlite3")
