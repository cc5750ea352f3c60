"""Security headers on every response, templates without inline code, and the production settings.

Every kind of response (a page, a fragment, a file, a static file, an error page)
carries the Content-Security-Policy (scripts and styles from our origin only,
``frame-ancestors 'none'``), ``X-Frame-Options: DENY``, ``X-Content-Type-Options:
nosniff``, a Referrer-Policy and a Permissions-Policy. No template has an inline
script, an inline style or an event handler, so the policy needs no exception.
With ``KLEBEPUNKT_PRODUCTION=1`` the app sends HSTS, redirects to HTTPS, and
``manage.py check --deploy`` finds nothing.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from klebepunkt.web.headers import CONTENT_SECURITY_POLICY
from tests.security.world import ANONYMOUS, FACILITATOR, VOTER, build_world

SRC = Path(__file__).resolve().parents[2] / "src" / "klebepunkt"
TEMPLATES = sorted(path for path in SRC.rglob("*.html") if "templates" in path.parts)


def assert_secure_headers(response, where: str) -> None:
    policy = response["Content-Security-Policy"]
    directives = dict(
        [*part.split(" ", 1), ""][:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    assert directives["script-src"] == "'self'", where
    assert directives["style-src"] == "'self'", where
    assert directives["frame-ancestors"] == "'none'", where
    assert directives["object-src"] == "'none'", where
    assert directives["base-uri"] == "'none'", where
    assert directives["form-action"] == "'self'", where
    assert "unsafe" not in policy, where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert "camera=()" in response["Permissions-Policy"], where
    assert "geolocation=()" in response["Permissions-Policy"], where


@pytest.mark.django_db
def test_every_kind_of_response_has_the_security_headers(client):
    world = build_world()
    facilitator = world.clients[FACILITATOR]
    process, voting_round = world.process, world.voting_round
    responses = {
        "page": facilitator.get(reverse("processes:detail", args=[process.pk])),
        "htmx fragment": facilitator.get(
            reverse("processes:board", args=[process.pk]), HTTP_HX_REQUEST="true"
        ),
        "report (pdf)": facilitator.get(
            reverse("processes:export_report", args=[process.pk, "pdf"])
        ),
        "report (csv)": facilitator.get(
            reverse("processes:export_report", args=[process.pk, "csv"])
        ),
        "process file": facilitator.get(reverse("processes:export_process", args=[process.pk])),
        "ballot": world.clients[VOTER].get(reverse("voting:ballot")),
        "dot (htmx)": world.clients[VOTER].post(
            reverse("voting:dot"), {"card": "0", "action": "add"}, HTTP_HX_REQUEST="true"
        ),
        "projector": world.clients[ANONYMOUS].get(
            reverse("voting:shared_projector", args=[voting_round.projector_token])
        ),
        "login": client.get(reverse("login")),
        "redirect": client.get(reverse("processes:list")),
        "not found": facilitator.get("/p/999999/"),
        "forbidden": world.clients["observer"].post(
            reverse("processes:settings", args=[process.pk]), {"title": "x"}
        ),
        "static file": client.get("/static/klebepunkt/klebepunkt.css"),
        "admin": client.get("/admin/login/"),
    }
    for where, response in responses.items():
        assert response.status_code < 500, where
        assert_secure_headers(response, where)


def test_the_policy_is_the_one_documented():
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


# --- templates: nothing inline that the policy would have to allow ----------------------------


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(SRC)))
def test_no_template_has_inline_script_style_or_event_handler(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "an inline <script>"
    assert not re.search(r"<style\b", text), "an inline <style>"
    assert not re.search(r"\sstyle=", text), "a style attribute"
    assert not re.search(r"\son[a-z]+\s*=", text), "an event handler attribute"
    assert not re.search(r"javascript:", text, re.IGNORECASE), "a javascript: URL"
    assert "hx-on" not in text and "js:" not in text, "code for htmx to evaluate"


def _with_bases(template: Path) -> str:
    """The template's text and that of every template it extends (``{% extends "x.html" %}``)."""
    text = template.read_text()
    extended = re.search(r'{%\s*extends\s+"([^"]+)"\s*%}', text)
    if extended:
        bases = [t for t in TEMPLATES if t.as_posix().endswith("/templates/" + extended[1])]
        assert len(bases) == 1, f"{template.name}: extends {extended[1]}, found {bases}"
        text = _with_bases(bases[0]) + text
    return text


def test_htmx_is_configured_for_the_policy_on_every_page_that_loads_it():
    for template in TEMPLATES:
        text = _with_bases(template)
        if "{% htmx_script %}" in text:
            config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', text)
            assert config, f"{template.name}: htmx would inject its indicator style"
            assert '"includeIndicatorStyles": false' in config[1]
            assert '"allowEval": false' in config[1]


# --- production settings ---------------------------------------------------------------------


def _production_environment(tmp_path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KLEBEPUNKT_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(
        {
            "KLEBEPUNKT_PRODUCTION": "1",
            "KLEBEPUNKT_SECRET_KEY": secrets.token_urlsafe(64),
            "KLEBEPUNKT_DATA_DIR": str(tmp_path),
            "KLEBEPUNKT_ALLOWED_HOSTS": "klebepunkt.example.org",
        }
    )
    return env


@pytest.mark.parametrize("redirect", ["1", "0"], ids=["app redirects", "proxy redirects"])
def test_check_deploy_is_clean_with_the_production_settings(tmp_path, redirect):
    klebepunkt = Path(sys.executable).parent / "klebepunkt"
    result = subprocess.run(
        [str(klebepunkt), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env={**_production_environment(tmp_path), "KLEBEPUNKT_SSL_REDIRECT": redirect},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_REQUESTS = """
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="klebepunkt.example.org")
plain = client.get("/v/ballot/")
secure = client.get("/v/ballot/", secure=True)
print(plain.status_code, plain.get("Location"))
print(secure.status_code, secure["Strict-Transport-Security"])
print(secure["Content-Security-Policy"])
print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.DEBUG)
"""


def test_production_sends_hsts_and_redirects_to_https(tmp_path):
    env = _production_environment(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "klebepunkt.web.settings"
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_REQUESTS],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    redirect, hsts, policy, cookies = result.stdout.strip().splitlines()
    assert redirect == "301 https://klebepunkt.example.org/v/ballot/"
    status, value = hsts.split(" ", 1)
    assert status == "302"  # to the entry page, over HTTPS, with HSTS
    assert "max-age=31536000" in value and "includeSubDomains" in value
    assert "frame-ancestors 'none'" in policy
    assert cookies == "True True False"  # cookies only over HTTPS; no debug pages
