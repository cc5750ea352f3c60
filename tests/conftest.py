from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, settings

FIXTURES = Path(__file__).parent / "fixtures"

# The machine is shared and has two cores: how fast Hypothesis makes its examples is no test.
# The examples and their number stay as they are; only the timing checks are off.
settings.register_profile("klebepunkt", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("klebepunkt")


@pytest.fixture(scope="session")
def koblenz_expected() -> dict:
    """The ``expected:`` block of the seed's transcription."""
    return yaml.safe_load((FIXTURES / "koblenz-2017.yaml").read_text(encoding="utf-8"))["expected"]


@pytest.fixture(scope="session")
def koblenz_seed() -> dict:
    return yaml.safe_load((FIXTURES / "koblenz-2017.yaml").read_text(encoding="utf-8"))


# --- the database: SQLite by default; the PostgreSQL pass runs the database tests again ---------

DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup", "django_user_model"}


def uses_database(item: pytest.Item) -> bool:
    return bool(item.get_closest_marker("django_db")) or bool(
        DB_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def postgres_unreachable_reason() -> str | None:
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    try:
        with psycopg.connect(
            url.replace("postgres://", "postgresql://", 1), connect_timeout=3, dbname="postgres"
        ):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL is not reachable at {url} ({error.__class__.__name__}): the PostgreSQL pass is skipped"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("KLEBEPUNKT_TEST_POSTGRES") != "1":
        return
    selected = [item for item in items if uses_database(item)]
    config.hook.pytest_deselected(items=[item for item in items if not uses_database(item)])
    items[:] = selected
    reason = postgres_unreachable_reason()
    if reason:
        for item in selected:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and before it drops that database at the end: on
    PostgreSQL, no other session may still be connected (``DROP DATABASE`` refuses then, and
    the database stayed behind on the machine, once in three full runs). A server or command a
    test ended can take a moment to close its connection: wait up to 10 s, then end what is
    left and say so."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        lingering = _other_sessions(connection, wait=10.0)
        if lingering:
            import warnings

            with connection.cursor() as cursor:
                cursor.execute(f"SELECT pg_terminate_backend(pid) {_OTHER_SESSIONS}")
            warnings.warn(
                f"sessions still connected to the test database at its end: {lingering}",
                stacklevel=1,
            )
        connection.close()


# the other sessions on the current database
_OTHER_SESSIONS = (
    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def _other_sessions(connection, *, wait: float) -> list[tuple[str, str]]:
    """(application name, last statement) of the other sessions on the current database,
    after waiting up to ``wait`` seconds for them to end."""
    import time

    deadline = time.monotonic() + wait
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT application_name, left(query, 80) {_OTHER_SESSIONS}")
            rows = cursor.fetchall()
        if not rows or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    from tests.e2e.conftest import CHROMIUM

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"klebepunkt database: {engine}", f"klebepunkt browser tests: {CHROMIUM}"]


# --- shared fixtures of the web app ------------------------------------------------------------


@pytest.fixture
def facilitator(db):
    from tests.factories import UserFactory

    return UserFactory(username="moderation")


@pytest.fixture
def koblenz(db, facilitator):
    """The Koblenz sample as a stored process with ``facilitator`` as its facilitator."""
    from klebepunkt.processes.services import import_process
    from klebepunkt.samples import load_sample

    return import_process(record=load_sample("koblenz-2017"), user=facilitator)


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture
def koblenz_blank(koblenz):
    """The Koblenz process with no dots entered on its cards: a round has to cast them."""
    from klebepunkt.processes.models import Card

    Card.objects.filter(theme_field__process=koblenz).update(dots=0)
    return koblenz


@pytest.fixture
def rate_limit_clock(monkeypatch):
    """django-ratelimit counts in windows of ten minutes whose edges fall at any second (a
    jitter per key): on a slow machine a test's attempts could straddle an edge and be counted
    in two windows (seen once in CI: the eleventh code was let in). With this fixture its clock
    stands still during the test; the test moves it on with ``rate_limit_clock.now += …``."""
    import time
    from types import SimpleNamespace

    import django_ratelimit.core

    clock = SimpleNamespace(now=time.time())
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: clock.now))
    return clock
