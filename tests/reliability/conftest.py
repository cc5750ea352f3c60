"""Fixtures of the reliability tests: a round of 20 voters, and waiting for a killed server."""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection

from klebepunkt.processes import services as process_services
from klebepunkt.voting import services

VOTERS = 20
CARDS = 6


def make_open_round(*, voters: int = VOTERS, cards: int = CARDS, cap: int | None = 2):
    """A process with one theme field, ``cards`` cards and ``voters`` voting members; its round
    is open, with 8 dots per member and ``cap`` dots per card (so that refusals happen)."""
    process = process_services.create_process(title="Dauerhaftigkeit", user=None)
    group = process_services.create_stakeholder_group(process=process, name="Politik")
    other = process_services.create_stakeholder_group(process=process, name="Freie Träger")
    field = process_services.create_theme_field(process=process, name="Pflege")
    for index in range(cards):
        process_services.create_card(
            theme_field=field,
            fields=process_services.CardFields(text=f"Empfehlung {index + 1}"),
        )
    for index in range(voters):
        process_services.create_member(
            process=process,
            name=f"Mitglied {index + 1}",
            stakeholder_group=group if index % 2 else other,
        )
    voting_round = services.create_round(process=process, title="Runde", cap_per_card=cap)
    return services.open_round(voting_round=voting_round)


@pytest.fixture
def open_round(transactional_db):
    return make_open_round()


def wait_until_gone(pgid: int, timeout: float = 15) -> None:
    """Wait until every process of the killed server's group has died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    raise AssertionError(f"processes of group {pgid} still alive {timeout} s after SIGKILL")


KILLED = "klebepunkt-killed"  # PostgreSQL application_name of the processes a test kills


def database_url_of_the_killed() -> str:
    """The test database's URL for a process the test will kill: on PostgreSQL its
    connections carry an application name, so that we can wait for exactly them."""
    from tests.server import test_database_url

    url = test_database_url()
    return f"{url}?application_name={KILLED}" if connection.vendor == "postgresql" else url


def wait_until_database_is_ours(timeout: float = 15) -> None:
    """PostgreSQL: wait until the killed processes' backends have ended, so that a COMMIT they
    sent just before dying has been applied (or rolled back) before we look. SQLite: nothing
    to wait for, a commit is in the file or it is not."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = %s",
                [KILLED],
            )
            if cursor.fetchone()[0] == 0:
                return
            if time.monotonic() > deadline:
                raise AssertionError("backends of the killed processes are still connected")
            time.sleep(0.05)
