"""The floor of the voting benchmark: the same database work per click, without Django.

A minimal WSGI application served by the same gunicorn settings as ``klebepunkt
serve``. Per POST it does exactly what ``voting.services.place_dot`` and
``take_back_dot`` do in the database, with the same SQL (``voting/dot_sql.py``) — lock the
voter and check that the card is part of the round, upsert the ballot under the cap, the
conditional update of the budget, the hash-chained audit insert with its MAC under the
audit key — and nothing else: no framework, no templates, no sessions, no cookie check.
``ratio = dots_per_s / floor_dots_per_s`` is what our code costs on top of the unavoidable
work. (Until issue 16's third round the floor left out the card check and the MAC, so its
figures before then are higher.)

    python -m klebepunkt.bench.floor --port 8010 --workers 2 --database-url sqlite:///…
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from klebepunkt.domain.audit import GENESIS, event_hash, event_mac
from klebepunkt.voting import audit_keys, dot_sql

_local = threading.local()
_write_lock = (
    threading.Lock()
)  # SQLite takes one writer at a time: queue in the process, not in the busy handler
DATABASE_URL = os.environ.get("KLEBEPUNKT_FLOOR_DATABASE_URL", "")


def _audit_key() -> tuple[str, bytes]:
    """The app's current audit key, read as ``web/settings.py`` reads it."""
    key = getattr(_local, "audit_key", None)
    if key is None:
        data_dir = Path(os.environ.get("KLEBEPUNKT_DATA_DIR", "data"))
        key_id, keys = audit_keys.load(data_dir)
        key = _local.audit_key = (key_id, keys[key_id])
    return key


@functools.cache
def _qmark(text: str) -> str:
    """A statement of ``dot_sql`` with sqlite3's placeholders, rewritten once per statement."""
    return text.replace("%s", "?")


def _same(text: str) -> str:
    return text


def _connection() -> Any:
    connection = getattr(_local, "connection", None)
    if connection is None:
        if DATABASE_URL.startswith("sqlite:///"):
            connection = sqlite3.connect(
                DATABASE_URL.removeprefix("sqlite:///"), timeout=30, isolation_level=None
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA foreign_keys=ON")
        else:
            import psycopg

            connection = psycopg.connect(
                DATABASE_URL.replace("postgres://", "postgresql://", 1), autocommit=True
            )
        _local.connection = connection
    return connection


def click(voter_id: int, card_id: int, delta: int) -> str:
    """One dot placed (+1) or taken back (−1); returns the outcome as the app's
    ``X-Klebepunkt-Dot`` header states it (``placed``, ``taken-back`` or ``refused``)."""
    if DATABASE_URL.startswith("sqlite:///"):
        with _write_lock:
            return _click(voter_id, card_id, delta)
    return _click(voter_id, card_id, delta)


def _click(voter_id: int, card_id: int, delta: int) -> str:
    connection = _connection()
    sqlite = isinstance(connection, sqlite3.Connection)

    sql = _qmark if sqlite else _same
    cursor = connection.cursor()
    cursor.execute("BEGIN IMMEDIATE" if sqlite else "BEGIN")
    try:
        lock = "" if sqlite else dot_sql.LOCK_POSTGRES
        cursor.execute(sql(dot_sql.VOTER) + lock, [card_id, voter_id])
        row = cursor.fetchone()
        if row is None:
            raise LookupError
        used, budget, head, events, revoked, pseudonym, _code, round_id, state, cap, card_ok = row
        if state != "open" or revoked is not None or not card_ok or (delta > 0 and used >= budget):
            cursor.execute("ROLLBACK")
            return "refused"
        if delta > 0 and cap is None:
            cursor.execute(sql(dot_sql.ADD), [voter_id, card_id])
        elif delta > 0:
            cursor.execute(sql(dot_sql.ADD_UNDER_CAP), [voter_id, card_id, cap])
        else:
            cursor.execute(sql(dot_sql.TAKE_BACK), [voter_id, card_id])
        if cursor.fetchone() is None:
            cursor.execute("ROLLBACK")
            return "refused"
        now = dt.datetime.now(dt.UTC)
        previous = head or GENESIS
        new_hash = event_hash(
            previous_hash=previous,
            round_id=round_id,
            chain=pseudonym,
            sequence=events + 1,
            card_id=card_id,
            delta=delta,
            source="digital",
            created_at=now.isoformat(),
        )
        key_id, key = _audit_key()
        cursor.execute(
            sql(dot_sql.BUDGET), [delta, events + 1, new_hash, voter_id, events, delta, delta]
        )
        cursor.execute(
            sql(dot_sql.EVENT),
            [
                round_id,
                voter_id,
                card_id,
                delta,
                "digital",
                None,
                now.isoformat() if sqlite else now,
                events + 1,
                previous,
                new_hash,
                key_id,
                event_mac(key, new_hash),
            ],
        )
        cursor.execute("COMMIT")
        return "placed" if delta > 0 else "taken-back"
    except Exception:
        cursor.execute("ROLLBACK")
        raise


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ["REQUEST_METHOD"] != "POST":
        start_response("405 Method Not Allowed", [("Content-Length", "0")])
        return [b""]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    form = parse_qs(environ["wsgi.input"].read(length).decode())
    cookie = environ.get("HTTP_COOKIE", "")
    voter = next(
        (part.split("=", 1)[1] for part in cookie.split("; ") if part.startswith("voter=")), "0"
    )
    try:
        outcome = click(int(voter), int(form["card"][0]), 1 if form["action"][0] == "add" else -1)
        status = "200 OK"
    except (LookupError, KeyError, ValueError):
        outcome, status = "refused", "400 Bad Request"
    body = b'<p id="voter-status">ok</p>'
    start_response(
        status,
        [
            ("Content-Type", "text/html"),
            ("Content-Length", str(len(body))),
            ("X-Klebepunkt-Dot", outcome),
        ],
    )
    return [body]


def main() -> None:
    global DATABASE_URL
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", required=True)
    arguments = parser.parse_args()
    DATABASE_URL = arguments.database_url
    from klebepunkt.web.server import gunicorn_options, run_gunicorn, settle_heap

    settle_heap()  # as the app's server does
    run_gunicorn(
        application,
        gunicorn_options(
            host="127.0.0.1",
            port=arguments.port,
            workers=arguments.workers,
            threads=arguments.threads,
        ),
    )


if __name__ == "__main__":
    main()
