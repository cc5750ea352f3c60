"""``klebepunkt doctor`` on a broken and on a sound configuration, as an administrator runs it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.cli.test_verify import voted  # noqa: F401  (the fixture: rounds with dots)
from tests.server import free_port


def doctor(tmp_path, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KLEBEPUNKT_", "DJANGO_", "PROMETHEUS_"))
        and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update({"KLEBEPUNKT_DATA_DIR": str(tmp_path), "LANG": "de_DE.UTF-8", "COLUMNS": "200"})
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "klebepunkt", "doctor"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_broken_configuration_is_named_point_by_point_in_german(tmp_path):
    result = doctor(
        tmp_path,
        KLEBEPUNKT_PRODUCTION="1",
        KLEBEPUNKT_SECRET_KEY="Xq7Zp",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/klebepunkt",
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        KLEBEPUNKT_SMTP_HOST="127.0.0.1",
        KLEBEPUNKT_SMTP_PORT=str(free_port()),
        KLEBEPUNKT_OIDC_CLIENT_ID="klebepunkt",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "FEHLER   Geheimer Schlüssel: Der geheime Schlüssel ist zu kurz" in out
    assert (
        "FEHLER   Hostnamen und Proxy: Im Produktivbetrieb antwortet die App nur auf lokale" in out
    )
    assert "WARNUNG  Hostnamen und Proxy: Kein vertrauenswürdiger Proxy" in out
    assert "FEHLER   Datenbank: Die Datenbank (postgresql) antwortet nicht." in out
    assert "FEHLER   Cache: Der Cache antwortet nicht." in out
    assert "Prüfen Sie REDIS_URL" in out
    assert "FEHLER   E-Mail: Der Mailserver 127.0.0.1" in out
    assert "FEHLER   Anmeldung über die Stadt: Die Anmeldung über die Stadt ist nur halb" in out
    assert "KLEBEPUNKT_OIDC_TOKEN_ENDPOINT" in out
    assert "Traceback" not in result.stdout + result.stderr
    assert "Xq7Zp" not in out  # a secret is never printed


def test_a_sound_configuration_passes(tmp_path):
    database = tmp_path / "klebepunkt.sqlite3"
    migrate = subprocess.run(
        [sys.executable, "-m", "klebepunkt", "manage", "migrate", "--noinput"],
        env={
            **os.environ,
            "KLEBEPUNKT_DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{database}",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    subprocess.run(
        [sys.executable, "-m", "klebepunkt", "manage", "createcachetable"],
        env={
            **os.environ,
            "KLEBEPUNKT_DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{database}",
        },
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = doctor(tmp_path, DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK       Datenbank: sqlite3" in result.stdout
    assert "OK       Schriften für PDF" in result.stdout
    assert "0 Fehler" in result.stdout


@pytest.mark.django_db
def test_votes_signed_with_a_key_no_longer_configured_are_an_error(voted, settings):  # noqa: F811
    from django.utils import translation

    from klebepunkt.web import doctor as checks

    with translation.override("de"):
        assert [f.level for f in checks.check_audit_key()] == [checks.Level.OK]
        used = settings.AUDIT_KEY_ID
        settings.AUDIT_KEY_ID = "0123456789ab"
        settings.AUDIT_KEYS = {"0123456789ab": b"x" * 40}  # the old key was dropped
        findings = checks.check_audit_key()
    assert [f.level for f in findings] == [checks.Level.ERROR]
    assert used in findings[0].message
    assert "klebepunkt verify" in findings[0].message
    assert "KLEBEPUNKT_AUDIT_KEYS_RETIRED" in findings[0].fix


def test_a_production_key_only_in_the_data_directory_is_a_warning(tmp_path):
    result = doctor(tmp_path, KLEBEPUNKT_PRODUCTION="1")
    assert "WARNUNG  Audit-Schlüssel: Der Audit-Schlüssel liegt nur im Datenverzeichnis" in (
        result.stdout
    )
    (tmp_path / "audit_key").chmod(0o644)
    result = doctor(tmp_path, KLEBEPUNKT_AUDIT_KEY="k" * 40)
    assert "Audit-Schlüssel liegt nur" not in result.stdout
    assert "WARNUNG  Audit-Schlüssel: Andere Benutzer des Servers können" in result.stdout
    assert "k" * 40 not in result.stdout  # a secret is never printed


def test_missing_fonts_of_the_result_report_are_an_error_naming_the_files(tmp_path, monkeypatch):
    from django.utils import translation

    from klebepunkt.reports.kit import typst
    from klebepunkt.web import doctor

    monkeypatch.setattr(typst, "FONT_DIRS", (str(tmp_path),))
    with translation.override("de"):
        findings = doctor.check_fonts()
    assert [finding.level for finding in findings] == [doctor.Level.ERROR]
    assert "LiberationSans-Regular.ttf" in findings[0].message
    assert "DejaVuSans-Oblique.ttf" in findings[0].message
    assert "Schriften des Ergebnisberichts fehlen" in findings[0].message
    assert "fonts-dejavu-extra" in findings[0].fix
