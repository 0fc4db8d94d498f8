"""A real task worker against the test database, for tests of jobs (portal.jobs).

On PostgreSQL the worker is `manage.py db_worker` in its own process, as in production; on
SQLite (an in-memory test database no other process can open) the same command runs in the
test's process, or its worker loop in a thread for a browser test."""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WORKER_OPTIONS = ["--batch", "--no-startup-delay", "--no-reload", "--interval", "0"]


def database_url() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{quote(s['USER'] or '')}:{quote(s['PASSWORD'] or '')}@"
        f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


def _worker_command() -> tuple[list[str], dict]:
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DB_CONN_MAX_AGE": "0"}
    return [sys.executable, "manage.py", "db_worker", *WORKER_OPTIONS], env


def run_worker() -> str:
    """Runs every queued task, then returns the worker's log (tracebacks included)."""
    if connection.vendor == "postgresql":
        command, env = _worker_command()
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr
    with _captured_log() as log, _signals_kept():
        call_command("db_worker", *WORKER_OPTIONS, verbosity=0)
    return log.getvalue()


@contextmanager
def worker_in_background():
    """A worker that runs what is queued while the test goes on (a browser polling the page);
    on leaving, it is waited for (a batch worker stops when the queue is empty)."""
    if connection.vendor == "postgresql":
        command, env = _worker_command()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            yield
            process.wait(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        return
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-thread",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    yield
    thread.join(timeout=120)


@contextmanager
def _captured_log():
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logger = logging.getLogger("portal")
    logger.addHandler(handler)
    try:
        yield log
    finally:
        logger.removeHandler(handler)


@contextmanager
def _signals_kept():
    """db_worker installs its own SIGINT/SIGTERM handlers; pytest's are put back."""
    kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        yield
    finally:
        for number, handler in kept.items():
            signal.signal(number, handler)
