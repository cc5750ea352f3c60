"""The benchmark's own correctness: it counts overdrafts and errors, and it reports its figures."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from klebepunkt.bench import load
from klebepunkt.bench.overdrafts import count_overdrafts


def test_no_overdraft_when_everything_holds():
    voters = [(1, 8, 8), (2, 3, 8)]
    ballots = [(1, 10, 3), (1, 11, 3), (1, 12, 2), (2, 10, 3)]
    assert count_overdrafts(voters, ballots, cap=3) == 0


def test_dots_beyond_the_budget_are_counted():
    assert (
        count_overdrafts([(1, 10, 8)], [(1, 10, 3), (1, 11, 3), (1, 12, 3), (1, 13, 1)], cap=3) == 2
    )


def test_dots_beyond_the_cap_are_counted():
    assert count_overdrafts([(1, 5, 8)], [(1, 10, 5)], cap=3) == 2


def test_a_count_that_disagrees_with_the_ballots_is_counted():
    assert count_overdrafts([(1, 4, 8)], [(1, 10, 2)], cap=None) == 2  # stored 4, ballots hold 2
    assert count_overdrafts([(1, 8, 8)], [(1, 10, 3), (1, 11, 3), (1, 12, 3)], cap=None) == 1 + 1


def test_percentiles():
    values = [i / 1000 for i in range(1, 101)]
    assert load.percentile(values, 0.5) == pytest.approx(0.05, abs=0.001)
    assert load.percentile(values, 0.99) == pytest.approx(0.099, abs=0.001)
    assert load.percentile([], 0.99) == 0.0


class FlakyHandler(BaseHTTPRequestHandler):
    """Answers every third POST with a 500, projector polls with 304 after the first."""

    protocol_version = "HTTP/1.1"
    count = 0
    lock = threading.Lock()

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        with FlakyHandler.lock:
            FlakyHandler.count += 1
            status = 500 if FlakyHandler.count % 3 == 0 else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def do_GET(self):
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", "4")
        self.end_headers()
        self.wfile.write(b"live")

    def log_message(self, *args):
        pass


def run_in_own_loop(coroutine):
    """asyncio.run in a thread of its own: in a full test run the browser tests' Playwright
    keeps an event loop running in the main thread, where asyncio.run refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@contextlib.contextmanager
