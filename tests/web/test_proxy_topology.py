"""The production topology on one machine: nginx terminating TLS in front of two
``klebepunkt serve`` instances on the same database and Redis.

Voters vote through the proxy, spread over both app servers; one app server is ended with
SIGKILL mid-run; every acknowledged dot is counted, none is invented, nobody overdraws,
``klebepunkt verify`` is clean, and the voters carry on through the other server. Also:
the real client address reaches the app (rate limits count clients, not the proxy),
absolute URLs and cookies are https, static files carry long cache headers.

nginx comes from Debian (``./run test`` installs it like chromium); where it is missing the
test is skipped with the reason. Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

from klebepunkt.bench.http import Client
from klebepunkt.bench.overdrafts import count_overdrafts
from klebepunkt.voting import selectors
from klebepunkt.voting.codes import ALPHABET
from klebepunkt.voting.models import Ballot, DotEvent
from klebepunkt.voting.phone_entry import WRONG_CODES_PER_ADDRESS
from tests import server as test_server
from tests.reliability.conftest import (
    database_url_of_the_killed,
    make_open_round,
    wait_until_database_is_ours,
    wait_until_gone,
)
from tests.server import free_port, running_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
VOTERS = 12
CLICKS_PER_VOTER = 24

NGINX_CONF = """
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
{user}
events {{ worker_connections 512; }}
http {{
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    upstream klebepunkt {{
        server 127.0.0.1:{port_a} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{port_b} max_fails=1 fail_timeout=30s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate {run}/cert.pem;
        ssl_certificate_key {run}/key.pem;
        location = /metrics {{ deny all; }}
        location / {{
            gzip off;
            proxy_pass http://klebepunkt;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


def throwaway_certificate(directory: Path) -> None:
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip


@contextmanager
def nginx(run: Path, port_a: int, port_b: int):
    """nginx in the foreground on a free port; yields the https base URL."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / sub).mkdir(parents=True, exist_ok=True)
    port = free_port()
    (run / "nginx.conf").write_text(
        NGINX_CONF.format(
            run=run,
            port=port,
            port_a=port_a,
            port_b=port_b,
            user="user root root;" if os.geteuid() == 0 else "",
        )
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(run), "-c", str(run / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"https://localhost:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                get(base, "/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"nginx did not start: {process.stderr.read().decode() if process.stderr else ''}"
                        + (run / "error.log").read_text(errors="replace")
                    ) from None
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def tls(run: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(run / "cert.pem"))


_CONTEXT: dict[str, ssl.SSLContext] = {}


def get(base: str, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    client = Client(base, ssl_context=_CONTEXT["tls"])
    connection_ = client._conn()
    connection_.request("GET", path, headers={"Host": base.split("//")[1], **(headers or {})})
    response = connection_.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    client.close()
    return response


@dataclass
class Voter:
    voter_id: int
    cookies: dict[str, str]
    cards: list[int]
    clicks: list[tuple[int, int, str]] = field(default_factory=list)  # card, delta, outcome


def vote(base: str, voters: list[Voter], *, seed: int, kill) -> list[str]:
    """One thread per voter, one click at a time; ``kill`` is called after every answer."""
    errors: list[str] = []
    lock = threading.Lock()

    def run(index: int, voter: Voter) -> None:
        generator = random.Random(seed * 100 + index)
        client = Client(base, timeout=20, ssl_context=_CONTEXT["tls"])
        client.cookies = dict(voter.cookies)
        try:
            for _ in range(CLICKS_PER_VOTER):
                card = generator.choice(voter.cards)
                action = "add" if generator.random() < 0.65 else "remove"
                delta = 1 if action == "add" else -1
                try:
                    response = client.click(card, action)
                except (OSError, http.client.HTTPException):
                    voter.clicks.append((card, delta, "in-flight"))
                    client.close()
                    continue
                outcome = response.headers.get("x-klebepunkt-dot")
                if response.status == 502:  # the proxy lost the app server under this click
                    outcome = "in-flight"
                elif response.status != 200 or outcome is None:
                    with lock:
                        errors.append(f"voter {voter.voter_id}: {response.status}")
                    outcome = f"unexpected:{response.status}"
                voter.clicks.append((card, delta, outcome))
                kill()
        except Exception as error:
            with lock:
                errors.append(f"voter {voter.voter_id}: {error!r}")
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(i, v), daemon=True) for i, v in enumerate(voters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return errors


def chain_explains(chain: list[tuple[int, int]], clicks: list[tuple[int, int, str]]) -> bool:
    """The database's chain is exactly the acknowledged clicks, in order, plus any of the
    unacknowledged (in-flight) ones: those may or may not have committed."""
    memo: dict[tuple[int, int], bool] = {}

    def match(i: int, j: int) -> bool:
        if (i, j) in memo:
            return memo[(i, j)]
        if j == len(clicks):
            result = i == len(chain)
        else:
            card, delta, outcome = clicks[j]
            step = i < len(chain) and chain[i] == (card, delta)
            if outcome in ("placed", "taken-back"):
                result = step and match(i + 1, j + 1)
            elif outcome == "in-flight":
                result = (step and match(i + 1, j + 1)) or match(i, j + 1)
            else:  # refused: nothing written
                result = match(i, j + 1)
        memo[(i, j)] = result
        return result

    return match(0, 0)


def dot_requests(log: Path) -> int:
    return len(re.findall(r'"POST /v/ballot/dot/', log.read_text())) if log.exists() else 0


@pytest.mark.skipif(NGINX is None, reason="nginx (Debian package nginx) is not installed")
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_voting_through_nginx_survives_the_loss_of_one_app_server(tmp_path):
    voting_round = make_open_round(voters=VOTERS, cards=6, cap=2)
    cards = list(selectors.round_cards(voting_round).values_list("id", flat=True))
    codes = list(voting_round.voters.order_by("id").values_list("id", "code"))
    run = tmp_path / "nginx"
    run.mkdir()
    throwaway_certificate(run)
    _CONTEXT["tls"] = tls(run)
    common = {
        "KLEBEPUNKT_TRUSTED_PROXIES": "127.0.0.1",
        "KLEBEPUNKT_PRODUCTION": "1",
        "KLEBEPUNKT_SSL_REDIRECT": "0",  # the proxy speaks https; the app behind it http
        "KLEBEPUNKT_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "REDIS_URL": os.environ.get("KLEBEPUNKT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "KLEBEPUNKT_THREADS": "4",
    }
    logs = {name: tmp_path / f"access-{name}.log" for name in "ab"}
    for name in "ab":
        (tmp_path / name).mkdir()
    with ExitStack() as stack:
        base_a, server_a = stack.enter_context(
            running_server(
                tmp_path / "a",
                workers=1,
                extra_env={
                    **common,
                    "DATABASE_URL": database_url_of_the_killed(),
                    "KLEBEPUNKT_ACCESS_LOG": str(logs["a"]),
                },
            )
        )
        base_b, _server_b = stack.enter_context(
            running_server(
                tmp_path / "b",
                workers=1,
                extra_env={
                    **common,
                    "DATABASE_URL": test_server.test_database_url(),
                    "KLEBEPUNKT_ACCESS_LOG": str(logs["b"]),
                },
            )
        )
        base = stack.enter_context(
            nginx(run, int(base_a.rsplit(":", 1)[1]), int(base_b.rsplit(":", 1)[1]))
        )

        # behind the proxy: https URLs, secure cookies, long-lived static files
        entry = get(base, "/v/")
        assert entry.status == 200
        cookie_headers = [v for k, v in entry.getheaders() if k.lower() == "set-cookie"]
        assert cookie_headers and all("Secure" in value for value in cookie_headers)
        stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', entry.body).group(1).decode()
        static = get(base, stylesheet)
        assert static.status == 200
        assert "immutable" in static.getheader("Cache-Control", "")
        assert int(re.search(r"max-age=(\d+)", static.getheader("Cache-Control")).group(1)) >= (
            365 * 24 * 3600
        )
        assert get(base, "/metrics").status == 403  # the proxy keeps the metrics inside

        voters: list[Voter] = []
        generator = random.Random(os.getpid())
        for voter_id, code in codes:
            client = Client(base, ssl_context=_CONTEXT["tls"])
            client.join(code)
            voters.append(Voter(voter_id, dict(client.cookies), generator.sample(cards, 3)))
            client.close()

        answered = [0]
        kill_after = VOTERS * CLICKS_PER_VOTER // 3
        lock = threading.Lock()

        def kill() -> None:
            with lock:
                answered[0] += 1
                if answered[0] == kill_after:
                    os.killpg(server_a.pid, signal.SIGKILL)  # master and worker at once

        errors = vote(base, voters, seed=generator.randrange(10**6), kill=kill)
        assert answered[0] > kill_after, "the load ended before the kill"
        before_kill = dot_requests(logs["a"]), dot_requests(logs["b"])
        server_a.wait(timeout=15)
        wait_until_gone(server_a.pid)

        # the rate limit of wrong codes counts the client behind the proxy, not the proxy:
        # a client announcing itself as another address through the proxy is a new client
        # (fresh addresses each run: Redis keeps the counts of earlier runs for ten minutes)
        # (each wrong code with a prefix of its own, so that the address's limit is what counts,
        # not the limit per code prefix)
        first, second = (f"198.18.{generator.randrange(256)}.{n}" for n in (1, 2))
        wrongs = ["".join(generator.choices(ALPHABET, k=9)) for _ in range(WRONG_CODES_PER_ADDRESS)]
        other_wrong = "".join(generator.choices(ALPHABET, k=9))
        client = Client(base, ssl_context=_CONTEXT["tls"])
        page = client.get("/v/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        statuses = [
            client.post(
                "/v/",
                {"csrfmiddlewaretoken": token, "code": wrong},
                headers={"X-Forwarded-For": first},
            ).status
            for wrong in [*wrongs, wrongs[0]]
        ]
        other = client.post(
            "/v/",
            {"csrfmiddlewaretoken": token, "code": other_wrong},
            headers={"X-Forwarded-For": second},
        ).status
        client.close()

    assert errors == [], errors
    wait_until_database_is_ours()
    chains: dict[int, list[tuple[int, int]]] = {v.voter_id: [] for v in voters}
    for voter_id, card_id, delta in (
        DotEvent.objects.filter(voter_id__in=chains)
        .order_by("voter_id", "sequence")
        .values_list("voter_id", "card_id", "delta")
    ):
        chains[voter_id].append((card_id, delta))
    for voter in voters:
        assert chain_explains(chains[voter.voter_id], voter.clicks), (
            voter.voter_id,
            chains[voter.voter_id],
            voter.clicks,
        )
    # both app servers took dots before the kill; after it, the voters went on through b
    assert before_kill[0] > 0 and before_kill[1] > 0, before_kill
    acknowledged_after = sum(
        1
        for voter in voters
        for _c, _d, outcome in voter.clicks[CLICKS_PER_VOTER // 2 :]
        if outcome in ("placed", "taken-back") or outcome.startswith("refused")
    )
    assert acknowledged_after > 0
    assert all(any(o != "in-flight" for _c, _d, o in voter.clicks[-3:]) for voter in voters), (
        "a voter could not go on after the kill"
    )

    assert selectors.verify_round(voting_round) == []
    voters_now = list(voting_round.voters.values_list("id", "used", "budget"))
    ballots = list(
        Ballot.objects.filter(voter__voting_round=voting_round).values_list(
            "voter_id", "card_id", "dots"
        )
    )
    assert count_overdrafts(voters_now, ballots, voting_round.cap_per_card) == 0
    verify = subprocess.run(
        [sys.executable, "-m", "klebepunkt", "verify", str(voting_round.process_id)],
        env={**os.environ, "DATABASE_URL": test_server.test_database_url()},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr

    assert statuses[-1] == 429 and statuses.count(429) == 1, statuses  # the 51st from `first`
    assert other != 429
    print(
        f"\n[proxy {connection.vendor}] dots through a: {before_kill[0]}, through b: "
        f"{dot_requests(logs['b'])}; in flight at the kill: "
        f"{sum(o == 'in-flight' for v in voters for _c, _d, o in v.clicks)}"
    )
