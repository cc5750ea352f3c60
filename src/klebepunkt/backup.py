"""Backup and restore of the database: a consistent snapshot while the app runs.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page in one
step under one read transaction, so the copy is the database as of one moment, while
the server goes on writing (WAL: readers never block the writer). The copy is checked
(``integrity_check``), switched to a single self-contained file (no ``-wal``), synced to
disk and renamed into place, so a half-written backup never carries the final name.

PostgreSQL: ``pg_dump --format=custom`` (one MVCC snapshot, also while the app runs);
``pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction`` reads
it back, all or nothing. Without the client tools the exact command is given instead.

Restoring checks that the file is a klebepunkt database of the right kind, refuses to
overwrite a database without ``force``, and for SQLite refuses while any other process
has the database open (a server must be stopped first); the replaced database is kept
next to it as ``….before-restore-<time>``.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klebepunkt.domain.messages import DomainError, Message, gettext_noop

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
KLEBEPUNKT_TABLES = ("django_migrations", "processes_process", "voting_dotevent")
KLEBEPUNKT_APPS = ("processes", "voting")


class BackupError(DomainError):
    """A backup or restore that cannot be done, with what to do instead."""

    def __init__(self, message: Message, *, command: str | None = None) -> None:
        self.command = command  # the documented command, where the tool is missing
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Database:
    """The configured database: a SQLite file, or a PostgreSQL database."""

    vendor: str  # "sqlite" or "postgresql"
    path: Path | None = None  # SQLite
    name: str = ""  # PostgreSQL
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, settings_dict: Mapping[str, Any]) -> Database:
        engine = str(settings_dict["ENGINE"])
        if engine.endswith("sqlite3"):
            return cls("sqlite", path=Path(settings_dict["NAME"]))
        if engine.endswith("postgresql"):
            return cls(
                "postgresql",
                name=str(settings_dict.get("NAME") or ""),
                host=str(settings_dict.get("HOST") or ""),
                port=str(settings_dict.get("PORT") or ""),
                user=str(settings_dict.get("USER") or ""),
                password=str(settings_dict.get("PASSWORD") or ""),
            )
        raise BackupError(
            Message(
                gettext_noop("Backups support SQLite and PostgreSQL, not %(engine)s."),
                {"engine": engine},
            )
        )

    def pg_environment(self) -> dict[str, str]:
        """The connection for the PostgreSQL tools, as environment (the password never on a
        command line, where ``ps`` would show it)."""
        env = dict(os.environ)
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGDATABASE", self.name),
        ):
            if value:
                env[key] = value
        return env

    def pg_arguments(self) -> list[str]:
        """Connection options without the password, for a command shown to a person."""
        arguments = []
        if self.host:
            arguments.append(f"--host={self.host}")
        if self.port:
            arguments.append(f"--port={self.port}")
        if self.user:
            arguments.append(f"--username={self.user}")
        return arguments


@dataclass(frozen=True, slots=True)
class Summary:
    """What a backup holds (or what was restored)."""

    path: Path
    vendor: str
    size: int
    processes: int | None = None
    audit_records: int | None = None
    replaced: Path | None = None  # restore: where the database it replaced was kept


# --- backup ---------------------------------------------------------------------------------


def backup(database: Database, target: Path) -> Summary:
    try:
        if database.vendor == "sqlite":
            assert database.path is not None
            return backup_sqlite(database.path, target)
        return backup_postgresql(database, target)
    except OSError as error:
        raise _cannot_write(target, error) from None


def _cannot_write(path: Path, error: OSError) -> BackupError:
    return BackupError(
        Message(
            gettext_noop("Cannot write %(file)s: %(reason)s"),
            {"file": str(path), "reason": error.strerror or str(error)},
        )
    )


@contextmanager
def _sqlite_copy(origin: sqlite3.Connection, partial: Path) -> Iterator[sqlite3.Connection]:
    """The database of ``origin`` copied to ``partial``: every page in one step (one read
    transaction, one moment), one self-contained file; both connections are closed after."""
    try:
        copy = sqlite3.connect(partial)
        try:
            origin.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            yield copy
        finally:
            copy.close()
    finally:
        origin.close()


@contextmanager
def _failing_as(partial: Path, failed: str) -> Iterator[None]:
    """A SQLite error becomes a BackupError saying ``failed`` (with the reason); the partial
    file is removed in any case."""
    try:
        yield
    except sqlite3.Error as error:
        raise BackupError(Message(failed, {"reason": str(error)})) from None
    finally:
        partial.unlink(missing_ok=True)


def backup_sqlite(source: Path, target: Path) -> Summary:
    if not source.exists():
        raise BackupError(
            Message(gettext_noop("There is no database at %(path)s."), {"path": str(source)})
        )
    if target.resolve() == source.resolve():
        raise BackupError(Message(gettext_noop("A backup cannot overwrite its own database.")))
    partial = _partial(target)
    with _failing_as(partial, gettext_noop("The backup failed: %(reason)s")):
        with _sqlite_copy(sqlite3.connect(source, timeout=30), partial) as copy:
            _check_sqlite(copy, partial)
            processes, events = _sqlite_counts(copy)
        _sync_and_rename(partial, target)
    return Summary(target, "sqlite", target.stat().st_size, processes, events)


def pg_dump_command(database: Database, target: Path) -> list[str]:
    return [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        *database.pg_arguments(),
        f"--file={target}",
        database.name,
    ]


def _require_tool(command: list[str], missing: str) -> None:
    """Stops with ``missing`` and the command (to run where the tool is) when the PostgreSQL
    client tool the command calls is not installed."""
    if shutil.which(command[0]) is None:
        raise BackupError(Message(missing), command=shlex.join(command))


def backup_postgresql(database: Database, target: Path) -> Summary:
    command = pg_dump_command(database, target)
    _require_tool(
        command,
        gettext_noop(
            "pg_dump was not found. Install the PostgreSQL client tools of the server's "
            "version (Debian: apt install postgresql-client) or run this command where "
            "they are installed (the password from PGPASSWORD or ~/.pgpass):"
        ),
    )
    partial = _partial(target)
    command[-2] = f"--file={partial}"
    try:
        _run(command, database.pg_environment())
        with partial.open("rb") as handle:
            archive = handle.read(len(PG_DUMP_MAGIC)) == PG_DUMP_MAGIC
        if not archive:
            raise BackupError(Message(gettext_noop("pg_dump wrote no archive.")))
        _sync_and_rename(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Summary(target, "postgresql", target.stat().st_size)


# --- restore --------------------------------------------------------------------------------


def restore(database: Database, source: Path, *, force: bool = False) -> Summary:
    if not source.is_file():
        raise BackupError(Message(gettext_noop("File not found: %(file)s"), {"file": str(source)}))
    try:
        if database.vendor == "sqlite":
            assert database.path is not None
            return restore_sqlite(source, database.path, force=force)
        return restore_postgresql(database, source, force=force)
    except OSError as error:
        raise _cannot_write(Path(error.filename or source), error) from None


def check_sqlite_backup(path: Path) -> tuple[int, int]:
    """Is this a sound klebepunkt SQLite database? Its processes and audit records."""
    with path.open("rb") as handle:
        magic = handle.read(len(SQLITE_MAGIC))
    if magic != SQLITE_MAGIC:
        msgid = (
            gettext_noop(
                "%(file)s is a PostgreSQL backup, not a SQLite one: restore it with "
                "DATABASE_URL set to the PostgreSQL database."
            )
            if magic.startswith(PG_DUMP_MAGIC)
            else gettext_noop("%(file)s is not a klebepunkt backup (not a SQLite database).")
        )
        raise BackupError(Message(msgid, {"file": str(path)}))
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        _check_sqlite(connection, path)
        return _sqlite_counts(connection)
    except sqlite3.Error as error:
        raise BackupError(
            Message(
                gettext_noop("%(file)s cannot be read as a database: %(reason)s"),
                {"file": str(path), "reason": str(error)},
            )
        ) from None
    finally:
        connection.close()


def restore_sqlite(source: Path, target: Path, *, force: bool) -> Summary:
    processes, events = check_sqlite_backup(source)
    if target.resolve() == source.resolve():
        raise BackupError(Message(gettext_noop("A backup cannot be restored onto itself.")))
    existing = target.exists() and target.stat().st_size > 0
    if existing and not force:
        raise BackupError(
            Message(
                gettext_noop(
                    "There is a database at %(path)s already. Restoring replaces it: "
                    "stop the server and add --force."
                ),
                {"path": str(target)},
            )
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial(target)
    replaced = None
    with _failing_as(partial, gettext_noop("The restore failed: %(reason)s")):
        with _sqlite_copy(sqlite3.connect(f"file:{source}?mode=ro", uri=True), partial):
            pass
        if existing:
            _take_over(target)  # checkpointed, no -wal; nobody else has it open
            stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            replaced = target.with_name(f"{target.name}.before-restore-{stamp}")
            os.link(target, replaced)  # the replaced database stays, under another name
        _sync_and_rename(partial, target)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    return Summary(target, "sqlite", target.stat().st_size, processes, events, replaced)


def _take_over(target: Path) -> None:
    """Make sure no other process has the database open, and fold its WAL into it.

    Leaving WAL mode needs the only connection: while a server (even an idle one) has the
    file open, SQLite answers "database is locked"."""
    connection = sqlite3.connect(target, timeout=0)
    try:
        mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        mode = ""
    finally:
        connection.close()
    if mode != "delete":
        raise BackupError(
            Message(
                gettext_noop(
                    "The database %(path)s is in use. Stop the server (and every other "
                    "klebepunkt command) before restoring."
                ),
                {"path": str(target)},
            )
        )


def pg_restore_command(database: Database, source: Path) -> list[str]:
    return [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        *database.pg_arguments(),
        f"--dbname={database.name}",
        str(source),
    ]


def restore_postgresql(database: Database, source: Path, *, force: bool) -> Summary:
    with source.open("rb") as handle:
        magic = handle.read(len(SQLITE_MAGIC))
    if not magic.startswith(PG_DUMP_MAGIC):
        msgid = (
            gettext_noop(
                "%(file)s is a SQLite backup, not a PostgreSQL one: restore it without "
                "DATABASE_URL, into a data directory."
            )
            if magic == SQLITE_MAGIC
            else gettext_noop(
                "%(file)s is not a klebepunkt backup (not an archive of pg_dump --format=custom)."
            )
        )
        raise BackupError(Message(msgid, {"file": str(source)}))
    command = pg_restore_command(database, source)
    _require_tool(
        command,
        gettext_noop(
            "pg_restore was not found. Install the PostgreSQL client tools of the "
            "server's version (Debian: apt install postgresql-client) or run this "
            "command where they are installed (the password from PGPASSWORD or "
            "~/.pgpass):"
        ),
    )
    listing = _run(["pg_restore", "--list", str(source)], database.pg_environment())
    missing = [table for table in KLEBEPUNKT_TABLES if f" TABLE public {table} " not in listing]
    if missing:
        raise BackupError(
            Message(
                gettext_noop("%(file)s is not a klebepunkt backup (it has no table %(table)s)."),
                {"file": str(source), "table": missing[0]},
            )
        )
    if not force and _pg_has_tables(database):
        raise BackupError(
            Message(
                gettext_noop(
                    "The database %(name)s holds tables already. Restoring replaces them: "
                    "stop the server and add --force."
                ),
                {"name": database.name},
            )
        )
    _run(command, database.pg_environment())
    return Summary(source, "postgresql", source.stat().st_size)


def _pg_has_tables(database: Database) -> bool:
    import psycopg
    from psycopg.conninfo import make_conninfo

    params = {
        "dbname": database.name or None,
        "host": database.host or None,
        "port": database.port or None,
        "user": database.user or None,
        "password": database.password or None,
    }
    with psycopg.connect(make_conninfo("", **params)) as connection:  # drops the None values
        row = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    return bool(row and row[0])


# --- helpers ----------------------------------------------------------------------------------


def _partial(target: Path) -> Path:
    """A new, empty file next to the target (same file system, so the rename is atomic),
    readable by its owner only: a backup holds personal data."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)
    return partial


