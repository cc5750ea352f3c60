"""A process exported as JSON imports again without loss: export → import → export is identical."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klebepunkt.processes import models
from klebepunkt.samples import sample_bytes

# The web tests use the test database; the CLI tests below run the klebepunkt command on its
# own SQLite data directory (DATABASE_URL removed), so they run in the SQLite pass only: in the
# PostgreSQL pass they would repeat the same SQLite work.
web = pytest.mark.django_db


def cli(tmp_path, *, timeout: int = 120):
    """The klebepunkt command on its own SQLite data directory ``tmp_path/data``, as a user runs
    it (without the tests' database, settings and shared static root); returns (run, env)."""
    env = {**os.environ, "KLEBEPUNKT_DATA_DIR": str(tmp_path / "data"), "LANG": "de_DE.UTF-8"}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "KLEBEPUNKT_STATIC_ROOT"):
        env.pop(name, None)

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "klebepunkt", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run, env


@web
def test_export_import_export_is_byte_identical(koblenz, facilitator_client):
    first = facilitator_client.get(reverse("processes:export_process", args=[koblenz.pk])).content
    upload = SimpleUploadedFile("verfahren.json", first, content_type="application/json")
    response = facilitator_client.post(reverse("processes:import"), {"document": upload})
    copy = models.Process.objects.exclude(pk=koblenz.pk).get()
    assert response["Location"] == reverse("processes:detail", args=[copy.pk])
    second = facilitator_client.get(reverse("processes:export_process", args=[copy.pk])).content
    assert first == second


@web
def test_the_shipped_sample_is_in_canonical_form(koblenz, facilitator_client):
    exported = facilitator_client.get(
        reverse("processes:export_process", args=[koblenz.pk])
    ).content
    assert exported == sample_bytes("koblenz-2017")


@web
def test_bad_process_file_is_refused_with_the_field_named(facilitator_client):
    document = sample_bytes("koblenz-2017").replace(b'"dots": 5', b'"dots": -5')
    response = facilitator_client.post(
        reverse("processes:import"), {"document": SimpleUploadedFile("kaputt.json", document)}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "kaputt.json" in page
    assert "dots" in page
    assert not models.Process.objects.exists()


def test_cli_export_import_round_trip(tmp_path):
    run, _env = cli(tmp_path)
    sample = tmp_path / "koblenz.json"
    sample.write_bytes(sample_bytes("koblenz-2017"))
    imported = run("import", str(sample))
    assert imported.returncode == 0, imported.stderr
    exported = run("export", "1", "-o", str(tmp_path / "out.json"))
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out.json").read_bytes() == sample.read_bytes()
    missing = run("export", "99", "-o", str(tmp_path / "x.json"))
    assert missing.returncode == 2
    assert "99" in missing.stderr


def test_cli_report_of_a_stored_process(tmp_path):
    run, _env = cli(tmp_path, timeout=180)
    sample = tmp_path / "koblenz.json"
    sample.write_bytes(sample_bytes("koblenz-2017"))
    assert run("import", str(sample)).returncode == 0
    # an import serves nothing: it does not spend seconds collecting the static files
    assert not (tmp_path / "data" / "static").exists()
    markdown = run("report", "--process", "1", "-f", "md")
    assert markdown.returncode == 0, markdown.stderr
    assert "Zusammensetzung der Arbeitsgruppe" in markdown.stdout
    assert "9 Personen aus der Mitte des Sozialausschusses" in markdown.stdout
    pdf = run("report", "--process", "1", "-f", "pdf", "-o", str(tmp_path / "bericht.pdf"))
    assert pdf.returncode == 0, pdf.stderr
    assert (tmp_path / "bericht.pdf").read_bytes().startswith(b"%PDF")


def test_cli_createuser_saves_a_login_without_collecting_the_static_files(tmp_path):
    PASSWORD = "ein langes Passwort 42"
    run, env = cli(tmp_path, timeout=180)
    code = (
        "from klebepunkt.web import server; server.configure();"
        "from django.contrib.auth import authenticate;"
        f"print(authenticate(username='anna', password={PASSWORD!r}) is not None)"
    )
    saved = run("createuser", "anna", "--password", PASSWORD)
    assert saved.returncode == 0, saved.stderr
    assert "Benutzer anna gespeichert." in saved.stderr
    assert not (tmp_path / "data" / "static").exists()  # it serves nothing
    login = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert login.stdout.strip() == "True", login.stderr
