"""Django settings for klebepunkt.

Everything that differs between a laptop demo and a city's server comes from the
environment: ``KLEBEPUNKT_DATA_DIR`` (SQLite file, secret key, audit key), ``DATABASE_URL``
(PostgreSQL), ``REDIS_URL`` (shared cache), ``KLEBEPUNKT_PRODUCTION`` (HTTPS-only
cookies, HSTS), ``KLEBEPUNKT_ALLOWED_HOSTS``, ``KLEBEPUNKT_REPORT_WAIT`` (seconds a
download waits for its report before the progress page), ``KLEBEPUNKT_TASK_WORKER=0``
(``klebepunkt serve`` starts no job worker: it runs elsewhere).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from klebepunkt.voting import audit_keys

django_stubs_ext.monkeypatch()  # ModelForm[Process], ModelAdmin[Card] … at run time, for the types

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("KLEBEPUNKT_DATA_DIR", "data")).resolve()


def _secret_key() -> str:
    if key := os.environ.get("KLEBEPUNKT_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


SECRET_KEY = _secret_key()


def _networks(variable: str, default: str) -> tuple[Any, ...]:
    from klebepunkt.web.proxy import parse_networks

    try:
        return parse_networks(os.environ.get(variable, default))
    except ValueError as error:
        raise ImproperlyConfigured(f"{variable}: {error}") from None


# --- behind a reverse proxy (web/proxy.py) and the metrics' access list (web/metrics.py) -----
TRUSTED_PROXIES = _networks("KLEBEPUNKT_TRUSTED_PROXIES", "")
METRICS_ALLOW = _networks("KLEBEPUNKT_METRICS_ALLOW", "127.0.0.1,::1")
if TRUSTED_PROXIES:
    # honoured only from the proxy: web/proxy.py drops these headers from anybody else
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# prometheus_client adds up the workers' counters from files here (emptied by web/server.py).
# It reads the variable from the environment, which every process started from here inherits;
# a directory derived here from the data directory is marked as derived, so that a server
# started from this process with another data directory (the benchmark's, a test's) derives
# its own and never empties this one. A directory the operator set is kept as it is.
_DERIVED_METRICS = "KLEBEPUNKT_DERIVED_METRICS_DIR"
if os.environ.get("PROMETHEUS_MULTIPROC_DIR", "") in ("", os.environ.get(_DERIVED_METRICS)):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ[_DERIVED_METRICS] = str(
        DATA_DIR / "metrics"
    )
Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
# The key of the audit chain's MACs: outside the database, like the secret key (see
# voting/audit_keys.py: KLEBEPUNKT_AUDIT_KEY, or the file audit_key in the data directory).
AUDIT_KEY_ID, AUDIT_KEYS = audit_keys.load(DATA_DIR)
PRODUCTION = os.environ.get("KLEBEPUNKT_PRODUCTION", "") in {"1", "true", "yes"}
DEBUG = os.environ.get("KLEBEPUNKT_DEBUG", "") in {"1", "true", "yes"} and not PRODUCTION
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("KLEBEPUNKT_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "klebepunkt.processes",
    "klebepunkt.voting",
    "klebepunkt.monitoring",
    "klebepunkt.decisions",
    "klebepunkt.collection",
]

MIDDLEWARE = [
    "klebepunkt.web.proxy.TrustedProxyMiddleware",  # first: the real client address and scheme
    # early, so that its latency holds all the others
    "klebepunkt.web.metrics.RequestMetricsMiddleware",
    # early, so that it compresses what every later one has made (only the big pages: BREACH)
    "klebepunkt.web.compression.CompressBigPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "klebepunkt.web.headers.SecurityHeadersMiddleware",  # CSP, Permissions-Policy
    "klebepunkt.web.request_guard.RefuseNullCharactersMiddleware",  # 400 for NUL, before any query
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "klebepunkt.web.urls"
WSGI_APPLICATION = "klebepunkt.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

STATIC_URL = "/static/"
# the collected static files: in the data directory, unless KLEBEPUNKT_STATIC_ROOT names a
# place of their own (a container image collects them once when it is built; several servers
# of one version share one collection; web/server.py collects under a lock)
STATIC_ROOT = Path(os.environ.get("KLEBEPUNKT_STATIC_ROOT") or DATA_DIR / "static").absolute()
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- databases: SQLite in the data directory by default, PostgreSQL with DATABASE_URL ---------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
SQLITE_PATH = DATA_DIR / "klebepunkt.sqlite3"
if DATABASE_URL.startswith("sqlite:///"):  # a SQLite file elsewhere, with the same settings
    SQLITE_PATH = Path(DATABASE_URL.removeprefix("sqlite:///") or SQLITE_PATH)
    DATABASE_URL = ""
if DATABASE_URL:
    import dj_database_url

    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=False)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "CONN_MAX_AGE": 600,  # keep each thread's connection: opening one costs more than a vote
            "OPTIONS": {
                # WAL lets readers and one writer work at once; synchronous=FULL keeps every
                # committed transaction through a power cut; IMMEDIATE takes the write lock at
                # BEGIN so that concurrent writers queue instead of failing on upgrade;
                # secure_delete overwrites deleted and erased text in the file (DSGVO).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                    " PRAGMA secure_delete=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    }

# --- cache: Redis when configured (shared by all app processes), else the database -------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "klebepunkt",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "klebepunkt_cache",
        }
    }

# --- background jobs: django-tasks with its queue in our database (SQLite or PostgreSQL) -------
# A report that takes longer than a moment is made by the worker (``db_worker``, a child
# process of ``klebepunkt serve``); see processes/report_jobs.py. No further service needed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
REPORT_WAIT_SECONDS = float(
    os.environ.get("KLEBEPUNKT_REPORT_WAIT", "1.0")
)  # a download waits this long for its job before the progress page

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Django's user and password check, with a limit on wrong passwords (web/accounts.py)
AUTHENTICATION_BACKENDS = ["klebepunkt.web.accounts.RateLimitedModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "processes:list"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("KLEBEPUNKT_SSL_REDIRECT", "1") in {"1", "true", "yes"}
    if not SECURE_SSL_REDIRECT:  # KLEBEPUNKT_SSL_REDIRECT=0: the reverse proxy redirects to HTTPS
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if not TRUSTED_PROXIES:  # as before: a proxy in front that sets the header itself
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes speak HTTP
    CSRF_TRUSTED_ORIGINS = [
        origin.strip()
        for origin in os.environ.get("KLEBEPUNKT_CSRF_TRUSTED_ORIGINS", "").split(",")
        if origin.strip()
    ]

# --- sign-on through the city's identity provider (web/oidc.py), off unless configured ---------
OIDC_RP_CLIENT_ID = os.environ.get("KLEBEPUNKT_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("KLEBEPUNKT_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("KLEBEPUNKT_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("KLEBEPUNKT_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("KLEBEPUNKT_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("KLEBEPUNKT_OIDC_JWKS_ENDPOINT", "")
OIDC_ENABLED = all(
    (
        OIDC_RP_CLIENT_ID,
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
    )
)
OIDC_RP_SIGN_ALGO = os.environ.get("KLEBEPUNKT_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("KLEBEPUNKT_OIDC_SCOPES", "openid email profile groups")
OIDC_USE_PKCE = True
OIDC_GROUPS_CLAIM = os.environ.get("KLEBEPUNKT_OIDC_GROUPS_CLAIM", "groups")
OIDC_CREATOR_GROUP = os.environ.get("KLEBEPUNKT_OIDC_CREATOR_GROUP", "")
OIDC_STORE_ID_TOKEN = False
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sign-on=failed"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "klebepunkt.web.oidc.SignOnBackend"]

# --- mail: invitations with the personal link (voting/invitations.py) --------------------------
EMAIL_HOST = os.environ.get("KLEBEPUNKT_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("KLEBEPUNKT_SMTP_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("KLEBEPUNKT_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KLEBEPUNKT_SMTP_PASSWORD", "")
_SMTP_SECURITY = os.environ.get("KLEBEPUNKT_SMTP_SECURITY", "starttls")  # starttls | tls | none
EMAIL_USE_TLS = _SMTP_SECURITY == "starttls"
EMAIL_USE_SSL = _SMTP_SECURITY == "tls"
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("KLEBEPUNKT_MAIL_FROM", "klebepunkt@localhost")

# KLEBEPUNKT_LOG_FORMAT=json: one JSON object a line (for the city's log collector)
LOG_FORMAT = os.environ.get("KLEBEPUNKT_LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("KLEBEPUNKT_LOG_LEVEL", "WARNING")},
}