def _sync_and_rename(partial: Path, target: Path) -> None:
    """fsync the file, rename it into place, fsync the directory: after a crash the target
    is the old file or the whole new one, never a part."""
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _check_sqlite(connection: sqlite3.Connection, path: Path) -> None:
    result = connection.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        raise BackupError(
            Message(
                gettext_noop("%(file)s is damaged: %(reason)s"),
                {"file": str(path), "reason": "; ".join(str(row[0]) for row in result[:3])},
            )
        )
    tables = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    missing = [table for table in KLEBEPUNKT_TABLES if table not in tables]
    if missing:
        raise BackupError(
            Message(
                gettext_noop("%(file)s is not a klebepunkt database (it has no table %(table)s)."),
                {"file": str(path), "table": missing[0]},
            )
        )
    apps = {row[0] for row in connection.execute("SELECT DISTINCT app FROM django_migrations")}
    if not set(KLEBEPUNKT_APPS) <= apps:
        raise BackupError(
            Message(
                gettext_noop("%(file)s is not a klebepunkt database (its migrations are missing)."),
                {"file": str(path)},
            )
        )


def _sqlite_counts(connection: sqlite3.Connection) -> tuple[int, int]:
    processes = connection.execute("SELECT count(*) FROM processes_process").fetchone()[0]
    events = connection.execute("SELECT count(*) FROM voting_dotevent").fetchone()[0]
    return int(processes), int(events)


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            Message(
                gettext_noop("%(tool)s failed: %(reason)s"),
                {"tool": command[0], "reason": result.stderr.strip() or result.returncode},
            )
        )
    return result.stdout
