"""The registry list's count at national scale: the planner's estimate first (today's way)
and the capped count alone (estimated=False: up to 10 001 rows read, the way before),
alternating in one run, for the filters a coordinator's list counts slowest.

    .venv/bin/python bench/count_bench.py --database-url postgres://…/portal1m

Run it against a database made by `bench/scale_bench.py --rows 1000000`. One JSON line per
case and way: p50/p95 ms of the paginator's count (with the EXPLAIN it may ask), what the
page would say, and the queries it took. With --pages, the coordinator's whole list pages
instead (Django's test client, as scale_bench.py), the way before being the same code
without an estimate (SQLite's way: the capped count), alternating request by request."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--pages", action="store_true", help="whole pages, not the count")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if args.pages:
        return measure_pages(args.requests)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.pagination import CappedPaginator
    from registry.models import Process, ProcessGroup, ReengineeringStatus

    rows = Process.objects.filter(is_excluded=False)
    status = ReengineeringStatus.objects.filter(edition__level="regional").order_by("order")[0]
    group = ProcessGroup.objects.filter(edition__level="regional").order_by("order")[1]
    cases = {
        "first page": rows,
        "status": rows.filter(status=status),
        "group + status": rows.filter(group=group, status=status),
        "search common word": rows.search("заявления"),
        "search граждан": rows.search("граждан"),
        "search rare word": rows.search("экспедирования"),
    }
    ways = {"capped count (before)": False, "estimate first": True}
    for name, queryset in cases.items():
        times = {way: [] for way in ways}
        said = {}
        for _ in range(args.requests):
            for way, estimated in ways.items():  # alternating: the same minutes for both
                paginator = CappedPaginator(queryset, 25, estimated=estimated)
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    paginator.count  # noqa: B018 - the count is the work measured
                    times[way].append((time.perf_counter() - started) * 1000)
                said[way] = (paginator.count_display, len(queries))
        for way, measured in times.items():
            measured.sort()
            p95 = measured[min(len(measured) - 1, math.ceil(len(measured) * 0.95) - 1)]
            line = {
                "case": name,
                "way": way,
                "p50_ms": round(statistics.median(measured), 1),
                "p95_ms": round(p95, 1),
                "says": said[way][0],
                "queries": said[way][1],
            }
            print(json.dumps(line, ensure_ascii=False), flush=True)


def measure_pages(requests: int):
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from bench.scale_bench import RARE_WORD
    from portal import pagination
    from registry.models import ProcessGroup, ReengineeringStatus, User

    settings.DEBUG, settings.ALLOWED_HOSTS = False, ["*"]
    client = Client()
    client.force_login(User.objects.get(username="bench_coordinator"))
    status = ReengineeringStatus.objects.filter(edition__level="regional").order_by("order")[0]
    group = ProcessGroup.objects.filter(edition__level="regional").order_by("order")[1]
    url = reverse("registry:process_list")
    pages = {
        "first page": "",
        "deep page": f"page={settings.LIST_COUNT_CAP // 25}",
        "status": f"status={status.pk}",
        "group + status": f"group={group.pk}&status={status.pk}",
        "search common word": "q=заявления",
        "search rare word": f"q={RARE_WORD}",
    }
    estimate = pagination.estimated_rows
    ways = {"before (counted)": lambda rows: None, "after (estimate first)": estimate}
    for name, query in pages.items():
        times, said = {way: [] for way in ways}, {}
        for n in range(requests + 1):
            for way, estimator in ways.items():
                pagination.estimated_rows = estimator
                started = time.perf_counter()
                response = client.get(f"{url}?{query}")
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.status_code
                found = re.search(r'data-testid="row-count">([^<]*)<', response.content.decode())
                said[way] = found.group(1).replace("\xa0", " ") if found else None
                if n:  # the first request warms caches and connections
                    times[way].append(elapsed)
        pagination.estimated_rows = estimate
        for way, measured in times.items():
            measured.sort()
            p95 = measured[min(len(measured) - 1, math.ceil(len(measured) * 0.95) - 1)]
            line = {
                "page": name,
                "way": way,
                "p50_ms": round(statistics.median(measured), 1),
                "p95_ms": round(p95, 1),
                "says": said[way],
            }
            print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
