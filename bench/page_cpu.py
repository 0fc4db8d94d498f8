"""CPU time of the pages scale_bench.py measures, and where it goes.

    .venv/bin/python bench/page_cpu.py --database-url postgres://… --only "registry list"
    .venv/bin/python bench/page_cpu.py --database-url postgres://… --only "first page" --profile 40

Wall-clock figures on a shared machine are mostly the other processes' load; the CPU time of
the process serving a request (time.process_time: the view, the template, the driver's side of
the queries, not PostgreSQL's) is what the code costs. One JSON line per page:
    {"page": …, "role": …, "cpu_p50_ms": …, "cpu_p95_ms": …, "wall_p50_ms": …}
--profile N prints cProfile's N costliest functions (cumulative) of one page's requests.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scale_bench import existing_country, pages, setup_django  # noqa: E402


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, math.ceil(len(values) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--only", help="pages whose name contains this")
    parser.add_argument("--role", default="coordinator")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.test import Client

    country = existing_country()
    client = Client()
    client.force_login(getattr(country, args.role))
    for page, role, _kind, url in pages(country):
        if role != args.role or (args.only and args.only not in page):
            continue
        client.get(url)  # warms caches and the connection
        cpu, wall = [], []
        profiler = cProfile.Profile() if args.profile else None
        for _ in range(args.requests):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            response = client.get(url)
            if profiler:
                profiler.disable()
            cpu.append((time.process_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start_wall) * 1000)
            assert response.status_code == 200, (page, response.status_code)
        line = {
            "page": page,
            "role": role,
            "cpu_p50_ms": round(statistics.median(cpu), 1),
            "cpu_p95_ms": round(_p95(cpu), 1),
            "wall_p50_ms": round(statistics.median(wall), 1),
        }
        print(json.dumps(line, ensure_ascii=False), flush=True)
        if profiler:
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
