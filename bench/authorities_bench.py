"""Pages over many authorities: the campaign dashboard, the catalogue coverage and the
segmentation coverage (page and XLSX), as a coordinator sees them, for all authorities.

    .venv/bin/python bench/authorities_bench.py              # 5, 50 and 200 authorities
    .venv/bin/python bench/authorities_bench.py 10 100

In a throwaway database (SQLite in a temporary folder, or BENCH_DATABASE_URL) it adds
authorities of one region, each with 3 units, ROWS registry rows of different groups and
statuses, a segment profile, a touchpoint and an assessment, opens a campaign over all of them
with a third of the units answered, and requests each page through Django's test client
(rendering included). It prints the SQL queries of one request and its median time of
REPEAT; the query count should not depend on the number of authorities.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS = 30
REPEAT = 5
CODES = ["1.1", "2.1", "4.1", "4.2", "4.5", "6.4"]


def setup_django(db_dir: str):
    # A throwaway database, never the one in DATABASE_URL: the bench fills it with rows.
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{db_dir}/bench.sqlite3"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log or debug pages beyond what is measured
    # WhiteNoise looks for collected static files, which the pages measured here do not need.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)


def add_authorities(region, start: int, count: int):
    from django.db import transaction

    from registry.models import Organization, Process, ReengineeringStatus, TypicalProcess
    from segmentation.models import SatisfactionAssessment, SegmentProfile, Touchpoint

    typicals = [
        TypicalProcess.objects.get(group__edition__level="regional", code=code) for code in CODES
    ]
    statuses = list(ReengineeringStatus.objects.filter(edition__level="regional"))
    with transaction.atomic():
        for k in range(start, start + count):
            authority = Organization.objects.create(
                kind="authority", full_name=f"Министерство № {k + 1}", parent=region
            )
            units = [
                Organization.objects.create(
                    kind="unit", full_name=f"Отдел {u + 1} министерства № {k + 1}", parent=authority
                )
                for u in range(3)
            ]
            rows = []
            for i in range(ROWS):
                row = Process(
                    authority=authority,
                    unit=units[i % 3],
                    identifier=str(i + 1),
                    function_name=f"Функция {i + 1} министерства № {k + 1}",
                    regulating_act="Федеральный закон от 27.07.2010 № 210-ФЗ",
                    typical_process=typicals[(k + i) % len(typicals)],
                    responsible="Иванов Иван Иванович, начальник отдела",
                    status=statuses[(k + i) % len(statuses)],
                )
                row.prepare_for_save()
                rows.append(row)
            rows = Process.objects.bulk_create(rows)
            profile = SegmentProfile.objects.create(
                authority=authority,
                direction="Реализация молодежной политики",
                name="Молодые люди — инициаторы проектов",
                client_kind="external",
                path_features="Подают заявку в электронном виде",
                channels="Сайт органа власти",
            )
            profile.groups.set([rows[0].group_id])
            profile.processes.set([rows[1]])
            Touchpoint.objects.create(
                authority=authority, group_id=rows[2].group_id, channel="website", place="Сайт"
            )
            SatisfactionAssessment.objects.create(
                authority=authority,
                process=rows[3],
                period_start=date(2025, 1, 1),
                period_end=date(2025, 6, 30),
                method="анкетирование",
                sample_size=30,
                result="Удовлетворены 80 %",
            )


def open_campaign(coordinator):
    from django.utils import timezone

    from registry.models import AnswerState, CampaignKind, Organization
    from registry.services.campaigns import open_campaign

    campaign = open_campaign(
        coordinator,
        kind=CampaignKind.ONE_OFF,
        due_date=timezone.localdate() + timedelta(days=30),
        authorities=list(Organization.objects.authorities()),
    )
    answered = list(campaign.participants.order_by("pk").values_list("pk", flat=True))[::3]
    campaign.participants.filter(pk__in=answered).update(
        answer=AnswerState.NO_CHANGES, answered_at=timezone.now(), answered_by=coordinator
    )
    return campaign


def measure(client, url) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)

    get()  # warm-up: templates, the session, the user
    with CaptureQueriesContext(connection) as ctx:
        get()
    queries = len(ctx.captured_queries)  # the next request clears the log
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        get()
        times.append(time.perf_counter() - start)
    return queries, statistics.median(times) * 1000


def main(sizes):
    with tempfile.TemporaryDirectory(prefix="bench-authorities-") as db_dir:
        setup_django(db_dir)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from registry.models import Organization, Role, User

        call_command("migrate", verbosity=0)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU, {connection.vendor}")
        print(f"{ROWS} rows, 3 units, a profile, a touchpoint, an assessment per authority")
        region = Organization.objects.create(
            kind="region", full_name="Омская область", level="regional"
        )
        coordinator = User.objects.create(
            username="coordinator", role=Role.COORDINATOR, whole_country=True
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(coordinator)
        have = 0
        for n in sorted(sizes):
            add_authorities(region, have, n - have)
            have = n
            campaign = open_campaign(coordinator)
            pages = [
                ("campaign dashboard", reverse("registry:campaign_detail", args=[campaign.pk])),
                ("catalogue coverage", reverse("registry:coverage")),
                ("segmentation coverage", reverse("segmentation:coverage")),
                ("segmentation XLSX", reverse("segmentation:coverage") + "?export=xlsx"),
            ]
            print(f"\n{n} authorities ({n * ROWS:,} rows, {n * 3} campaign participants)")
            for title, url in pages:
                queries, ms = measure(client, url)
                print(f"  {title:<22} {queries:4d} SQL queries  {ms:8.1f} ms")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [5, 50, 200])
