"""The quarterly execution report of every plan the country's coordinator reads, built as its
job builds it (roadmaps.services.execution.execution_report), for one or more quarters.

    .venv/bin/python bench/execution_report_bench.py --rows 100000       # a throwaway server
    .venv/bin/python bench/execution_report_bench.py --database-url postgres://…/portal1m \
        --quarter 2026-4 --quarter 2026-1

`--rows N` starts a throwaway PostgreSQL (bench/pg.py) and fills it as bench/scale_bench.py
does; `--database-url` measures an existing scale_bench database (its bench_coordinator).
Each quarter runs in a fresh process, so its peak RSS is its own; one JSON line each: rows,
seconds, CPU seconds, SQL queries, peak MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.export_job_bench import _setup, counted_queries, cpu_seconds, peak_mb  # noqa: E402


def step(url: str, quarter_key: str) -> dict:
    _setup(url)
    from django.utils import timezone

    from portal.scoping import restrict
    from registry.models import User
    from roadmaps.models import Roadmap, RoadmapItem
    from roadmaps.services.execution import Quarter, execution_report

    user = User.objects.get(username="bench_coordinator")
    plans = restrict(Roadmap, user).filter(is_template=False)
    items = restrict(RoadmapItem, user).filter(roadmap__in=plans)
    quarter = Quarter.parse(quarter_key, timezone.localdate())
    with counted_queries() as queries:
        started, cpu = time.perf_counter(), cpu_seconds()
        report = execution_report(items, quarter, "Отчет об исполнении планов мероприятий")
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return {
        "quarter": quarter.key,
        "rows": sum(len(section.rows) for section in report.sections),
        "seconds": round(seconds, 1),
        "cpu_s": round(cpu, 1),
        "queries": queries[0],
        "peak_mb": round(peak_mb()),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="registry rows to generate (N/280 authorities)")
    parser.add_argument("--database-url", help="measure this database instead of a throwaway one")
    parser.add_argument("--quarter", action="append", help="ГГГГ-N (default: this quarter)")
    parser.add_argument("--step", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(*args.step), ensure_ascii=False))
        return
    if args.rows is None and args.database_url is None:
        parser.error("укажите --rows N (временный PostgreSQL) или --database-url")
    from bench.pg import given_or_throwaway

    with given_or_throwaway(args.database_url) as url:
        if args.rows:
            _setup(url)
            from django.core.management import call_command

            from bench.scale_bench import make_country

            call_command("migrate", verbosity=0)
            make_country(args.rows)
        for quarter in args.quarter or [""]:
            done = subprocess.run(
                [sys.executable, __file__, "--step", url, quarter],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                raise SystemExit(done.stdout + done.stderr)
            print(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
