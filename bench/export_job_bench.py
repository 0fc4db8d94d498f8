"""A coordinator's full-list export as the task worker runs it, against a bare XlsxWriter loop
writing the same cells, on PostgreSQL (issue 13).

    .venv/bin/python bench/export_job_bench.py --rows 100000       # its own throwaway server
    .venv/bin/python bench/export_job_bench.py --database-url postgres://…/portal1m_export

`--rows N` starts a throwaway PostgreSQL (bench/pg.py) and fills it as bench/scale_bench.py does
(N rows across N/280 authorities); `--database-url` measures an existing scale_bench database
(its bench_coordinator). Each step runs in a fresh process, so its peak RSS is its own:

  cells  (not timed) the export job once, with RegistryWorkbook.write_row recording every data
         cell (sheet, row, text) to a file instead of writing it: the bare loop's input
  job    the job exactly as `manage.py db_worker` runs it: portal.lists.export_list (the
         registry list's ?export=xlsx of the coordinator, all rows) on a queued Job, the
         result saved through the storage API; wall, peak RSS, SQL queries, storage save
  bare   XlsxWriter constant_memory writing the same strings into the same sheets and rows
         with write_string(), nothing else
  read   where the job's time goes: the same rows read by registry_rows() and dropped (no
         XLSX), with the main cursor's and the per-chunk queries' (columns 12, 14) wall time

and prints one line per step and the ratio job / bare.
"""

from __future__ import annotations

