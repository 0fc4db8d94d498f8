"""The public registry page's search over a published version's frozen rows (issue 14,
item 5): how long `publication.matching_rows` and the whole page take for versions of
different sizes, on whatever database DATABASE_URL names (SQLite by default).

    .venv/bin/python bench/public_search_bench.py --rows 300 2000 20000 --requests 20

One JSON line per size and search: p50/p95 ms of the search alone and of the page (GET
through the test client, the version read from the database, rendered), and the rows found.
The database is a throwaway one made by the test runner (nothing is written elsewhere)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SEARCHES = ("", "обращений", "номер 123", "несуществующее слово")


def timed(work, requests: int) -> tuple[float, float, object]:
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
    parser.add_argument("--rows", type=int, nargs="+", default=[300, 2000, 20000])
    parser.add_argument("--requests", type=int, default=20)
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


def run(args) -> None:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from registry.models import Organization, RegistryVersion, User
    from registry.services import publication

    region = Organization.objects.create(kind="region", full_name="Регион", level="regional")
    officer = User.objects.create(username="bench", role="administrator")
    client = Client()
    for size in args.rows:
        authority = Organization.objects.create(
            kind="authority",
            full_name=f"Орган власти на {size} строк",
            parent=region,
            level="regional",
        )
        rows = [
            {
                "identifier": str(n),
                "values": [
                    str(n),
                    "Рождение ребенка",
                    f"Функция номер {n}",
                    "Граждане",
                    "Федеральный закон от 02.05.2006 № 59-ФЗ",
                    "Рассмотрение обращений",
                    "Прием и регистрация обращений и запросов",
                    "Иванов Иван Иванович",
                    "идет исследование",
                    "Заявление",
                    "Ответ",
                    "",
                    "цифровой",
                    "ЕПГУ",
                ],
            }
            for n in range(1, size + 1)
        ]
        version = RegistryVersion.objects.create(
            authority=authority,
            number=1,
            published_at=timezone.now(),
            published_by=officer,
            rows=rows,
            row_count=size,
            xlsx=b"",
            edition_level="regional",
            content_hash=f"{size}",
            previous_hash="",
        )
        url = reverse("public_registry", args=[authority.pk])
        for words in SEARCHES:
            s50, s95, found = timed(
                lambda v=version, w=words: publication.matching_rows(v, w), args.requests
            )
            p50, p95, response = timed(
                lambda u=url, w=words: client.get(u, {"q": w}), args.requests
            )
            assert response.status_code == 200
            print(
                json.dumps(
                    {
                        "rows": size,
                        "search": words,
                        "found": len(found),
                        "search_ms": [s50, s95],
                        "page_ms": [p50, p95],
                        "page_kb": round(len(response.content) / 1024),
                    },
                    ensure_ascii=False,
                )
            )


if __name__ == "__main__":
    main()
