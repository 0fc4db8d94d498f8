"""The export's per-chunk queries (columns 12 and 14 of 2,000 rows) with the ids as one array
parameter (`= ANY(%s)`, portal.lookups.AnyOf) and as 2,000 literals (`IN (…)`, before),
alternating chunk by chunk over the same chunks of the export's order. Since session 9's
export work PostgreSQL builds both columns in the rows' own query and these chunk queries are
the fallback's (SQLite); measured here on PostgreSQL as they were.

    .venv/bin/python bench/chunk_bench.py --database-url postgres://…/portal1m --chunks 30

Run it against a database made by `bench/scale_bench.py --rows 1000000`. One JSON line per
way: p50/p95 ms of one chunk's three queries (both link sides, the placement points)."""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--chunks", type=int, default=30)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db.models import lookups

    from portal import lookups as portal_lookups
    from registry.models import Process
    from registry.services import registry_rows as module

    ids = list(
        Process.objects.filter(is_excluded=False)
        .order_by("authority__full_name", "authority_id", "identifier_number", "identifier")
        .values_list("pk", flat=True)[: args.chunks * module.CHUNK_SIZE]
    )
    chunks = [ids[k : k + module.CHUNK_SIZE] for k in range(0, len(ids), module.CHUNK_SIZE)]

    class InList(lookups.In):  # the way before: Django's IN (…) of literals
        def __init__(self, lhs, rhs):
            super().__init__(lhs, rhs)

    ways = {"= ANY(array)": portal_lookups.AnyOf, "IN (2,000 literals)": InList}
    times = {way: [] for way in ways}
    from django.db import connection, transaction

    with transaction.atomic():  # serial, as the export's chunk queries were planned
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        for chunk in chunks:
            for way, lookup in ways.items():
                module.AnyOf = lookup
                started = time.perf_counter()
                module._links_by_process(chunk, {})
                module._placement_by_process(chunk)
                times[way].append((time.perf_counter() - started) * 1000)
    module.AnyOf = portal_lookups.AnyOf
    for way, measured in times.items():
        measured.sort()
        p95 = measured[min(len(measured) - 1, math.ceil(len(measured) * 0.95) - 1)]
        line = {
            "way": way,
            "chunks": len(measured),
            "p50_ms": round(statistics.median(measured), 1),
            "p95_ms": round(p95, 1),
        }
        print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
