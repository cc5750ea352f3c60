"""/healthz and /readyz: no login, nothing leaked, 503 when a dependency is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.server import running_server


def test_healthz_answers_without_login_or_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_names_each_check_and_nothing_else(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
    }


def test_health_endpoints_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def _readyz_in_a_fresh_process(tmp_path, **environment: str) -> tuple[int, dict]:
    """The readiness view in a process of its own, with the given environment."""
    script = (
        "import django, json, os\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'klebepunkt.web.settings'\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "response = Client(HTTP_HOST='127.0.0.1').get('/readyz')\n"
        "print(json.dumps([response.status_code, response.json()]))\n"
    )
    env = {**os.environ, "KLEBEPUNKT_DATA_DIR": str(tmp_path), **environment}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    return status, body


def test_readyz_is_503_while_migrations_wait(tmp_path):
    status, body = _readyz_in_a_fresh_process(
        tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}"
    )
    assert status == 503
    assert body["checks"]["migrations"] == "fail"
    assert body["checks"]["database"] == "ok"


def test_readyz_is_503_when_the_database_is_down(tmp_path):
    # a PostgreSQL address where nothing listens: the database check fails, nothing leaks
    status, body = _readyz_in_a_fresh_process(
        tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/klebepunkt"
    )
    assert status == 503
    assert body == {
        "status": "not ready",
        "checks": {"database": "fail", "cache": "fail", "migrations": "fail"},
    }


def test_readyz_is_503_when_the_cache_is_down(tmp_path):
    status, body = _readyz_in_a_fresh_process(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    assert status == 503
    assert body["checks"]["cache"] == "fail"


@pytest.mark.django_db(transaction=True)
def test_readyz_through_the_production_server(tmp_path):
    import urllib.request

    with (
        running_server(tmp_path, workers=1) as (base, _process),
        urllib.request.urlopen(base + "/readyz", timeout=10) as response,
    ):
        assert response.status == 200
        assert json.load(response)["status"] == "ready"
