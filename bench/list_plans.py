"""What PostgreSQL does for each sort of the registry list (issue 13): the page query the view
sends for `?sort=<column>` (both directions, the column shown), as EXPLAIN ANALYZE reports it.

    .venv/bin/python bench/list_plans.py --database-url postgres://…/portal1m_copy [--role officer]

Run it against a copy of a database made by `bench/scale_bench.py --rows 1000000`. One JSON
line per sort: the plan's execution and planning ms (median of --runs), its top node and
whether it walks an index or sorts."""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_bench  # noqa: E402  (sets sys.path for the project too)


def page_query(client, url: str) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return next(
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "registry_process"' in q["sql"] and "ORDER BY" in q["sql"] and "LIMIT" in q["sql"]
    )


def explain(sql: str, runs: int) -> dict:
    from django.db import connection

    executions, plannings, plan = [], [], ""
    with connection.cursor() as cursor:
        for _ in range(runs):
            cursor.execute("EXPLAIN (ANALYZE) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            executions.append(float(re.search(r"Execution Time: ([0-9.]+)", plan).group(1)))
            plannings.append(float(re.search(r"Planning Time: ([0-9.]+)", plan).group(1)))
    return {
        "execution_ms": round(statistics.median(executions), 1),
        "planning_ms": round(statistics.median(plannings), 1),
        "sorts_rows": bool(re.search(r"^\s*->\s+(Sort|Incremental Sort)", plan, re.M)),
        "seq_scan": bool(re.search(r"Seq Scan on registry_process[\s(]", plan)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--role", choices=("coordinator", "officer"), default="coordinator")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    scale_bench.setup_django(args.database_url)
    from django.test import Client
    from django.urls import reverse

    from registry.tables import DEFAULT_COLUMNS

    country = scale_bench.existing_country()
    client = Client()
    client.force_login(getattr(country, args.role))
    for column in scale_bench.sortable_columns():
        shown = urlencode({"columns": list(dict.fromkeys([*DEFAULT_COLUMNS, column]))}, True)
        for sort in (column, f"-{column}"):
            sql = page_query(client, f"{reverse('registry:process_list')}?sort={sort}&{shown}")
            line = {"sort": sort, "role": args.role, **explain(sql, args.runs)}
            print(json.dumps(line, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
