"""The container image, the compose file and the nginx configuration, checked as far as
this machine can without a container engine: hadolint on the Dockerfile, docker-compose's
own validation of compose.yaml (where the client is installed), ``nginx -t`` on the proxy
configuration, and every setting they name is one the app reads."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "\n".join(path.read_text() for path in (ROOT / "src").rglob("*.py"))


def test_dockerfile_passes_hadolint():
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run(
        [str(hadolint), "--failure-threshold", "info", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_non_root_serves_and_does_not_migrate_on_start():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER 10001$", dockerfile, re.MULTILINE)
    assert 'ENTRYPOINT ["klebepunkt"]' in dockerfile
    assert 'CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]' in dockerfile
    assert "KLEBEPUNKT_MIGRATE=0" in dockerfile
    assert "uv sync --frozen --no-dev" in dockerfile  # the locked packages, nothing else
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "fonts-dejavu-core",
        "fonts-dejavu-extra",  # the oblique DejaVu faces of the Typst report
        "fonts-liberation",
    ):
        assert package in dockerfile


@pytest.mark.parametrize("path", ["Dockerfile", "compose.yaml"])
def test_every_setting_named_in_the_deploy_files_is_read_by_the_app(path):
    named = set(
        re.findall(r"\b(KLEBEPUNKT_[A-Z_]+|DATABASE_URL|REDIS_URL)\b", (ROOT / path).read_text())
    )
    assert named
    unread = sorted(name for name in named if f'"{name}"' not in SOURCE)
    assert unread == []


@pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is not installed"
)
def test_compose_file_is_valid():
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "compose.yaml"), "config", "--quiet"],
        env={
            **os.environ,
            "POSTGRES_PASSWORD": "test",
            "KLEBEPUNKT_SECRET_KEY": "test",
            "KLEBEPUNKT_AUDIT_KEY": "test-audit-key-of-at-least-thirty-two-characters",
            "SITE_HOST": "klebepunkt.example",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_compose_runs_two_app_replicas_behind_the_proxy_and_migrates_once():
    import yaml

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["app"]["deploy"]["replicas"] == 2
    assert services["migrate"]["command"] == ["manage", "migrate", "--noinput"]
    assert {"postgres", "redis", "proxy"} <= services.keys()


@pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
    reason="nginx (Debian package nginx) is not installed",
)
def test_nginx_configuration_is_accepted_by_nginx(tmp_path):
    from tests.web.test_proxy_topology import throwaway_certificate

    throwaway_certificate(tmp_path)
    site = (ROOT / "deploy/nginx.conf").read_text()
    site = site.replace("app:8000", "127.0.0.1:8000").replace("/etc/nginx/tls", str(tmp_path))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; include {tmp_path}/site.conf; }}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_images_static_files_collected_at_build_are_served_without_collecting_again(
    tmp_path,
):
    """The Dockerfile's build step, run here as it is written there: the server that starts on
    its collection (``KLEBEPUNKT_STATIC_ROOT``, as the image sets it) serves the files and
    neither collects nor writes them again."""
    import urllib.request

    from tests.server import running_server

    dockerfile = (ROOT / "Dockerfile").read_text()
    step = re.search(r'python -c "([^"]*collect_static\(\)[^"]*)"', dockerfile)
    assert step, "the Dockerfile collects the static files at build time"
    # one root, set before the step, for the step and the servers alike
    assert re.findall(r"KLEBEPUNKT_STATIC_ROOT=(\S+)", dockerfile) == ["/opt/klebepunkt/static"]
    assert dockerfile.index("ENV KLEBEPUNKT_STATIC_ROOT=") < dockerfile.index(step[1])
    root = tmp_path / "image" / "static"
    # the build's environment: no keys, no database, nothing of the tests
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    env |= {"KLEBEPUNKT_DATA_DIR": str(tmp_path / "collect"), "KLEBEPUNKT_STATIC_ROOT": str(root)}
    subprocess.run([sys.executable, "-c", step[1]], env=env, check=True, timeout=300)
    stamp = root.with_name("static.stamp")
    written = {path: path.stat().st_mtime_ns for path in (stamp, root / "staticfiles.json")}

    data = tmp_path / "data"
    data.mkdir()
    extra = {"KLEBEPUNKT_STATIC_ROOT": str(root)}
    with running_server(data, workers=1, extra_env=extra) as (base, _process):
        page = urllib.request.urlopen(base + "/accounts/login/", timeout=10).read().decode()
        styles = re.search(r'href="(/static/klebepunkt/klebepunkt\.[0-9a-f]+\.css)"', page)
        assert styles, "the page links the collected (hashed) style sheet"
        with urllib.request.urlopen(base + styles[1], timeout=10) as answer:
            assert answer.status == 200
    assert {path: path.stat().st_mtime_ns for path in written} == written
    assert not (data / "static").exists()
