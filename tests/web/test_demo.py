"""The README's demo: one command serves the Koblenz process; a second run keeps the data."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_demo(data_dir, port):
    env = {**os.environ, "LANG": "de_DE.UTF-8", "KLEBEPUNKT_LANG": ""}
    for name in (
        "DJANGO_SETTINGS_MODULE",
        "KLEBEPUNKT_SECRET_KEY",
        "KLEBEPUNKT_DATA_DIR",
        "DATABASE_URL",
    ):
        env.pop(name, None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "klebepunkt",
            "demo",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    lines = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if line.startswith("Datenverzeichnis"):
            break
        if process.poll() is not None:
            pytest.fail("demo ended: " + "".join(lines))
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    return process, "".join(lines)


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def login_and_get(port, user, password, path):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urlencode(
        {"csrfmiddlewaretoken": token, "username": user, "password": password}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/accounts/login/",
        data=data,
        headers={"Referer": f"http://127.0.0.1:{port}/"},
    )
    opener.open(request)
    return opener.open(f"http://127.0.0.1:{port}{path}").read().decode()


def test_demo_serves_the_koblenz_process_and_keeps_its_data(tmp_path, koblenz_expected):
    port = free_port()
    process, output = start_demo(tmp_path / "data", port)
    try:
        assert f"http://127.0.0.1:{port}/" in output
        user, password = re.search(r"Benutzer (\S+), Passwort (\S+)", output).groups()
        page = login_and_get(port, user, password, "/p/1/result/")
        assert "Prioritäten (7)" in page
        for _field, goal, _points in koblenz_expected["teil_ii"]:
            assert goal.replace('"', "&quot;") in page
        static = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/klebepunkt/klebepunkt.css")
        assert static.status == 200
    finally:
        stop(process)
    process, output_again = start_demo(tmp_path / "data", port)
    try:
        assert re.search(r"Passwort (\S+)", output_again).group(1) == password
        page = login_and_get(port, user, password, "/processes/")
        assert page.count("Bericht zur sozialen Lage 2015 in Koblenz") == 1  # not loaded twice
    finally:
        stop(process)
