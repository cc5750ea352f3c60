"""Django settings for klebepunkt.

Everything that differs between a laptop demo and a city's server comes from the
environment: ``KLEBEPUNKT_DATA_DIR`` (SQLite file, secret key), ``DATABASE_URL``
(PostgreSQL), ``REDIS_URL`` (shared cache), ``KLEBEPUNKT_PRODUCTION`` (HTTPS-only
cookies, HSTS), ``KLEBEPUNKT_ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import django_stubs_ext
from django.utils.translation import gettext_lazy as _

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
    "klebepunkt.processes",
    "klebepunkt.voting",
    "klebepunkt.monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "klebepunkt.web.headers.SecurityHeadersMiddleware",  # CSP, Permissions-Policy
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
STATIC_ROOT = DATA_DIR / "static"
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
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [
        origin.strip()
        for origin in os.environ.get("KLEBEPUNKT_CSRF_TRUSTED_ORIGINS", "").split(",")
        if origin.strip()
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KLEBEPUNKT_LOG_LEVEL", "WARNING")},
}
