"""A restart after a crash does not wait for static files that have not changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import django.core.management

from klebepunkt.web import server


def test_static_files_are_collected_again_only_when_a_source_changed(
    settings, tmp_path, monkeypatch
):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "note.css").write_text("a {}")
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, extra]
    runs = []
    real = django.core.management.call_command

    def counting(name, *args, **kwargs):
        runs.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(django.core.management, "call_command", counting)
    server.collect_static()
    server.collect_static()
    assert runs == ["collectstatic"]  # the second start found the same sources: skipped
    assert (tmp_path / server.STATIC_STAMP).exists()

    # the same content with other times (a container registry keeps them to the second only)
    os.utime(extra / "note.css", ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    server.collect_static()
    assert runs == ["collectstatic"]

    (extra / "note.css").write_text("a { color: black }")  # a changed source
    server.collect_static()
    assert runs == ["collectstatic"] * 2

    (tmp_path / "static").rename(tmp_path / "gone")  # the collected files were removed
    server.collect_static()
    assert runs == ["collectstatic"] * 3


CHILD = """
import os, sys, time
from pathlib import Path
from klebepunkt.web import server
server.configure()
import django.core.management
from django.conf import settings
real = django.core.management.call_command
def counting(name, *args, **kwargs):
    print("collected" if name == "collectstatic" else name, flush=True)
    return real(name, *args, **kwargs)
django.core.management.call_command = counting
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.01)
server.collect_static()
print("done", flush=True)
"""


def app_env(data: Path, root: Path | None = None) -> dict[str, str]:
    """A server's or command's environment: its own data directory and app settings, no test
    database, and the static root ``root`` (else none set: the data directory's)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "klebepunkt.web.settings"}
    env |= {"KLEBEPUNKT_DATA_DIR": str(data), "LANG": "de_DE.UTF-8"}
    for name in ("DATABASE_URL", "KLEBEPUNKT_STATIC_ROOT"):
        env.pop(name, None)
    if root is not None:
        env["KLEBEPUNKT_STATIC_ROOT"] = str(root)
    return env


def test_servers_sharing_a_static_root_collect_it_once(tmp_path):
    """Two servers starting at the same moment with one ``KLEBEPUNKT_STATIC_ROOT`` (a container
    image's, the test suite's): one collects, the other waits for it and finds its stamp."""
    root = tmp_path / "shared" / "collected"
    go = tmp_path / "go"
    children = []
    for number in (1, 2):
        children.append(
            subprocess.Popen(
                [sys.executable, "-c", CHILD, str(go)],
                env=app_env(tmp_path / f"data{number}", root),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    go.touch()
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0, 0], outputs
    said = sorted(out.split() for out, _ in outputs)
    assert said == [["collected", "done"], ["done"]], outputs
    assert (root / "staticfiles.json").exists()
    assert (root.parent / "collected.stamp").read_text() == server_stamp(root)
    for number in (1, 2):  # nothing collected into the data directories themselves
        assert not (tmp_path / f"data{number}" / "static").exists()


def server_stamp(root: Path) -> str:
    code = "from klebepunkt.web import server; server.configure(); print(server._static_stamp())"
    env = app_env(root.parent / "stamp-data", root)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_static_files_go_into_the_data_directory_unless_a_root_is_named(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.STATIC_ROOT)"

    def root(named: Path | None = None) -> str:
        return subprocess.run(
            [sys.executable, "-c", code],
            env=app_env(tmp_path / "data", named),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert root() == str(tmp_path / "data" / "static")
    assert root(tmp_path / "image") == str(tmp_path / "image")


def test_a_collection_that_does_not_match_and_cannot_be_written_is_a_clear_error(tmp_path):
    """A root the server may not write to (an image's, built from other sources): ``serve``
    says so in German, names the root and the remedy, and starts nothing."""
    (tmp_path / "not-a-directory").write_text("")
    root = tmp_path / "not-a-directory" / "static"  # cannot be created, even by root
    result = subprocess.run(
        [sys.executable, "-m", "klebepunkt", "serve", "--port", "1"],
        env=app_env(tmp_path / "data", root),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    message = "".join(result.stderr.split())  # the console wraps long lines, even in a path
    expected = f"Die statischen Dateien in {root} passen nicht zu dieser Version"
    assert "".join(expected.split()) in message, result.stderr
    assert "setzenSieKLEBEPUNKT_STATIC_ROOTaufeinVerzeichnis" in message
    assert "Traceback" not in result.stderr
