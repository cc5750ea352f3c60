"""``klebepunkt doctor``: checks the configuration and says in German what is wrong and how to
fix it (secret key, allowed hosts, proxy, database, cache, fonts for PDF, mail, sign-on).

Each check gives findings of three levels; the command exits with 1 when any is an error.
Runs in the environment the server would run in (the same variables), after Django's setup.
"""

from __future__ import annotations

import shutil
import smtplib
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.utils.translation import gettext as _


class Level(Enum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    level: Level
    topic: str
    message: str
    fix: str = ""


def _ok(topic: str, message: str) -> Finding:
    return Finding(Level.OK, topic, message)


def check_secret_key() -> list[Finding]:
    topic = _("Secret key")
    key = settings.SECRET_KEY
    if len(key) < 50 or len(set(key)) < 5:
        return [
            Finding(
                Level.ERROR,
                topic,
                _("The secret key is too short or too simple."),
                _("Set KLEBEPUNKT_SECRET_KEY to at least 50 random characters, or delete it "
                  "and let klebepunkt write one into the data directory."),
            )
        ]  # fmt: skip
    if "test-only" in key or "insecure" in key:
        return [
            Finding(
                Level.ERROR,
                topic,
                _("The secret key is a test key."),
                _(
                    "Set KLEBEPUNKT_SECRET_KEY to a new random value (e.g. from `openssl rand -base64 48`)."
                ),
            )
        ]
    return [_ok(topic, _("set and long enough"))]


def check_hosts_and_proxy() -> list[Finding]:
    findings: list[Finding] = []
    topic = _("Host names and proxy")
    local = {"127.0.0.1", "localhost", "[::1]"}
    if settings.PRODUCTION and set(settings.ALLOWED_HOSTS) <= local:
        findings.append(
            Finding(
                Level.ERROR,
                topic,
                _("In production the app answers only to local host names (%(hosts)s).")
                % {"hosts": ", ".join(settings.ALLOWED_HOSTS)},
                _(
                    "Set KLEBEPUNKT_ALLOWED_HOSTS to the public host name, e.g. klebepunkt.koblenz.de."
                ),
            )
        )
    if settings.PRODUCTION and not settings.TRUSTED_PROXIES:
        findings.append(
            Finding(
                Level.WARNING,
                topic,
                _("No trusted proxy is set: the client address is the proxy's, so the rate "
                  "limits count the proxy, and X-Forwarded-Proto is believed from anybody."),
                _("Set KLEBEPUNKT_TRUSTED_PROXIES to the proxy's address or network."),
            )
        )  # fmt: skip
    if settings.PRODUCTION and not getattr(settings, "CSRF_TRUSTED_ORIGINS", []):
        findings.append(
            Finding(
                Level.WARNING,
                topic,
                _("No trusted origin for forms is set."),
                _("Set KLEBEPUNKT_CSRF_TRUSTED_ORIGINS to https://<host name>."),
            )
        )
    if not settings.PRODUCTION:
        findings.append(
            Finding(
                Level.WARNING,
                topic,
                _("Production settings are off (cookies also over http, no HSTS)."),
                _("On a server reached over the network set KLEBEPUNKT_PRODUCTION=1."),
            )
        )
    return findings or [_ok(topic, ", ".join(settings.ALLOWED_HOSTS))]


def check_database() -> list[Finding]:
    from klebepunkt.web.health import database_ok, migrations_ok

    topic = _("Database")
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if not database_ok():
        return [
            Finding(
                Level.ERROR,
                topic,
                _("The database (%(vendor)s) does not answer.") % {"vendor": vendor},
                _("Check DATABASE_URL (host, port, user, database) and that the server runs."),
            )
        ]
    findings = []
    if not migrations_ok():
        findings.append(
            Finding(
                Level.ERROR,
                topic,
                _("Migrations are waiting."),
                _("Make a backup, then run `klebepunkt manage migrate`."),
            )
        )
    if settings.PRODUCTION and vendor == "sqlite3":
        findings.append(
            Finding(
                Level.WARNING,
                topic,
                _("SQLite in production: fine for one server, not for several."),
                _("For more than one app server set DATABASE_URL to PostgreSQL."),
            )
        )
    return findings or [_ok(topic, vendor)]


def check_cache() -> list[Finding]:
    from klebepunkt.web.health import cache_ok

    topic = _("Cache")
    if not cache_ok():
        fix = (
            _("Check REDIS_URL and that Redis runs (or unset it: the database then serves).")
            if settings.REDIS_URL
            else _("Run `klebepunkt manage createcachetable` (`klebepunkt serve` does it too).")
        )
        return [Finding(Level.ERROR, topic, _("The cache does not answer."), fix)]
    if not settings.REDIS_URL and settings.PRODUCTION:
        return [
            Finding(
                Level.WARNING,
                topic,
                _("No Redis: the database holds the cache and the rate limits."),
                _("With several app servers set REDIS_URL."),
            )
        ]
    return [_ok(topic, "Redis" if settings.REDIS_URL else _("the database"))]


def check_fonts() -> list[Finding]:
    topic = _("Fonts for PDF")
    fc_list = shutil.which("fc-list")
    families = ""
    if fc_list:
        families = subprocess.run(  # noqa: S603 (fc-list from PATH, fixed arguments)
            [fc_list, ":", "family"], capture_output=True, text=True, check=False
        ).stdout
    if not any(name in families for name in ("DejaVu Sans", "Liberation Sans")):
        return [
            Finding(
                Level.ERROR,
                topic,
                _("Neither DejaVu Sans nor Liberation Sans is installed: PDFs would use a "
                  "stand-in font or fail."),
                _("Install the Debian packages fonts-dejavu-core and fonts-liberation."),
            )
        ]  # fmt: skip
    try:
        from weasyprint import HTML

        HTML(string="<p>Prüfung</p>").write_pdf()
    except Exception as error:  # Pango missing, or anything else WeasyPrint stops on
        return [
            Finding(
                Level.ERROR,
                topic,
                _("A PDF cannot be made: %(error)s") % {"error": error},
                _("Install the Debian packages libpango-1.0-0 and libpangoft2-1.0-0."),
            )
        ]
    from klebepunkt.reports.kit.typst import missing_faces

    missing = missing_faces()
    if missing:  # the result report (Typst) takes its faces from these files only
        return [
            Finding(
                Level.ERROR,
                topic,
                _("The fonts of the result report are missing: %(files)s.")
                % {"files": ", ".join(missing)},
                _(
                    "Install the Debian packages fonts-liberation, fonts-dejavu-core and "
                    "fonts-dejavu-extra."
                ),
            )
        ]
    return [_ok(topic, _("installed; a test PDF was made"))]


def check_mail() -> list[Finding]:
    topic = _("Mail")
    if not settings.EMAIL_HOST:
        return [
            Finding(
                Level.WARNING,
                topic,
                _("No mail server is set: invitations are not sent by e-mail."),
                _("Set KLEBEPUNKT_SMTP_HOST (and _PORT, _USER, _PASSWORD, _SECURITY, "
                  "KLEBEPUNKT_MAIL_FROM) to the city's mail relay."),
            )
        ]  # fmt: skip
    try:
        server_class = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
        with server_class(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=10) as server:
            server.ehlo()
            if settings.EMAIL_USE_TLS:
                server.starttls()
                server.ehlo()
            if settings.EMAIL_HOST_USER:
                server.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
    except (smtplib.SMTPException, OSError) as error:
        return [
            Finding(
                Level.ERROR,
                topic,
                _("The mail server %(host)s:%(port)s cannot be used: %(error)s")
                % {"host": settings.EMAIL_HOST, "port": settings.EMAIL_PORT, "error": error},
                _("Check KLEBEPUNKT_SMTP_HOST, _PORT, _SECURITY and the login."),
            )
        ]
    return [_ok(topic, f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}")]


def check_sign_on() -> list[Finding]:
    topic = _("Sign-on")
    variables = {
        "KLEBEPUNKT_OIDC_CLIENT_ID": settings.OIDC_RP_CLIENT_ID,
        "KLEBEPUNKT_OIDC_AUTHORIZATION_ENDPOINT": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "KLEBEPUNKT_OIDC_TOKEN_ENDPOINT": settings.OIDC_OP_TOKEN_ENDPOINT,
        "KLEBEPUNKT_OIDC_USERINFO_ENDPOINT": settings.OIDC_OP_USER_ENDPOINT,
        "KLEBEPUNKT_OIDC_JWKS_ENDPOINT": settings.OIDC_OP_JWKS_ENDPOINT,
        "KLEBEPUNKT_OIDC_CLIENT_SECRET": settings.OIDC_RP_CLIENT_SECRET,
    }
    missing = [name for name, value in variables.items() if not value]
    if len(missing) == len(variables):
        return [_ok(topic, _("off (local logins only)"))]
    if missing:
        return [
            Finding(
                Level.ERROR,
                topic,
                _("Sign-on is half configured; missing: %(names)s.") % {"names": ", ".join(missing)},
                _("Set the missing variables from the identity provider's discovery document "
                  "(/.well-known/openid-configuration), or unset all KLEBEPUNKT_OIDC_* variables."),
            )
        ]  # fmt: skip
    if not settings.OIDC_CREATOR_GROUP:
        return [
            Finding(
                Level.WARNING,
                topic,
                _("No group may create processes through sign-on."),
                _(
                    "Set KLEBEPUNKT_OIDC_CREATOR_GROUP to the provider's group of the social planners."
                ),
            )
        ]
    return [_ok(topic, settings.OIDC_OP_AUTHORIZATION_ENDPOINT)]


def check_audit_key() -> list[Finding]:
    """Where the audit chain's key comes from, who can read it, and whether every key that
    signed a stored event is still known (else ``klebepunkt verify`` fails)."""
    import os

    from klebepunkt.voting import audit_keys
    from klebepunkt.voting.selectors import audit_key_ids_in_use
    from klebepunkt.web.health import database_ok, migrations_ok

    topic = _("Audit key")
    findings: list[Finding] = []
    path = settings.DATA_DIR / audit_keys.FILE_NAME
    from_environment = bool(os.environ.get("KLEBEPUNKT_AUDIT_KEY", "").strip())
    if settings.PRODUCTION and not from_environment:
        findings.append(
            Finding(
                Level.WARNING,
                topic,
                _("The audit key lies only in the data directory (%(path)s).") % {"path": path},
                _("With several app servers set KLEBEPUNKT_AUDIT_KEY to the same value on each "
                  "(the first line of that file) and keep a copy apart from the backups."),
            )
        )  # fmt: skip
    if path.exists() and path.stat().st_mode & 0o077:
        findings.append(
            Finding(
                Level.WARNING,
                topic,
                _("Other users of the server can read the audit key file %(path)s.")
                % {"path": path},
                _("Run `chmod 600 %(path)s`.") % {"path": path},
            )
        )
    if database_ok() and migrations_ok():  # else the database check says what is wrong
        unknown = sorted(audit_key_ids_in_use() - set(settings.AUDIT_KEYS))
        if unknown:
            findings.append(
                Finding(
                    Level.ERROR,
                    topic,
                    _("Stored votes are signed with audit keys that are not configured: "
                      "%(ids)s. `klebepunkt verify` will report them.")
                    % {"ids": ", ".join(unknown)},
                    _("Add the earlier key to KLEBEPUNKT_AUDIT_KEYS_RETIRED (or as a further "
                      "line of the audit_key file), then restart."),
                )
            )  # fmt: skip
    source = "KLEBEPUNKT_AUDIT_KEY" if from_environment else str(path)
    return findings or [
        _ok(
            topic, _("key %(id)s from %(source)s") % {"id": settings.AUDIT_KEY_ID, "source": source}
        )
    ]


CHECKS: list[Callable[[], list[Finding]]] = [
    check_secret_key,
    check_audit_key,
    check_hosts_and_proxy,
    check_database,
    check_cache,
    check_fonts,
    check_mail,
    check_sign_on,
]


def diagnose() -> list[Finding]:
    import logging

    health = logging.getLogger("klebepunkt.web.health")
    level = health.level
    health.setLevel(logging.ERROR)  # the findings say it; no tracebacks on the console
    try:
        return [finding for check in CHECKS for finding in check()]
    finally:
        health.setLevel(level)


def render(findings: list[Finding]) -> str:
    labels = {
        Level.OK: _("OK"),
        Level.WARNING: _("WARNING"),
        Level.ERROR: _("ERROR"),
    }
    lines = []
    for finding in findings:
        lines.append(f"{labels[finding.level]:8} {finding.topic}: {finding.message}")
        if finding.fix:
            lines.append(f"{'':8} → {finding.fix}")
    errors = sum(finding.level is Level.ERROR for finding in findings)
    warnings = sum(finding.level is Level.WARNING for finding in findings)
    lines.append(
        _("%(errors)d errors, %(warnings)d warnings.") % {"errors": errors, "warnings": warnings}
    )
    return "\n".join(lines)


def exit_code(findings: list[Finding]) -> int:
    return 1 if any(finding.level is Level.ERROR for finding in findings) else 0
