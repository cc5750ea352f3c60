"""Running the app: prepare a data directory and serve it with gunicorn and WhiteNoise."""

from __future__ import annotations

import gc
import os
import secrets
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEMO_USER = "moderation"


def configure(data_dir: Path | None = None) -> Path:
    """Point Django at the data directory and set it up (once per process)."""
    if data_dir is not None:
        os.environ["KLEBEPUNKT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klebepunkt.web.settings")
    Path(os.environ.get("KLEBEPUNKT_DATA_DIR", "data")).mkdir(parents=True, exist_ok=True)
    import django
    from django.conf import settings

    django.setup()
    return Path(settings.DATA_DIR)


STATIC_STAMP = "static.stamp"  # next to (not in) the served files (data/static)


def prepare(*, quiet: bool = True, static: bool = True) -> None:
    """Apply migrations, create the cache table, collect static files (when they changed;
    ``static=False`` for a command that serves nothing)."""
    from django.core.management import call_command

    verbosity = 0 if quiet else 1
    if os.environ.get("KLEBEPUNKT_MIGRATE", "1") not in {"0", "false", "no"}:
        # in a container the migrations run once, as a command of their own
        # (`klebepunkt manage migrate`), before the app servers start: KLEBEPUNKT_MIGRATE=0
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("createcachetable", verbosity=verbosity)
    if static:
        collect_static()


class StaticFilesNotWritable(Exception):
    """The collected static files do not match the sources and cannot be collected again
    where ``STATIC_ROOT`` points (a container image's, read-only for the server's user)."""

    def __init__(self, root: Path, error: OSError) -> None:
        super().__init__(f"{root}: {error}")
        self.root = root
        self.reason = error.strerror or str(error)