import argparse
import json
import marshal
import os
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VIEW = "registry.views.processes.ProcessListView"
BATCH = 5000  # cells recorded per marshal record


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """This process's CPU time: on a shared machine wall time also counts waiting for a core."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def counted_queries():
    """Yields a one-item list: the SQL statements run on the default connection meanwhile.
    Counted, not kept: CaptureQueriesContext keeps each SQL text, a stored part's 2 MB of hex
    included (230 MB for a 110 MB file), which the worker never holds."""
    from django.db import connection

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield queries


def _setup(url: str):
    from bench.scale_bench import setup_django

    setup_django(url)


def _queued_job():
    from django.urls import reverse

    from portal.models import Job
    from registry.models import User

    params = {"view": VIEW, "path": reverse("registry:process_list"), "query": "export=xlsx"}
    user = User.objects.get(username="bench_coordinator")
    job = Job.objects.create(user=user, kind="list_export", title="Замер выгрузки", params=params)
    return job, params


def _finished(job, out: str | None) -> dict:
    """Checks the job ended well, copies its file out (for its size), drops the stored bytes."""
    from portal.models import JobState

    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    size = job.result.size
    if out:
        with job.result.open("rb") as source, open(out, "wb") as target:
            while chunk := source.read(1 << 20):
                target.write(chunk)
    job.result.delete(save=False)
    return {"rows": job.done, "mb_file": size / 1e6}


def step_job(url: str, out: str) -> dict:
    _setup(url)

    from portal.jobs import JobRun
    from portal.lists import export_list

    job, params = _queued_job()
    saving = {"seconds": 0.0}
    save_file = JobRun.save_file

    def timed_save(self, *args, **kwargs):  # measures the storage API's part, changes nothing
        started = time.perf_counter()
        save_file(self, *args, **kwargs)
        saving["seconds"] += time.perf_counter() - started

    JobRun.save_file = timed_save
    with counted_queries() as queries:
        started, cpu = time.perf_counter(), cpu_seconds()
        export_list.call(job.pk, **params)  # what db_worker calls
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "peak_mb": peak_mb(),
        "queries": queries[0],
        "storage_s": saving["seconds"],
        **_finished(job, out),
    }


def step_cells(url: str, cells: str) -> dict:
    _setup(url)
    from portal.lists import export_list
    from registry.services.xlsx_export import RegistryWorkbook

    batch: list = []
    with open(cells, "wb") as stream:

        def record(self, sheet, row_index, values):
            batch.append((sheet.name, row_index, list(values)))
            if len(batch) >= BATCH:
                marshal.dump(batch, stream)
                batch.clear()

        RegistryWorkbook.write_row = record
        job, params = _queued_job()
        export_list.call(job.pk, **params)
        if batch:
            marshal.dump(batch, stream)
    return _finished(job, None)


def step_read(url: str) -> dict:
    """The job's reading alone: the rows of the same export read and dropped."""
    _setup(url)
    from portal.lists import export_list
    from registry.services import registry_rows as module

    spent = {"chunk_queries_s": 0.0}

    def timed(function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent["chunk_queries_s"] += time.perf_counter() - started

        return wrapper

    module._links_by_process = timed(module._links_by_process)
    module._placement_by_process = timed(module._placement_by_process)
    read = {}

    def drop(rows, target, progress=None):  # in place of the writer: every row read, none written
        started, cpu, n = time.perf_counter(), cpu_seconds(), 0
        for _ in module.registry_rows(rows):
            n += 1
        read.update(rows=n, seconds=time.perf_counter() - started, cpu_s=cpu_seconds() - cpu)
        open(target, "wb").close()

    from registry.views.processes import ProcessListView

    ProcessListView.exporter = staticmethod(drop)
    job, params = _queued_job()
    export_list.call(job.pk, **params)
    _finished(job, None)
    # the rest: the main cursor and building the rows from its tuples
    read["rest_s"] = read["seconds"] - spent["chunk_queries_s"]
    return {**read, **spent}


def step_bare(cells: str, out: str) -> dict:
    import xlsxwriter

    started, cpu = time.perf_counter(), cpu_seconds()
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    cell = book.add_format({"text_wrap": True, "border": 1, "valign": "top"})
    sheets: dict = {}
    rows = 0
    with open(cells, "rb") as stream:
        while True:
            try:
                batch = marshal.load(stream)
            except EOFError:
                break
            for name, row_index, values in batch:
                sheet = sheets.get(name)
                if sheet is None:
                    sheet = sheets[name] = book.add_worksheet(name)
                for col, value in enumerate(values):
                    sheet.write_string(row_index, col, value, cell)
            rows += len(batch)
    book.close()
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return {"seconds": seconds, "cpu_s": cpu, "peak_mb": peak_mb(), "rows": rows}


def run_step(*args: str) -> dict:
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "bench-" + "x" * 50}
    env["DJANGO_DB_CONN_MAX_AGE"] = "0"
    proc = subprocess.run(
        [sys.executable, __file__, "--step", *args],
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"step {args[0]} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fill(url: str, rows: int) -> None:
    _setup(url)
    from django.core.management import call_command

    from bench.scale_bench import make_country

    call_command("migrate", verbosity=0)
    make_country(rows)


def measure(url: str, folder: str) -> None:
    cells, job_out, bare_out = (os.path.join(folder, n) for n in ("cells", "job.xlsx", "b.xlsx"))
    t = time.perf_counter()
    recorded = run_step("cells", url, cells)
    print(f"cells recorded: {recorded['rows']:,} rows in {time.perf_counter() - t:.0f} s")
    job = run_step("job", url, job_out)
    read = run_step("read", url)
    bare = run_step("bare", cells, bare_out)
    bare["mb_file"] = os.path.getsize(bare_out) / 1e6
    assert job["rows"] == bare["rows"] == recorded["rows"], (job, bare, recorded)
    n = job["rows"]
    for name, r in (("job", job), ("bare", bare)):
        extra = (
            f"  {r['queries']} SQL queries, storage save {r['storage_s']:.1f} s"
            if name == "job"
            else ""
        )
        print(
            f"  {name:<5} {r['seconds']:8.1f} s (CPU {r['cpu_s']:6.1f} s)  "
            f"{n / r['seconds']:8,.0f} rows/s  "
            f"peak RSS {r['peak_mb']:6.1f} MB  file {r['mb_file']:6.1f} MB{extra}"
        )
    print(
        f"  read  {read['seconds']:8.1f} s (CPU {read['cpu_s']:6.1f} s)  the rows alone, no XLSX: "
        f"per-chunk queries (columns 12, 14) {read['chunk_queries_s']:.1f} s, main cursor and "
        f"rows' building {read['rest_s']:.1f} s"
    )
    print(
        f"  job / bare XlsxWriter: {job['seconds'] / bare['seconds']:.2f}× wall, "
        f"{job['cpu_s'] / bare['cpu_s']:.2f}× CPU of the process"
    )
    print(json.dumps({"rows": n, "job": job, "read": read, "bare": bare}, ensure_ascii=False))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="rows to generate in a throwaway PostgreSQL")
    parser.add_argument("--database-url", help="an existing bench/scale_bench.py database")
    args = parser.parse_args()
    if args.rows is None and args.database_url is None:
        parser.error("укажите --rows N (временный PostgreSQL) или --database-url")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU")
    from bench.pg import given_or_throwaway

    server = given_or_throwaway(args.database_url)
    with server as url, tempfile.TemporaryDirectory(prefix="bench-export-job-") as folder:
        if args.rows:
            t = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--fill", url, str(args.rows)], check=True)
            print(f"database filled in {time.perf_counter() - t:.0f} s")
        else:
            subprocess.run([sys.executable, __file__, "--migrate", url], check=True)
        measure(url, folder)


if __name__ == "__main__":
    argv = sys.argv[1:]
    if argv[:1] == ["--step"]:
        steps = {"job": step_job, "cells": step_cells, "bare": step_bare, "read": step_read}
        print(json.dumps(steps[argv[1]](*argv[2:])))
    elif argv[:1] == ["--fill"]:
        fill(argv[1], int(argv[2]))
    elif argv[:1] == ["--migrate"]:
        _setup(argv[1])
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        main()
