"""Settings for the test suite: the real settings, a throw-away data directory, fast hashing."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

if "KLEBEPUNKT_DATA_DIR" not in os.environ:
    # this test process's own data directory, removed when it ends (server processes the
    # tests start inherit the variable and leave the removal to us)
    os.environ["KLEBEPUNKT_DATA_DIR"] = tempfile.mkdtemp(prefix="klebepunkt-test-")
    atexit.register(shutil.rmtree, os.environ["KLEBEPUNKT_DATA_DIR"], ignore_errors=True)
os.environ.setdefault(
    "KLEBEPUNKT_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789"
)
# the audit key too, so that the server processes and commands a test starts (each with a
# data directory of its own) sign and verify with the same key
os.environ.setdefault("KLEBEPUNKT_AUDIT_KEY", "test-only-audit-key-not-for-production-0123456789")
os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop
# The servers and commands the tests start (each with a data directory of its own) share one
# collection of the static files, kept in pytest's cache directory: collecting and compressing
# them costs about 6.5 CPU s, and a run starts some thirty servers. The first collects under
# web/server.py's lock; the others, and later runs, find its stamp (new sources: collected again).
os.environ["KLEBEPUNKT_STATIC_ROOT"] = str(
    Path(__file__).resolve().parent.parent / ".pytest_cache" / "klebepunkt-static" / "static"
)  # set, not defaulted: a root of the developer's own is not the tests' to write

from klebepunkt.web.settings import *  # noqa: F403

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # a file, not memory: the server processes of the concurrency tests open the same database
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-database.sqlite3")}  # noqa: F405

else:
    # one test database per run, so that two runs on one server never meet
    DATABASES["default"]["TEST"] = {"NAME": f"test_klebepunkt_{os.getpid()}"}  # noqa: F405
    # Django's backend, emptying the tables after a transactional test by DELETE (tests/db)
    DATABASES["default"]["ENGINE"] = "tests.db.postgresql"  # noqa: F405

# this process collects into its own data directory (STATIC_ROOT of the shared collection above
# would be rewritten, with this process's storage, under the servers serving from it)
STATIC_ROOT = DATA_DIR / "static"  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Jobs run at once inside the request (django-tasks' immediate backend), so a download in
# a test gets its file as before; the tests of the queue itself (tests/processes/
# test_report_jobs.py, tests/e2e/test_report_jobs.py) switch to the database backend and
# run the real worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
