"""Prometheus metrics: requests, answers and latency per view, exceptions, dots by outcome,
rounds by state; only from the configured addresses; the workers of one server add up."""

from __future__ import annotations

import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path
from prometheus_client import generate_latest
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector

from klebepunkt.bench.http import Client
from klebepunkt.processes.models import Card
from klebepunkt.voting import services
from klebepunkt.web import urls as app_urls
from tests.server import running_server


def _boom(_request: HttpRequest) -> HttpResponse:
    raise LookupError("a view that fails")


def _probe(_request: HttpRequest) -> HttpResponse:
    return HttpResponse("probe")


def _slow(_request: HttpRequest) -> HttpResponse:
    time.sleep(0.06)  # longer than the 50 ms bucket: the latency must land above it
    return HttpResponse("slow")


# the URLs of the tests marked pytest.mark.urls(__name__): the app's, and views no other test
# requests
urlpatterns = [
    path("boom/", _boom, name="boom"),
    path("probe/", _probe, name="probe"),
    path("slow/", _slow, name="slow"),
    *app_urls.urlpatterns,
]


class _OwnProcess:
    """This process's own samples: the test workers share one metrics directory, and another
    worker's requests would change what ``/metrics`` adds up between two readings."""

    def collect(self) -> Iterable[Metric]:
        directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
        files = [str(file) for file in directory.glob(f"*_{os.getpid()}.db")]
        return MultiProcessCollector.merge(files, accumulate=True)


def own_samples() -> str:
    return generate_latest(_OwnProcess()).decode()  # type: ignore[arg-type]


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in the exposition text (0 when it is absent)."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        sample, _, value = line.rpartition(" ")
        found = dict(re.findall(r'(\w+)="([^"]*)"', sample))
        if sample.split("{")[0] == name and all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    return 0.0


@pytest.mark.django_db
def test_metrics_refused_to_an_address_not_on_the_list(client, settings):
    from klebepunkt.web.proxy import parse_networks

    settings.METRICS_ALLOW = parse_networks("10.1.2.3")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 404
    assert b"klebepunkt" not in response.content.split(b"<title>")[0]


@pytest.mark.django_db
def test_metrics_count_rounds_by_state(client, koblenz):
    services.create_round(process=koblenz, title="Vorbereitet")
    services.open_round(voting_round=services.create_round(process=koblenz, title="Offen"))
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert metric(text, "klebepunkt_voting_rounds", state="open") == 1
    assert metric(text, "klebepunkt_voting_rounds", state="prepared") == 1
    assert metric(text, "klebepunkt_voting_rounds", state="revealed") == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_add_up_requests_and_dots(koblenz_blank, tmp_path):
    voting_round = services.open_round(
        voting_round=services.create_round(process=koblenz_blank, title="Metriken", cap_per_card=1)
    )
    voter = voting_round.voters.order_by("id").first()
    card = Card.objects.filter(theme_field__process=koblenz_blank).order_by("id").first()
    with running_server(tmp_path, workers=2) as (base, _process):
        members = [Client(base) for _ in range(4)]
        for member in members:
            member.join(voter.code)
        outcomes = [
            member.click(card.id, "add").headers.get("x-klebepunkt-dot") for member in members
        ]
        for member in members:
            member.close()
        with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
            text = response.read().decode()
    assert outcomes.count("placed") == 1  # the cap is 1: the other three are refused
    assert metric(text, "klebepunkt_dots_total", outcome="placed") == 1
    assert metric(text, "klebepunkt_dots_total", outcome="refused") == 3
    assert metric(text, "klebepunkt_voting_rounds", state="open") == 1
    # requests per view, from both workers together
    assert (
        metric(text, "django_http_requests_total_by_view_transport_method_total", view="voting:dot")
        == 4
    )


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_requests_answers_and_latency_are_counted_per_view(client):
    """The names django-prometheus used, so dashboards keep working; a path that matches no
    view is counted under ``<unnamed view>`` with its 404; the latency is the request's."""
    before = own_samples()
    for _ in range(3):
        assert client.get("/probe/").status_code == 200
    assert client.get("/probe/", secure=True).status_code == 200
    assert client.get("/nowhere/at/all/").status_code == 404
    assert client.generic("BREW", "/probe/").status_code == 200  # the view takes any method
    assert client.get("/slow/").status_code == 200
    after = own_samples()

    def grew(name: str, **labels: str) -> float:
        return metric(after, name, **labels) - metric(before, name, **labels)

    requests = "django_http_requests_total_by_view_transport_method_total"
    assert grew(requests, view="probe", transport="http", method="GET") == 3
    assert grew(requests, view="probe", transport="https", method="GET") == 1
    assert grew(requests, view="<unnamed view>", transport="http", method="GET") == 1
    assert grew(requests, view="probe", method="<invalid method>") == 1
    answers = "django_http_responses_total_by_status_view_method_total"
    assert grew(answers, status="200", view="probe", method="GET") == 4
    assert grew(answers, status="404", view="<unnamed view>", method="GET") == 1
    assert grew(answers, status="200", view="probe", method="<invalid method>") == 1
    latency = "django_http_requests_latency_seconds_by_view_method"
    assert grew(f"{latency}_count", view="probe", method="GET") == 4
    assert grew(f"{latency}_bucket", view="probe", method="GET", le="+Inf") == 4
    # the slow view slept 60 ms inside the measured time: above the 50 ms bound, in its sum
    assert grew(f"{latency}_count", view="slow", method="GET") == 1
    assert grew(f"{latency}_bucket", view="slow", method="GET", le="0.05") == 0
    assert grew(f"{latency}_sum", view="slow", method="GET") >= 0.06
    # django-prometheus' bounds are kept (dashboards read them), the benchmark's targets added
    for bound in ("0.025", "0.05", "0.075", "0.15", "0.25", "0.3", "0.75", "7.5", "75.0"):
        assert f'le="{bound}"' in after, bound


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_exception_is_counted_by_type_and_view(client):
    client.raise_request_exception = False
    before = own_samples()
    assert client.get("/boom/").status_code == 500
    after = own_samples()
    for name, labels in (
        ("django_http_exceptions_total_by_type_total", {"type": "LookupError"}),
        ("django_http_exceptions_total_by_view_total", {"view": "boom"}),
        (
            "django_http_responses_total_by_status_view_method_total",
            {"status": "500", "view": "boom", "method": "GET"},
        ),
    ):
        assert metric(after, name, **labels) - metric(before, name, **labels) == 1, name
    # and /metrics shows them (what a scraper reads)
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert metric(text, "django_http_exceptions_total_by_view_total", view="boom") >= 1


