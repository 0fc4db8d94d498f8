"""The REST API's reads (issue 17): a coordinator's token walking the registry's rows in cursor
pages, a search, one row, and the open-data list, for registries of different sizes, on
whatever database DATABASE_URL names (SQLite by default).

    .venv/bin/python bench/api_bench.py --rows 1000 20000 --requests 10

One JSON line per size and request: p50/p95 ms (test client, the token checked, the rows
scoped, serialized with their 14 columns), queries and the answer's size. The database is a
throwaway one made by the test runner (nothing is written elsewhere)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(work, requests: int):
    times, result = [], None
    for _ in range(requests):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return round(statistics.median(times), 1), round(p95, 1), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment()
    runner = get_runner(django.conf.settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        run(args)
    finally:
        runner.teardown_databases(old)


def fill(authority, unit, size: int) -> None:
    from registry.models import Process, ProcessKind, ReengineeringStatus, TypicalProcess

    typical = TypicalProcess.objects.select_related("group").filter(
        group__edition__level="regional"
    )
    typicals = list(typical[:20])
    status = ReengineeringStatus.objects.filter(edition__level="regional").first()
    kind = ProcessKind.objects.filter(edition__level="regional").first()
    rows = []
    for n in range(1, size + 1):
        row = Process(
            authority=authority,
            unit=unit,
            identifier=str(n),
            function_name=f"Функция номер {n}: рассмотрение обращений граждан",
            regulating_act="Федеральный закон от 02.05.2006 № 59-ФЗ",
            typical_process=typicals[n % len(typicals)],
            responsible="Иванов Иван Иванович",
            status=status,
            kind=kind,
        )
        row.prepare_for_save()
        rows.append(row)
    Process.objects.bulk_create(rows, batch_size=2000)


def run(args) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from portal.api.tokens import create_token
    from registry.models import Organization, Process, Role, User
    from registry.services import publication

    region = Organization.objects.create(kind="region", full_name="Регион", level="regional")
    coordinator = User.objects.create(username="bench", role=Role.COORDINATOR)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {create_token(coordinator)[1]}")
    for size in args.rows:
        authority = Organization.objects.create(
            kind="authority", full_name=f"Орган на {size} строк", parent=region, level="regional"
        )
        unit = Organization.objects.create(kind="unit", full_name="Отдел", parent=authority)
        fill(authority, unit, size)
        publication.publish(authority, coordinator)
        # the cursor of the row in the middle, then pages of the default 100 from there
        middle = client.get(
            "/api/processes/", {"authority": authority.pk, "page_size": size // 2}
        ).json()["next"]
        middle = middle.replace(f"page_size={size // 2}", "page_size=100")
        first = Process.objects.filter(authority=authority).order_by("pk").first()
        requests = {
            "first page of 100": ("/api/processes/", {"authority": authority.pk}),
            "a page in the middle": (middle, {}),
            "search «номер 7»": ("/api/processes/", {"authority": authority.pk, "q": "номер 7"}),
            "one row": (f"/api/processes/{first.pk}/", {}),
            "open-data registry": (f"/api/open-data/{authority.pk}/", {}),
        }
        for name, (url, query) in requests.items():
            p50, p95, response = timed(lambda u=url, q=query: client.get(u, q), args.requests)
            assert response.status_code == 200, (name, response.content[:200])
            with CaptureQueriesContext(connection) as captured:
                client.get(url, query)
            print(
                json.dumps(
                    {
                        "rows": size,
                        "request": name,
                        "ms": [p50, p95],
                        "queries": len(captured),
                        "kb": round(len(response.content) / 1024),
                    },
                    ensure_ascii=False,
                )
            )


if __name__ == "__main__":
    main()