def serving(handler):
    """A local HTTP server answering with ``handler`` in threads; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_load_generator_counts_errors_and_304s():
    with serving(FlakyHandler) as base:
        plan = {
            "base": base,
            "click_path": "/dot",
            "voters": [{"cookie": f"voter={i}", "cards": [1, 2, 3]} for i in range(5)],
            "clients": 3,
            "adds": 4,
            "moves": 1,
            "pollers": 2,
            "poll_path": "/live",
            "poll_interval": 0.05,
            "max_seconds": 30,
        }
        result = run_in_own_loop(load.run(plan))
    assert result["clicks"] == 5 * (4 + 2)
    assert result["errors"] == result["statuses"].get("500", 0) == 10
    assert result["ok"] == 20
    assert result["polls"] >= 2
    assert result["poll_statuses"].get("304", 0) >= 1
    assert json.dumps(result)


class SlowHandler(BaseHTTPRequestHandler):
    """Answers every POST after ``delay`` seconds (a server slower than the offered rate)."""

    protocol_version = "HTTP/1.1"
    delay = 0.05

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def open_loop_against(handler, **plan):
    with serving(handler) as base:
        return run_in_own_loop(
            load.open_loop(
                {
                    "base": base,
                    "click_path": "/dot",
                    "rate": 100,
                    "duration": 0.3,
                    "moves": 0,
                    **plan,
                }
            )
        )


def test_an_arrival_that_finds_every_member_busy_waits_and_counts_from_when_it_was_due():
    # two members, each answered after 50 ms: 100 arrivals a second outrun them, so most
    # arrivals wait for a member (they used to be counted as errors answered in 0 ms)
    result = open_loop_against(
        SlowHandler, voters=[{"cookie": f"voter={i}", "cards": [1, 2]} for i in range(2)], adds=40
    )
    assert result["clicks"] >= 10
    assert result["statuses"] == {"200": result["clicks"]}
    assert result["errors"] == result["unplaced"] == 0
    # every click waited at least for the server's 50 ms, most also for a member
    assert result["p50_ms"] >= SlowHandler.delay * 1000
    assert result["p99_ms"] > result["p50_ms"]


def test_arrivals_beyond_the_members_clicks_are_unplaced_not_errors():
    # one member with one click: every later arrival finds nobody with a click left
    result = open_loop_against(SlowHandler, voters=[{"cookie": "voter=1", "cards": [1]}], adds=1)
    assert result["clicks"] == 1
    assert result["statuses"] == {"200": 1}
    assert result["errors"] == 0
    assert result["unplaced"] >= 5


def test_a_projector_polls_as_htmx_every_second_does():
    # answered within the second: the next poll on the next tick
    assert load.next_poll(10.0, 10.25, 1.0) == (11.0, 0.75)
    # answered after a tick: that tick's poll was queued and goes out at once
    assert load.next_poll(10.0, 11.5, 1.0) == (11.0, 0.0)
    # answered after two ticks: one queued poll (the last), at once; the timer ticks on
    assert load.next_poll(10.0, 12.5, 1.0) == (12.0, 0.0)
    assert load.next_poll(12.0, 12.75, 1.0) == (13.0, 0.25)


class FirstPollRefusedHandler(SlowHandler):
    """A projector's first poll (no ETag yet, always sent in the settling second before the
    first click) is answered 503; every later one 304."""

    delay = 0.01

    def do_GET(self):
        self.answer_poll(first=503)

    def answer_poll(self, first: int) -> None:
        """304 to a poll with the ETag, else ``first`` with it."""
        self.send_response(304 if self.headers.get("If-None-Match") == '"v1"' else first)
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_the_projectors_polls_count_from_the_first_click_on():
    # the settling second before the voting is no part of "while voting" (its polls, all
    # without an ETag, are the slowest and never 304)
    result = open_loop_against(
        FirstPollRefusedHandler,
        voters=[{"cookie": f"voter={i}", "cards": [1, 2]} for i in range(4)],
        adds=10,
        pollers=3,
        poll_path="/live",
        poll_interval=0.05,
    )
    assert result["projector_errors"] == 0
    assert result["projector_p99_ms"] > 0  # polls were counted, from the first click on
    with serving(FirstPollRefusedHandler) as base:
        closed = run_in_own_loop(
            load.run(
                {
                    "base": base,
                    "click_path": "/dot",
                    "voters": [{"cookie": f"voter={i}", "cards": [1, 2, 3]} for i in range(6)],
                    "clients": 2,
                    "adds": 6,
                    "moves": 0,
                    "pollers": 3,
                    "poll_path": "/live",
                    "poll_interval": 0.05,
                    "idle_seconds": 0.5,
                    "idle_grace": 0.1,
                }
            )
        )
    assert closed["errors"] == 0
    assert closed["polls"] >= 1
    assert set(closed["poll_statuses"]) == {"304"}
    assert closed["not_modified_share"] in (None, 1.0)


class FirstPollDroppedHandler(FirstPollRefusedHandler):
    """Closes the connection without an answer to the first two polls (the load generator's
    first send and its one retry), then answers as ``FirstPollRefusedHandler``, 200 first."""

    dropped = 0
    lock = threading.Lock()

    def do_GET(self):
        with FirstPollDroppedHandler.lock:
            FirstPollDroppedHandler.dropped += 1
            drop = FirstPollDroppedHandler.dropped <= 2
        if drop:
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.answer_poll(first=200)


def test_a_poll_without_an_answer_counts_even_in_the_settling_second():
    result = open_loop_against(
        FirstPollDroppedHandler,
        voters=[{"cookie": "voter=1", "cards": [1, 2]}],
        adds=5,
        pollers=1,
        poll_path="/live",
        poll_interval=0.05,
    )
    assert result["projector_errors"] == 1


class FirstClickLostHandler(SlowHandler):
    """Closes the connection without an answer to the first POST, as a server does with a
    keep-alive connection it has closed; answers every later one."""

    lost = 0
    lock = threading.Lock()

    def do_POST(self):
        with FirstClickLostHandler.lock:
            FirstClickLostHandler.lost += 1
            lose = FirstClickLostHandler.lost == 1
        if lose:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        super().do_POST()


def test_a_click_sent_again_on_a_new_connection_is_a_retry():
    result = open_loop_against(
        FirstClickLostHandler, voters=[{"cookie": "voter=1", "cards": [1, 2]}], adds=3
    )
    assert result["statuses"] == {"200": result["clicks"]}  # the retry was answered
    assert result["retries"] == 1
    assert result["poll_retries"] == 0


class StuckHandler(SlowHandler):
    delay = 3.0


def test_a_click_in_flight_when_the_time_runs_out_is_unanswered():
    result = open_loop_against(
        StuckHandler,
        voters=[{"cookie": "voter=1", "cards": [1]}],
        adds=5,
        duration=0.2,
        max_seconds=0.6,
    )
    # the one member's first click is still in flight at the bound; the arrivals behind it wait
    assert result["statuses"] == {"unanswered": result["clicks"]}
    assert result["clicks"] >= 2
    assert result["errors"] == result["clicks"]
    assert result["unplaced"] == 0


def test_load_is_only_sent_to_loopback():
    with pytest.raises(SystemExit):
        run_in_own_loop(load.run({"base": "http://example.org", "voters": [], "click_path": "/"}))


@pytest.mark.slow
def test_a_tiny_voting_benchmark_reports_every_figure():
    from klebepunkt.bench.run import bench_voting

    # one second per offered rate (a real run offers each for 4 or 10): the phases and their
    # figures are what this test is about, not the rates reached on a busy test machine
    result = bench_voting(
        "sqlite", 12, clients=4, pollers=3, workers=2, say=lambda text: None, open_loop_seconds=1.0
    )
    for key in (
        "dots_per_s",
        "p50_ms",
        "p99_ms",
        "errors",
        "overdrafts",
        "floor_dots_per_s",
        "ratio",
        "projector_p99_ms",
        "server_cpu_ms_per_click",
        "floor_server_cpu_ms_per_click",
        "cpu_ratio",
        "cold_dots_per_s",
        "cold_floor_dots_per_s",
        "cold_ratio",
    ):
        assert key in result
    # the measured phases follow a warm-up of the same clicks on each server
    assert result["cold_dots_per_s"] > 0
    assert result["cold_floor_dots_per_s"] > 0
    assert result["server_cpu_ms_per_click"] > 0
    assert result["floor_server_cpu_ms_per_click"] > 0
    assert result["clicks"] == 12 * 12
    assert result["errors"] == 0
    assert result["overdrafts"] == 0
    assert result["floor_overdrafts"] == 0
    # the floor writes the same audit chain as the app, MACs included (the same work)
    assert result["floor_audit_discrepancies"] == 0
    assert result["audit_discrepancies"] == 0
    # every answer "placed" or "taken back", of the app and of the floor, is one audit event
    # of its round, and no event is without one; refusals (a card at its cap) are few
    assert result["answers_not_in_audit"] == 0
    assert result["events_without_answer"] == 0
    assert {"retries", "floor_retries"} <= result.keys()  # clicks sent again, if any
    assert result["refused"] <= result["clicks"] // 10
    assert result["floor_refused"] <= result["clicks"] // 10
    assert set(result["open_loop"]) == {"100", "300"}
    assert result["open_loop"]["100"]["unplaced"] == 0
    assert result["open_loop"]["300"]["clicks"] == 12 * 12
    assert result["open_loop"]["300"]["unplaced"] > 0
    for figures in result["open_loop"].values():
        assert figures["clicks"] > 0
        # every click placed was answered; 12 voters with 12 clicks each cannot place the
        # arrivals of a second at 300 clicks/s, and those beyond their clicks are unplaced
        assert figures["errors"] == 0
        assert figures["statuses"] == {"200": figures["clicks"]}
        assert figures["p99_ms"] is not None
        assert figures["projector_clients"] == 20
        assert figures["projector_errors"] == 0


def test_a_tiny_collection_benchmark_loses_no_card():
    from klebepunkt.bench.run import bench_collection

    result = bench_collection("sqlite", 6, cards=2, pollers=2, workers=2, say=lambda text: None)
    assert result["collection_cards"] == 12
    assert result["collection_errors"] == 0, result["collection_error_samples"]
    assert result["collection_cards_lost"] == 0
    assert result["collection_cards_duplicated"] == 0  # every card was sent twice
    assert result["collection_not_on_wall"] == 0
    assert result["collection_wall_p99_ms"] is not None
    # first sends and retries are counted apart (a retry only finds the stored card)
    assert result["collection_submit_p99_ms"] > 0
    assert result["collection_retry_p99_ms"] > 0


def test_the_report_benchmark_prints_seconds_per_format_as_json():
    import json
    import subprocess
    import sys

    arguments = ["--cards", "20", "--repeat", "1", "--json"]
    done = subprocess.run(
        [sys.executable, "-m", "klebepunkt.bench.reports", *arguments],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures) == {"koblenz", "generated_20"}
    assert figures["generated_20"]["cards"] == 20
    assert {"md_best_s", "pdf_first_s", "pdf_best_s"} <= set(figures["koblenz"])


def test_a_servers_cpu_is_read_from_its_process_group_alone():
    """``server_cpu_ms_per_click`` adds up the CPU of the server's process group: a child in
    a group of its own that has spent 0.3 s of CPU counts that much (not our seconds), and
    nothing once it has ended."""
    import subprocess
    import sys

    from klebepunkt.bench.run import group_cpu_seconds

    script = (
        "import sys, time\n"
        "end = time.process_time() + 0.3\n"
        "while time.process_time() < end: pass\n"
        "print('spent', flush=True)\n"
        "sys.stdin.read()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "spent\n"
        spent = group_cpu_seconds(child.pid)
        assert 0.25 <= spent < 2.0
    finally:
        child.communicate("")
    assert group_cpu_seconds(child.pid) == 0.0


@pytest.mark.slow
def test_the_cpu_of_a_click_is_measured_in_process_against_the_floor():
    """``klebepunkt.bench.click_cpu``: every click accepted (it raises otherwise), CPU per
    click for the app and the floor, and the click's statements (BEGIN and four on SQLite)."""
    import subprocess
    import sys

    output = subprocess.run(
        [sys.executable, "-m", "klebepunkt.bench.click_cpu", "--clicks", "40", "--runs", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    assert result["database"] == "sqlite"
    assert result["queries_per_click"] == 5
    assert result["cpu_ms_median"] > 0
    assert result["floor_cpu_ms_median"] > 0
    assert result["cpu_ratio"] > 0
