"""Prometheus metrics: requests, answers and latency per view, dots placed and refused, open
voting rounds and report jobs.

``RequestMetricsMiddleware`` records what an operator reads per view (requests, answers by
status, latency, exceptions) under the names django-prometheus gave them, so dashboards keep
working; it replaced django-prometheus' two middlewares, which wrote 17 values per request (by
charset, by transport, body sizes, before and after the middleware …) and cost about a tenth
of a dot click's CPU (issue 16, BENCHMARKS.md "Ninth round"). It writes four.

Several gunicorn workers each count for themselves; prometheus_client's multiprocess mode
adds them up from files in ``PROMETHEUS_MULTIPROC_DIR`` (set in ``web/settings.py``, emptied
by ``web/server.py`` when the server starts). ``/metrics`` answers only clients whose
address is in ``KLEBEPUNKT_METRICS_ALLOW`` (after ``web/proxy.py`` has put the real client
address in place); everybody else gets "not found", as for any page they may not see.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from timeit import default_timer
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector

from klebepunkt.web.proxy import address_in

DOT_OUTCOME_HEADER = "X-Klebepunkt-Dot"

DOTS = Counter(
    "klebepunkt_dots",
    "Dot clicks by outcome: placed, taken back, refused (with the refusal's code)",
    ["outcome", "reason"],
)

# Gauges read from the database when /metrics is scraped: name -> (help, function)
DATABASE_GAUGES: dict[str, tuple[str, Callable[[], dict[str, int]]]] = {}


def database_gauge(name: str, help_text: str) -> Callable[[Callable[[], dict[str, int]]], None]:
    """Register a gauge whose labelled values a function reads at scrape time
    (``{"": n}`` for an unlabelled value, ``{"state": n, ...}`` for a ``state`` label)."""

    def register(function: Callable[[], dict[str, int]]) -> None:
        DATABASE_GAUGES[name] = (help_text, function)

    return register


@database_gauge("klebepunkt_voting_rounds", "Voting rounds by state")
def _voting_rounds() -> dict[str, int]:
    from django.db.models import Count

    from klebepunkt.voting.models import RoundState, VotingRound

    counts = {state.value: 0 for state in RoundState}
    for row in VotingRound.objects.values("state").annotate(count=Count("id")):
        counts[row["state"]] = row["count"]
    return counts


class DatabaseCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        for name, (help_text, function) in DATABASE_GAUGES.items():
            values = function()
            labelled = any(values)
            family = GaugeMetricFamily(name, help_text, labels=["state"] if labelled else None)
            for label, value in values.items():
                family.add_metric([label] if labelled else [], value)
            yield family


# the names django-prometheus used (its "_total" suffix doubled by prometheus_client)
REQUESTS = Counter(
    "django_http_requests_total_by_view_transport_method",
    "Count of requests by view, transport, method.",
    ["view", "transport", "method"],
)
RESPONSES = Counter(
    "django_http_responses_total_by_status_view_method",
    "Count of responses by status, view, method.",
    ["status", "view", "method"],
)
# django-prometheus' bounds (a dashboard reads them) and the benchmark's targets (50 ms and 150 ms
# at a rate of clicks, 300 ms for a big page)
LATENCY_BOUNDS = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.15,
    0.25,
    0.3,
    0.5,
    0.75,
    1.0,
    2.5,
    5.0,
    7.5,
    10.0,
    25.0,
    50.0,
    75.0,
)
LATENCY = Histogram(
    "django_http_requests_latency_seconds_by_view_method",
    "Histogram of request processing time labelled by view (all of the app's middleware included).",
    ["view", "method"],
    buckets=LATENCY_BOUNDS,
)
EXCEPTIONS_BY_TYPE = Counter(
    "django_http_exceptions_total_by_type", "Count of exceptions by object type.", ["type"]
)
EXCEPTIONS_BY_VIEW = Counter(
    "django_http_exceptions_total_by_view", "Count of exceptions by view.", ["view"]
)
METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PATCH"}
)
UNNAMED = "<unnamed view>"  # no view: a path that matched none, or an answer before resolving


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match is not None else None) or UNNAMED


class RequestMetricsMiddleware:
    """Requests, answers by status and latency per view; the outcome of a dot click.

    Early in ``MIDDLEWARE``, so the latency holds all of the app's middleware. A metric's
    labelled child is looked up once per label values and kept (``labels()`` validates and
    locks on every call; the views, methods and statuses are few).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._children: dict[tuple[object, ...], Any] = {}

    def _child(self, metric: Counter | Histogram, *labels: str) -> Any:
        key = (metric, *labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = default_timer()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "<invalid method>"
        view = _view_name(request)
        transport = "https" if request.is_secure() else "http"
        self._child(REQUESTS, view, transport, method).inc()
        self._child(RESPONSES, str(response.status_code), view, method).inc()
        self._child(LATENCY, view, method).observe(default_timer() - started)
        # ``placed``, ``taken-back`` or ``refused:<code>`` as the voter's view states it
        outcome = response.get(DOT_OUTCOME_HEADER)
        if outcome:
            kind, _, reason = outcome.partition(":")
            self._child(DOTS, kind, reason).inc()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        self._child(EXCEPTIONS_BY_TYPE, type(exception).__name__).inc()
        self._child(EXCEPTIONS_BY_VIEW, _view_name(request)).inc()


def registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        collected = CollectorRegistry()
        MultiProcessCollector(collected)  # type: ignore[no-untyped-call]
    else:
        collected = REGISTRY
    return collected


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not address_in(request.META.get("REMOTE_ADDR", ""), settings.METRICS_ALLOW):
        raise Http404
    output = generate_latest(registry())
    output += generate_latest(_DATABASE_REGISTRY)
    return HttpResponse(output, content_type=CONTENT_TYPE_LATEST)


_DATABASE_REGISTRY = CollectorRegistry(auto_describe=False)
_DATABASE_REGISTRY.register(DatabaseCollector())
