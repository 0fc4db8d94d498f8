"""The registry list's database work at national scale, apart from rendering: for each search
word and sort order, the capped count (portal.pagination) and the first and the deepest page
the list offers, as the coordinator's list asks for them.

    .venv/bin/python bench/list_query_bench.py --database-url postgres://…/portal1m

Run it against a database made by `bench/scale_bench.py --rows 1000000`. One JSON line per
case: p50/p95 ms of count + page over --requests runs, the count and the rows of the page;
`bare` is a plain `SELECT id … LIMIT 50` of the same table in the same run (the floor)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = ("заявления", "заявление", "граждан", "экспедирования")
SORTS = {
    "default": ("authority_id", "identifier_number", "identifier"),
    "identifier": ("identifier_number", "identifier", "id"),
    "authority": ("authority__full_name", "authority__id", "identifier_number", "id"),
    "unit": ("unit__full_name", "unit__id", "identifier_number", "id"),
}


def timed(work, requests: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(requests):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return round(statistics.median(times), 1), round(p95, 1), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    from portal.pagination import CappedPaginator
    from registry.models import Process

    rows = Process.objects.filter(is_excluded=False)
    p50, p95, _ = timed(lambda: list(rows.order_by("pk").values_list("pk", flat=True)[:50]), 5)
    print(json.dumps({"case": "bare", "p50_ms": p50, "p95_ms": p95}), flush=True)
    deepest = settings.LIST_COUNT_CAP // 25

    def case(name, queryset, page=1):
        def work():
            paginator = CappedPaginator(queryset.values_list("pk", flat=True), 25)
            return paginator.count, len(paginator.page(min(page, paginator.num_pages)))

        p50, p95, (count, shown) = timed(work, args.requests)
        line = {"case": name, "p50_ms": p50, "p95_ms": p95, "count": count, "page_rows": shown}
        print(json.dumps(line, ensure_ascii=False), flush=True)

    for word in WORDS:
        case(f"search {word}", rows.search(word).order_by(*SORTS["default"]))
    for name, order in SORTS.items():
        case(f"sort {name}: first page", rows.order_by(*order))
        case(f"sort {name}: page {deepest}", rows.order_by(*order), deepest)


if __name__ == "__main__":
    main()
