"""A throwaway PostgreSQL server for the bench scripts, started as tests/run_all.sh starts it:
a new cluster in a temporary folder on a free loopback port, removed when the script ends."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager, nullcontext


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def given_or_throwaway(database_url: str | None, settings: dict[str, str] | None = None):
    """The database a bench measures: the one it was given (--database-url) as it is, else a
    throwaway server (a context manager yielding the DATABASE_URL either way)."""
    return nullcontext(database_url) if database_url else throwaway_postgres(settings)


@contextmanager
def throwaway_postgres(settings: dict[str, str] | None = None):
    """Yields a DATABASE_URL; the server and its folder are gone afterwards."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not bins:
        raise SystemExit("Нужен пакет Debian postgresql (apt-get install -y postgresql).")
    bin_dir = bins[-1]
    folder = tempfile.mkdtemp(prefix="portal-bench-pg.")
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    options = {
        "listen_addresses": "127.0.0.1",
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "shared_buffers": "1GB",
        "work_mem": "64MB",
        "maintenance_work_mem": "512MB",
        "max_wal_size": "4GB",
        **(settings or {}),
    }
    flags = f"-k {folder} -p {port} " + " ".join(f"-c {k}={v}" for k, v in options.items())

    def run(*args):
        subprocess.run([*as_postgres, *args], cwd=folder, check=True, stdout=subprocess.DEVNULL)

    data = f"{folder}/data"
    run(f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
    run(f"{bin_dir}/pg_ctl", "-D", data, "-l", f"{folder}/log", "-w", "-o", flags, "start")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_postgres, f"{bin_dir}/pg_ctl", "-D", data, "-w", "-m", "fast", "stop"],
            cwd=folder,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(folder, ignore_errors=True)
