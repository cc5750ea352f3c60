"""Health and readiness for the city's load balancer and orchestrator.

``/healthz``: the process answers (no database, no cache: a liveness probe must not fail
because PostgreSQL restarts). ``/readyz``: the database answers, the cache answers and no
migration is waiting; 503 otherwise. Neither needs a login, and neither says more than the
name of each check and ``ok`` or ``fail``: no versions, no error texts, no host names.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:  # any failure means "not ready"; the log has the details
        logger.warning("readiness: the database does not answer", exc_info=True)
        return False


def cache_ok() -> bool:
    """A read of a key nobody writes: it reaches Redis or the cache table and changes
    nothing (a probe every few seconds must not write)."""
    try:
        cache.get("klebepunkt:readyz:never-set")
        return True
    except Exception:
        logger.warning("readiness: the cache does not answer", exc_info=True)
        return False


def migrations_ok() -> bool:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return not plan
    except Exception:
        logger.warning("readiness: the migrations cannot be checked", exc_info=True)
        return False


def readiness() -> dict[str, bool]:
    """Each check by name; the database first (the others need it or are cheap)."""
    database = database_ok()
    return {
        "database": database,
        "cache": cache_ok(),
        "migrations": database and migrations_ok(),
    }


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    ready = all(checks.values())
    return JsonResponse(
        {
            "status": "ready" if ready else "not ready",
            "checks": {name: "ok" if passed else "fail" for name, passed in checks.items()},
        },
        status=200 if ready else 503,
    )
