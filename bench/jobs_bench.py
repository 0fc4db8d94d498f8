"""Publication and an upload's apply of one large authority, in the web request and as a job.

    .venv/bin/python bench/jobs_bench.py                       # N = 20 000, throwaway SQLite
    .venv/bin/python bench/jobs_bench.py --rows 2000
    .venv/bin/python bench/jobs_bench.py --database-url postgres://…/portal1m_jobs

It adds a region with two authorities (each with a unit and an authorised officer) to the
database (a throwaway SQLite file unless --database-url: never a database people use; on a
copy of the national data set it measures among 1,000,000 rows), uploads a file of N new
rows for each (read and preview, as the upload page does) and then, through the Django test
client as the officer:
  apply    inline   POST confirm with IMPORT_INLINE_ROWS above N: the request does the work
  apply    job      POST confirm with IMPORT_INLINE_ROWS = 0: the request queues a job, a
                    `manage.py db_worker` already running (started here) does the work
  publish  inline / job   the same for POST publish (PUBLISH_INLINE_ROWS)
For a job it prints the request's time, the time until the job is done (queue wait
included) and the percentages its status endpoint showed, polled every 0.25 s as the page
does. One JSON line per measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

POLL_SECONDS = 0.25


def setup_django(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 50)
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]


def start_worker(database_url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_LOG_LEVEL": "ERROR"}
    command = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
    # SQLite takes the queue with BEGIN EXCLUSIVE: polled often, it starves the web request.
    interval = "0.1" if database_url.startswith("postgres") else "1"
    return subprocess.Popen(
        [*command, "--interval", interval],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def make_authority(region, label: str):
    from registry.models import Organization, Role, User

    authority = Organization.objects.create(
        kind="authority", full_name=f"Министерство для замера {label}", parent=region
    )
    unit = Organization.objects.create(kind="unit", full_name=f"Отдел {label}", parent=authority)
    officer = User.objects.create(
        username=f"bench-officer-{label}",
        role=Role.AUTHORIZED_OFFICER,
        organization=authority,
        last_name="Замеров",
    )
    return authority, unit, officer


def uploaded(data: bytes, authority, unit, officer):
    """The batch the upload page keeps: the rows as read and the preview's report."""
    import hashlib

    from registry.models import ImportBatch
    from registry.services.xlsx_import import RegistryImport

    sheet, report = RegistryImport(authority, officer, unit).read(data, "замер.xlsx")
    assert not report.has_errors, report.text()[:2000]
    return ImportBatch.objects.create(
        sheet=sheet.to_json(),
        authority=authority,
        default_unit=unit,
        uploaded_by=officer,
        file_name="замер.xlsx",
        file_size=len(data),
        file_sha256=hashlib.sha256(data).hexdigest(),
        report=report.to_json(),
        fingerprint=report.fingerprint(),
    )


def timed_post(client, url: str, data=None):
    start = time.perf_counter()
    response = client.post(url, data or {})
    return response, (time.perf_counter() - start) * 1000


def followed(client, job_id: int, started: float, timeout: float) -> dict:
    """Polls the job's status endpoint until it has finished."""
    from django.urls import reverse

    seen = []
    while True:
        status = client.get(reverse("portal:job_status", args=[job_id])).json()
        if not seen or seen[-1] != status["percent"]:
            seen.append(status["percent"])
        if status["finished"]:
            break
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"job {job_id} not finished in {timeout:.0f} s: {status}")
        time.sleep(POLL_SECONDS)
    return {
        "state": status["state"],
        "total_s": round(time.perf_counter() - started, 2),
        "progress_seen": seen,
        "summary": status["summary"] or status["message"],
    }


def measure(client, work: str, mode: str, url: str, data, rows: int, timeout: float) -> dict:
    from django.conf import settings

    limit = 10**9 if mode == "inline" else 0
    settings.IMPORT_INLINE_ROWS = settings.PUBLISH_INLINE_ROWS = limit
    started = time.perf_counter()
    response, request_ms = timed_post(client, url, data)
    result = {"work": work, "mode": mode, "rows": rows, "request_ms": round(request_ms)}
    if mode == "job":
        job_id = int(response.url.rstrip("/").split("/")[-1])
        result.update(followed(client, job_id, started, timeout))
    else:
        result["total_s"] = round(request_ms / 1000, 2)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        setup_django(database_url)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.urls import reverse
        from import_bench import build_file

        from registry.models import Organization

        call_command("migrate", verbosity=0)
        label = time.strftime("%H%M%S")
        region = Organization.objects.create(
            kind="region", full_name=f"Область для замера {label}", level="regional"
        )
        data = build_file(args.rows)
        print(
            f"# python {sys.version.split()[0]}, {os.cpu_count()} CPU, {connection.vendor}, "
            f"N = {args.rows:,}, file {len(data) / 1e6:.1f} MB",
            file=sys.stderr,
        )
        worker = start_worker(database_url)
        try:
            for mode in ("inline", "job"):
                authority, unit, officer = make_authority(region, f"{label}-{mode}")
                client = Client()
                client.force_login(officer)
                batch = uploaded(data, authority, unit, officer)
                url = reverse("registry:import_confirm", args=[batch.pk])
                line = measure(client, "apply", mode, url, None, args.rows, args.timeout)
                print(json.dumps(line, ensure_ascii=False), flush=True)
                url, form = reverse("registry:publish"), {"authority": authority.pk}
                line = measure(client, "publish", mode, url, form, args.rows, args.timeout)
                print(json.dumps(line, ensure_ascii=False), flush=True)
        finally:
            worker.terminate()
            worker.wait(timeout=60)


if __name__ == "__main__":
    main()
