"""The deadlines board's XLSX for a coordinator of the whole country, as the task worker writes
it, against a bare XlsxWriter loop writing the same cells (roadmaps.services.board_export).

    .venv/bin/python bench/board_export_bench.py --rows 100000     # its own throwaway server
    .venv/bin/python bench/board_export_bench.py --database-url postgres://…/portal1m

`--rows N` starts a throwaway PostgreSQL (bench/pg.py) and fills it as bench/scale_bench.py does
(N/280 authorities, 25 measures in each one's plan); `--database-url` measures an existing
scale_bench database (its bench_coordinator). Each step runs in a fresh process, so its peak
RSS is its own:

  job    portal.lists.export_list of the board's ?export=xlsx (every measure the coordinator
         sees) on a queued Job, as `manage.py db_worker` calls it, the file saved through the
         storage API: wall, CPU, peak RSS, SQL queries, rows
  cells  (not timed) the job's file read back: the bare loop's input
  bare   XlsxWriter constant_memory writing the same cells (numbers as numbers), nothing else

and prints one JSON line per step and the ratio job / bare.
"""

from __future__ import annotations

import argparse
import json
import marshal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.export_job_bench import (  # noqa: E402
    _finished,
    _setup,
    counted_queries,
    cpu_seconds,
    peak_mb,
)

VIEW = "roadmaps.views.boards.DeadlineBoardView"


def step_job(url: str, out: str) -> dict:
    _setup(url)
    from django.urls import reverse

    from portal.lists import export_list
    from portal.models import Job
    from registry.models import User

    params = {"view": VIEW, "path": reverse("roadmaps:deadlines"), "query": "export=xlsx"}
    user = User.objects.get(username="bench_coordinator")
    job = Job.objects.create(user=user, kind="list_export", title="Замер выгрузки", params=params)
    with counted_queries() as queries:
        started, cpu = time.perf_counter(), cpu_seconds()
        export_list.call(job.pk, **params)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return {"seconds": seconds, "cpu_s": cpu, "peak_mb": peak_mb(), "queries": queries[0]} | (
        _finished(job, out)
    )


def step_cells(xlsx: str, cells: str) -> dict:
    import openpyxl

    book = openpyxl.load_workbook(xlsx, read_only=True)
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    with open(cells, "wb") as stream:
        marshal.dump(rows, stream)
    return {"rows": len(rows) - 1}


def step_bare(cells: str, out: str) -> dict:
    import xlsxwriter

    with open(cells, "rb") as stream:
        rows = marshal.load(stream)
    started, cpu = time.perf_counter(), cpu_seconds()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Мероприятия")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value or "")
    book.close()
    return {
        "seconds": time.perf_counter() - started,
        "cpu_s": cpu_seconds() - cpu,
        "peak_mb": peak_mb(),
        "rows": len(rows) - 1,
    }


def run_step(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--step", *args], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="registry rows to generate (N/280 authorities)")
    parser.add_argument("--database-url", help="measure this database instead of a throwaway one")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, *rest = args.step
        print(json.dumps({"job": step_job, "cells": step_cells, "bare": step_bare}[name](*rest)))
        return
    if args.rows is None and args.database_url is None:
        parser.error("укажите --rows N (временный PostgreSQL) или --database-url")
    from bench.pg import given_or_throwaway

    server = given_or_throwaway(args.database_url)
    with server as url, tempfile.TemporaryDirectory() as folder:
        if args.rows:
            _setup(url)
            from django.core.management import call_command

            from bench.scale_bench import make_country

            call_command("migrate", verbosity=0)
            make_country(args.rows)
        job_file, cells, bare_file = (f"{folder}/{n}" for n in ("job.xlsx", "cells", "bare.xlsx"))
        job = run_step("job", url, job_file)
        print(json.dumps({"step": "job", **job}, ensure_ascii=False))
        run_step("cells", job_file, cells)
        bare = run_step("bare", cells, bare_file)
        print(json.dumps({"step": "bare", **bare}, ensure_ascii=False))
        print(json.dumps({"ratio": round(job["seconds"] / bare["seconds"], 2)}))


if __name__ == "__main__":
    main()