def collect_static() -> None:
    """``collectstatic``, skipped when the source files are those collected last time.

    Compressing and hashing every file takes seconds (about 6.5 CPU s, 9 s of waiting on a
    busy 2-core machine); a restart after a crash in the middle of a meeting should not wait
    for it. The stamp lies next to ``STATIC_ROOT`` (``<root>.stamp``). A collection that
    matches is only read. Otherwise servers that share one root (``KLEBEPUNKT_STATIC_ROOT``:
    the test suite's, several servers of one version) take turns under a lock on
    ``<root>.lock``: the first collects, the others find its stamp.
    """
    import fcntl

    from django.conf import settings
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    stamp_file = root.with_name(f"{root.name}.stamp")  # STATIC_STAMP for data/static
    stamp = _static_stamp()
    if _collected(root, stamp_file, stamp):
        return
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        lock = os.open(stamp_file.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StaticFilesNotWritable(root, error) from error
    with os.fdopen(lock) as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # released when the file is closed
        if _collected(root, stamp_file, stamp):  # another server collected them meanwhile
            return
        try:
            # no stamp while the files change: a collection cut short is collected again
            stamp_file.unlink(missing_ok=True)
            call_command("collectstatic", interactive=False, verbosity=0)
            partial = stamp_file.with_suffix(".partial")
            partial.write_text(stamp)
            partial.replace(stamp_file)
        except OSError as error:
            raise StaticFilesNotWritable(root, error) from error


def _collected(root: Path, stamp_file: Path, stamp: str) -> bool:
    """The files in ``root`` are there and were collected from the sources of ``stamp``."""
    from django.conf import settings

    manifest_needed = "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]
    collected = (root / "staticfiles.json").exists() if manifest_needed else root.is_dir()
    try:
        return collected and stamp_file.read_text() == stamp
    except OSError:
        return False


def _static_stamp() -> str:
    """A digest of every static source file's path and content, and of the storage that
    collects them. Content, not modification times: a container registry keeps file times
    only to the second, so an image collected at build time would not match after a pull
    (about 2.3 MB read, a few milliseconds)."""
    import hashlib

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    files: dict[str, str] = {}
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            files.setdefault(path, storage.path(path))  # the first finder's file is collected
    for path in sorted(files):
        content = Path(files[path]).read_bytes()
        digest.update(f"{path}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def ensure_demo(data_dir: Path) -> tuple[str, str, int]:
    """The Koblenz sample as a process and a facilitator login; kept across runs."""
    from klebepunkt.processes.models import Process, Role
    from klebepunkt.processes.selectors import user_named
    from klebepunkt.processes.services import grant_role, import_process, save_login
    from klebepunkt.samples import load_sample

    credentials = data_dir / "demo-login.txt"
    if credentials.exists():
        password = credentials.read_text(encoding="utf-8").split("\n")[1].strip()
    else:
        password = secrets.token_urlsafe(9)
        credentials.write_text(f"{DEMO_USER}\n{password}\n", encoding="utf-8")
        credentials.chmod(0o600)
    user = user_named(DEMO_USER)
    if user is None or not user.check_password(password):
        user = save_login(username=DEMO_USER, password=password)
    record = load_sample("koblenz-2017")
    process = Process.objects.filter(title=record.title, roles__user=user).first()
    if process is None:
        process = import_process(record=record, user=user)
    grant_role(process=process, user=user, role=Role.FACILITATOR, by=None)
    return DEMO_USER, password, process.pk


def gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """The production server's settings; the benchmark's floor is served with the same."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": os.environ.get("KLEBEPUNKT_ACCESS_LOG"),
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 60,
        "graceful_timeout": 10,
        "keepalive": 5,
        "backlog": 2048,
        "child_exit": _worker_exited,
    }


# a collection of the youngest generation after this many new objects (Python's default: 700)
GC_THRESHOLD = (10_000, 10, 10)


def settle_heap() -> None:
    """Before the workers fork: what start-up made is frozen, and the collector runs less often.

    A full collection walks every object Python tracks. In a worker those were mostly
    Django's, the libraries' and the app's own from start-up (about 96,000), and a full
    collection took 100–130 ms, five times in 72 requests of a big process's pages: the
    slowest request of each page was that pause (issue 16, BENCHMARKS.md). Frozen objects are
    left out of every collection, and the workers' copies of them stay shared with the
    master (the collector writes to an object it looks at). The first generation of 10,000
    new objects instead of 700 makes the collections that remain rarer; a page's request
    makes tens of thousands of objects, most of them freed by their count, not by the
    collector. The benchmark's own processes call this too: they measure the server's time.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def served_application() -> Any:
    """The WSGI application as a worker starts from it: loaded, then the heap settled."""
    from klebepunkt.web.wsgi import application

    settle_heap()
    return application


def reset_metrics() -> None:
    """Empty the workers' metric files of an earlier run (web/metrics.py)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        for leftover in Path(directory).glob("*.db"):
            leftover.unlink(missing_ok=True)


def _worker_exited(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def run_gunicorn(application: Any, options: dict[str, Any]) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()


class TaskWorker:
    """The job queue's worker (django-tasks-db's ``db_worker``) as a child process of the
    server, started again when it ends, stopped with the server.

    It takes reports off the queue in the database (``processes/report_jobs.py``) in a
    process of its own, so a long PDF never holds a web worker. Set
    ``KLEBEPUNKT_TASK_WORKER=0`` where the worker runs elsewhere (e.g. its own host:
    ``DJANGO_SETTINGS_MODULE=klebepunkt.web.settings python -m django db_worker``).
    """

    # seconds between looks at an empty queue; each look takes the write lock on SQLite for
    # a moment (BEGIN EXCLUSIVE is IMMEDIATE in WAL mode), so not more often than this
    INTERVAL = "0.5"

    def __init__(self) -> None:
        import threading

        self.process: Any = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._supervise, name="task-worker", daemon=True)

    @staticmethod
    def command() -> list[str]:
        import sys

        return [
            sys.executable,
            "-m",
            "django",
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            TaskWorker.INTERVAL,
            "--no-startup-delay",
            "--no-reload",
            "--verbosity",
            "0",
        ]

    def _spawn(self) -> Any:
        import subprocess

        env = {**os.environ}
        env.setdefault("DJANGO_SETTINGS_MODULE", "klebepunkt.web.settings")
        return subprocess.Popen(self.command(), env=env, preexec_fn=_end_with_parent)  # noqa: S603

    def _supervise(self) -> None:
        while not self._stop.is_set():
            if self.process is None or self.process.poll() is not None:
                self.process = self._spawn()
            self._stop.wait(2.0)

    def start(self) -> TaskWorker:
        self.process = self._spawn()
        self._thread.start()
        return self

    def stop(self) -> None:
        import subprocess

        self._stop.set()
        self._thread.join(timeout=5)
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # a job under way finishes first (db_worker's own rule)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _end_with_parent() -> None:
    """In the worker before it starts: end it when the server dies, even by SIGKILL."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: the server's clean exit still stops it
        pass


def task_worker_enabled() -> bool:
    return os.environ.get("KLEBEPUNKT_TASK_WORKER", "1").lower() not in {"0", "false", "no"}


def serve(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    workers: int | None = None,
    threads: int | None = None,
) -> None:
    """Serve the WSGI app with gunicorn (production-grade; static files by WhiteNoise), and
    the job queue's worker beside it."""
    from django.db import connections

    application = served_application()
    connections.close_all()  # no connection of the master may be shared by forked workers
    reset_metrics()
    worker = TaskWorker().start() if task_worker_enabled() else None
    try:
        run_gunicorn(
            application,
            gunicorn_options(
                host=host,
                port=port,
                workers=workers or int(os.environ.get("KLEBEPUNKT_WORKERS", "2")),
                threads=threads or int(os.environ.get("KLEBEPUNKT_THREADS", "4")),
            ),
        )
    finally:
        if worker is not None:
            worker.stop()