def test_metrics_are_not_reachable_through_a_foreign_address_in_forwarded_for(client, settings):
    from klebepunkt.web.proxy import parse_networks

    settings.METRICS_ALLOW = parse_networks("127.0.0.1")
    # no proxy is trusted: the header is ignored, and 10.9.9.9 may not pretend to be local…
    response = client.get("/metrics", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 404


def _metrics_dir_of_a_process(tmp_path, **environment: str) -> str:
    """The metrics directory a new process's settings choose, under ``environment``."""
    import os
    import subprocess
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PROMETHEUS_MULTIPROC_DIR", "KLEBEPUNKT_DERIVED_METRICS_DIR")
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="klebepunkt.web.settings")
    code = "import os\nfrom django.conf import settings\nsettings.DEBUG\n"
    code += "print(os.environ['PROMETHEUS_MULTIPROC_DIR'])"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_a_server_started_from_another_process_derives_its_own_metrics_directory(tmp_path):
    """A process inherits its parent's environment; a metrics directory the parent derived from
    its data directory is not taken over by a child with another data directory (a server
    started from a test or the benchmark would empty the parent's live files at its start)."""
    parent = tmp_path / "parent"
    derived = _metrics_dir_of_a_process(tmp_path, KLEBEPUNKT_DATA_DIR=str(parent))
    assert derived == str(parent / "metrics")
    child = tmp_path / "child"
    inherited = {
        "PROMETHEUS_MULTIPROC_DIR": derived,
        "KLEBEPUNKT_DERIVED_METRICS_DIR": derived,
    }
    assert _metrics_dir_of_a_process(tmp_path, KLEBEPUNKT_DATA_DIR=str(child), **inherited) == str(
        child / "metrics"
    )
    # the same data directory (a gunicorn worker, a command of the same installation): the same
    assert _metrics_dir_of_a_process(tmp_path, KLEBEPUNKT_DATA_DIR=str(parent), **inherited) == (
        derived
    )


def test_a_metrics_directory_the_operator_set_is_kept(tmp_path):
    chosen = tmp_path / "shared-metrics"
    assert _metrics_dir_of_a_process(
        tmp_path,
        KLEBEPUNKT_DATA_DIR=str(tmp_path / "data"),
        PROMETHEUS_MULTIPROC_DIR=str(chosen),
    ) == str(chosen)
