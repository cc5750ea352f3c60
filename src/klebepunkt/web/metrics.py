"""Prometheus metrics: requests and latency per view (django-prometheus), dots placed and
refused, open voting rounds and report jobs.

Several gunicorn workers each count for themselves; prometheus_client's multiprocess mode
adds them up from files in ``PROMETHEUS_MULTIPROC_DIR`` (set in ``web/settings.py``, emptied
by ``web/server.py`` when the server starts). ``/metrics`` answers only clients whose
address is in ``KLEBEPUNKT_METRICS_ALLOW`` (after ``web/proxy.py`` has put the real client
address in place); everybody else gets "not found", as for any page they may not see.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
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


def count_dot(outcome: str) -> None:
    """``placed``, ``taken-back`` or ``refused:<code>`` as the voter's view states it."""
    kind, _, reason = outcome.partition(":")
    DOTS.labels(outcome=kind, reason=reason).inc()


class DotMetricsMiddleware:
    """Counts the outcome the dot view states in its ``X-Klebepunkt-Dot`` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        outcome = response.get(DOT_OUTCOME_HEADER)
        if outcome:
            count_dot(outcome)
        return response


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
