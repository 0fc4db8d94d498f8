"""The portal at national scale: every page a coordinator, an officer and the public open,
over N registry rows in N/280 authorities.

    .venv/bin/python bench/scale_bench.py --rows 1000000          # own throwaway PostgreSQL
    .venv/bin/python bench/scale_bench.py --rows 50000 --requests 10
    .venv/bin/python bench/scale_bench.py --database-url postgres://…  # measure an existing DB

A contract other scripts rely on: after the set-up lines on stderr it prints to stdout one JSON
line per measured page:
    {"page": …, "role": "coordinator"|"officer"|"official"|"anonymous", "kind": "list"|"other",
     "p50_ms": …, "p95_ms": …, "queries": …, "bytes": …}
measured over --requests requests each (30 by default) through Django's test client, so the
figures are server time: view, queries and template rendering.

How the data is made: one template authority (5 units, 280 rows over every group, typical
process, status and kind of the regional catalogue, links between rows, a roadmap of 5 sections
and 25 measures, a published version, proposals, a profile, a touchpoint, an assessment) is
written through the ORM and the services, so every derived field is what the portal computes;
then INSERT … SELECT copies it to the other authorities, column by column as the tables stand
(new columns are copied too). One history state per row, a campaign over every unit.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import threading
import time
import warnings
from contextlib import contextmanager, nullcontext
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS_PER_AUTHORITY = 280
AUTHORITIES_PER_REGION = 40
UNITS = 5
RARE_WORD = "экспедирования"  # in 3 rows of the whole country
BADGE_COLD = "badge not cached"  # a page measured with the bar's count dropped from the cache

FUNCTIONS = [
    "Предоставление информации о порядке предоставления государственной услуги",
    "Рассмотрение обращений граждан и организаций",
    "Выдача разрешений на осуществление деятельности",
    "Прием заявления о предоставлении субсидии",
    "Ведение реестра получателей государственной поддержки",
    "Организация проведения конкурсного отбора проектов",
    "Согласование проектов нормативных правовых актов",
    "Предоставление сведений из информационной системы",
    "Регистрация входящей корреспонденции",
    "Подготовка ответа на запрос органа государственной власти",
    "Заключение государственного контракта на поставку товаров",
    "Учет и инвентаризация имущества",
    "Начисление заработной платы сотрудникам",
    "Прием на государственную гражданскую службу",
    "Организация обучения и повышения квалификации служащих",
    "Техническая поддержка рабочих мест",
]
CLIENTS = ["Граждане", "Юридические лица", "Индивидуальные предприниматели", "Органы власти"]
ACTS = [
    "Федеральный закон от 27.07.2010 № 210-ФЗ",
    "Федеральный закон от 02.05.2006 № 59-ФЗ",
    "Федеральный закон от 05.04.2013 № 44-ФЗ",
    "Постановление Правительства Омской области от 15.06.2022 № 301-п",
]


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


SERVER_PID: list[int] = []  # the generator's PostgreSQL backend, when it runs on this machine


def server_cpu() -> float | None:
    """CPU seconds the generator's PostgreSQL backend has used: unlike wall time, not
    lengthened by other work on a shared machine (parallel index workers not counted)."""
    try:
        with open(f"/proc/{SERVER_PID[0]}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (IndexError, OSError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def step(name: str):
    """Log how long one step of the generator took (stderr, not the JSON contract)."""
    started, cpu = time.perf_counter(), server_cpu()
    yield
    used = server_cpu()
    server = f", сервер БД {used - cpu:.1f} с ЦП" if cpu is not None and used is not None else ""
    log(f"  {name}: {time.perf_counter() - started:.1f} с{server}")


def setup_django(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    warnings.filterwarnings("ignore", "No directory at", UserWarning)


# --- data --------------------------------------------------------------------------------


def columns(cursor, table: str) -> list[str]:
    """The columns an INSERT may name: generated ones (deadline_group, last_day) are computed."""
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND table_schema = current_schema() AND is_generated = 'NEVER' "
        "ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]


def copy_rows(cursor, table: str, source: str, where: str, mapping: dict[str, str], joins=""):
    """INSERT INTO table SELECT every column (but id) of `source` rows, some of them mapped."""
    names = [c for c in columns(cursor, table) if c != "id" or "id" in mapping]
    values = [mapping.get(c, f"t.{c}") for c in names]
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(names)}) "
        f"SELECT {', '.join(values)} FROM {source} t {joins} WHERE {where}"
    )
    return cursor.rowcount


class Country:
    """The ids a run needs: the template authority, its users, one deep-page number, etc."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


def _bench_user(name, role, org=None, **fields):
    from registry.models import User

    u = User(username=name, role=role, organization=org, last_name=name, **fields)
    u.set_password("bench-password")
    u.save()
    return u


def _template_organizations():
    from registry.models import Organization, Role

    region = Organization.objects.create(kind="region", full_name="Область № 1", level="regional")
    authority = Organization.objects.create(
        kind="authority", full_name="Министерство № 1 области № 1", parent=region
    )
    units = [
        Organization.objects.create(
            kind="unit", full_name=f"Отдел {u + 1} министерства № 1", parent=authority
        )
        for u in range(UNITS)
    ]
    users = {
        "coordinator": _bench_user("bench_coordinator", Role.COORDINATOR, whole_country=True),
        "officer": _bench_user("bench_officer", Role.AUTHORIZED_OFFICER, authority),
        "official": _bench_user("bench_official", Role.OFFICIAL, units[0]),
    }
    return Country(region=region, authority=authority, units=units, **users)


def _template_rows(authority, units):
    """The template authority's registry rows, with column 14 and some column-12 links."""
    from registry.models import (
        PlacementPoint,
        Process,
        ProcessKind,
        ProcessLink,
        ReengineeringStatus,
        TypicalProcess,
    )

    typicals = list(TypicalProcess.objects.filter(group__edition__level="regional").order_by("pk"))
    statuses = list(ReengineeringStatus.objects.filter(edition__level="regional"))
    kinds = list(ProcessKind.objects.filter(edition__level="regional"))
    points = list(PlacementPoint.objects.all())
    rows = []
    for i in range(ROWS_PER_AUTHORITY):
        row = Process(
            authority=authority,
            unit=units[i % UNITS],
            identifier=str(i + 1),
            function_name=f"{FUNCTIONS[i % len(FUNCTIONS)]} ({i // len(FUNCTIONS) + 1})",
            client=CLIENTS[i % len(CLIENTS)],
            regulating_act=ACTS[i % len(ACTS)],
            typical_process=typicals[i % len(typicals)],
            responsible=f"Иванов Иван Иванович, начальник отдела {i % UNITS + 1}",
            status=statuses[i % len(statuses)],
            kind=kinds[i % len(kinds)],
            input_data="Заявление; документы, удостоверяющие личность",
            output_data="Уведомление о результате рассмотрения заявления",
        )
        row.prepare_for_save()
        rows.append(row)
    rows = Process.objects.bulk_create(rows)
    through = Process.placement_points.through
    through.objects.bulk_create(
        through(process_id=r.pk, placementpoint_id=points[i % len(points)].pk)
        for i, r in enumerate(rows)
        if i % 3 == 0
    )
    ProcessLink.objects.bulk_create(
        ProcessLink(predecessor=rows[i], successor=rows[i + 1], owner_authority=authority)
        for i in range(0, ROWS_PER_AUTHORITY - 1, 10)
    )
    return rows


def _template_workflow(authority, officer, official, rows):
    """A published version, a submitted proposal and a draft."""
    from registry.models import ProposalAction
    from registry.services import proposals, publication
    from registry.services.row_values import values_of_process

    version = publication.publish(authority, officer)
    for k in range(2):
        draft = proposals.open_draft(official)
        target = rows[k * UNITS]
        values = values_of_process(target)
        values["responsible"] = f"Петрова А. С., консультант ({k})"
        proposals.add_item(draft, official, ProposalAction.CHANGE, target, values)
        if k == 0:
            proposals.submit(draft, official)
    return version


def _template_roadmap(authority, units):
    from roadmaps.models import DeadlineKind, ItemResponsible, Roadmap, RoadmapItem

    roadmap = Roadmap.objects.create(owner=authority, title="План мероприятий министерства")
    today = date.today()
    for s in range(5):
        section = RoadmapItem.objects.create(
            roadmap=roadmap,
            number=f"{s + 1}.",
            is_section=True,
            text=f"Раздел {s + 1}",
            position=s * 10,
            deadline_kind=DeadlineKind.NONE,
        )
        for m in range(5):
            end = today + timedelta(days=(s * 5 + m) * 15 - 120)
            item = RoadmapItem.objects.create(
                roadmap=roadmap,
                parent=section,
                number=f"{s + 1}.{m + 1}.",
                position=s * 10 + m + 1,
                text=f"Мероприятие {s + 1}.{m + 1}: утвержден порядок взаимодействия",
                deadline_text=f"{end:%d.%m.%Y}",
                deadline_kind=DeadlineKind.DATE,
                deadline_date=end,
                responsible_text=units[m % UNITS].full_name,
                document_type="Распоряжение",
            )
            ItemResponsible.objects.create(item=item, organization=units[m % UNITS])
    return roadmap


def _template_segmentation(authority, rows):
    from segmentation.models import SatisfactionAssessment, SegmentProfile, Touchpoint

    today = date.today()
    group = rows[0].group
    SegmentProfile.objects.create(
        authority=authority, direction="Молодежная политика", name="Молодые люди"
    )
    Touchpoint.objects.create(
        authority=authority, group=group, channel="portal", place="Портал госуслуг"
    )
    SatisfactionAssessment.objects.create(
        authority=authority,
        group=group,
        period_start=today - timedelta(days=90),
        period_end=today,
        method="анкетирование",
        sample_size=100,
        result="Удовлетворены",
    )


def make_template():
    """One authority written through the ORM and the services."""
    from django.db import transaction

    with transaction.atomic():
        country = _template_organizations()  # the rest is added as it is written
        authority, units = country.authority, country.units
        rows = _template_rows(authority, units)
        country.version = _template_workflow(authority, country.officer, country.official, rows)
        country.roadmap = _template_roadmap(authority, units)
        _template_segmentation(authority, rows)
    return country


def _copy_organizations(cur, t, authorities: int, regions: int) -> None:
    """Regions, authorities and units, and maps from the template's units to theirs."""
    cur.execute(
        "INSERT INTO registry_organization (kind, parent_id, full_name, short_name, level) "
        "SELECT 'region', NULL, 'Область № ' || g, '', 'regional' "
        "FROM generate_series(2, %s) g",
        [regions],
    )
    cur.execute(
        "INSERT INTO registry_organization (kind, parent_id, full_name, short_name, level) "
        "SELECT 'authority', r.id, 'Министерство № ' || g || ' ' || r.full_name, '', "
        "'regional' FROM generate_series(1, %s) g "
        "JOIN registry_organization r ON r.kind = 'region' "
        "AND r.full_name = 'Область № ' || ((g - 1) / %s + 1) WHERE g > 1",
        [authorities, AUTHORITIES_PER_REGION],
    )
    cur.execute(
        "UPDATE registry_organization SET authority_id = id "
        "WHERE kind = 'authority' AND authority_id IS NULL"
    )
    cur.execute(
        "INSERT INTO registry_organization "
        "(kind, parent_id, authority_id, full_name, short_name, level) "
        "SELECT 'unit', a.id, a.id, 'Отдел ' || u || ' ' || a.full_name, '', 'regional' "
        "FROM registry_organization a CROSS JOIN generate_series(1, %s) u "
        "WHERE a.kind = 'authority' AND a.id <> %s",
        [UNITS, t.pk],
    )
    # Which unit of each authority stands for which unit of the template.
    cur.execute(
        "CREATE TEMP TABLE bench_unit_map AS "
        "SELECT tu.id AS template_unit_id, u.authority_id, u.id AS unit_id FROM "
        "(SELECT id, row_number() OVER (ORDER BY id) n FROM registry_organization "
        " WHERE parent_id = %s) tu JOIN "
        "(SELECT id, authority_id, row_number() OVER (PARTITION BY authority_id ORDER BY id) n"
        " FROM registry_organization WHERE kind = 'unit' AND authority_id <> %s) u "
        "ON u.n = tu.n",
        [t.pk, t.pk],
    )
    cur.execute("CREATE INDEX ON bench_unit_map (template_unit_id)")
    cur.execute(
        "CREATE TEMP TABLE bench_authority_map AS SELECT DISTINCT authority_id FROM bench_unit_map"
    )
    log(f"организации: {authorities} органов власти в {regions} регионах")


# The tables the copy fills with a row per registry row (or more): their secondary indexes and
# foreign keys are dropped while they are filled and made again at the end (BulkLoad).
BULK_TABLES = (
    "registry_process",
    "registry_historicalprocess",
    "registry_process_placement_points",
    "registry_processlink",
)


def _foreign_keys_and_indexes(cur, table: str):
    """The table's foreign keys and its indexes that back no constraint (primary key and unique
    constraints stay, so the copy is checked against them as it goes)."""
    cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    keys = cur.fetchall()
    cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c "
        "WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)",
        [table],
    )
    return keys, cur.fetchall()


class BulkLoad:
    """Fill BULK_TABLES without their secondary indexes and foreign keys, then build each index
    once and add each key back, validated over every row: keeping 29 indexes of the registry
    up to date row by row, and queueing a deferred key check per row until the commit, was
    most of the 131 s the registry's copy took at 1M rows (docs/benchmarks.md, "Session 9").
    Nothing is left unchecked: ADD CONSTRAINT reads the whole table and fails on a bad row.

    The registry's trigram index is the largest single build (about 40 s at 1M rows, not
    parallel in PostgreSQL 15): once the rows are committed it is built by a thread on a
    connection of its own while this one builds the other indexes and copies the rest. The
    keys touching the registry wait for it (adding a key locks both tables against CREATE
    INDEX), so they come last."""

    def __init__(self, cur, tables=BULK_TABLES):
        self.cur, self.saved, self.aside = cur, [], []
        # An ALTER TABLE refuses a table with deferred checks still queued: run them now.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            keys, indexes = _foreign_keys_and_indexes(cur, table)
            for name, _ in keys:
                cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                cur.execute(f"DROP INDEX {name}")
            self.saved.append((table, keys, indexes))

    def build_aside(self) -> _Builder:
        """Start building the registry's trigram index on another connection (the rows the
        caller copied must be committed)."""
        table, keys, indexes = self.saved[0]
        self.aside = [(n, d) for n, d in indexes if "gin_trgm_ops" in d]
        self.saved[0] = (table, keys, [i for i in indexes if i not in self.aside])
        return _Builder(self.aside)

    def build_indexes(self) -> None:
        cur = self.cur
        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for table, _, indexes in self.saved:
            with step(f"индексы {table}"):
                for name, definition in indexes:
                    started = time.perf_counter()
                    cur.execute(definition)
                    if time.perf_counter() - started > 5:
                        log(f"    {name}: {time.perf_counter() - started:.1f} с")

    def add_keys(self) -> None:
        self.cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.cur.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, keys, _ in self.saved:
            with step(f"внешние ключи {table}"):
                for name, definition in keys:
                    self.cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


class _Builder(threading.Thread):
    """CREATE INDEX statements run on this thread's own connection; join() raises their error."""

    def __init__(self, definitions):
        super().__init__(daemon=True)
        self.definitions, self.error = definitions, None
        self.start()

    def run(self) -> None:
        from django.db import connection

        started = time.perf_counter()
        try:
            with connection.cursor() as cur:
                cur.execute("SET maintenance_work_mem = '1GB'")
                for _, definition in self.definitions:
                    cur.execute(definition)
        except BaseException as error:  # raised again in the caller's thread
            self.error = error
        finally:
            connection.close()
        names = ", ".join(name for name, _ in self.definitions)
        log(f"  {names} (отдельное соединение): {time.perf_counter() - started:.1f} с")

    def join(self, timeout=None) -> None:
        super().join(timeout)
        if self.error is not None:
            raise self.error


def _copy_registry(cur, t) -> None:
    """Registry rows, column 14, column-12 links and a row map for what refers to rows."""
    # The copies carry the template's search_text, so its search_vector is what the trigger
    # (migration 0014) would compute for each of them: copied, not computed a million times.
    cur.execute("ALTER TABLE registry_process DISABLE TRIGGER USER")
    made = copy_rows(
        cur,
        "registry_process",
        "registry_process",
        f"t.authority_id = {t.pk}",
        {"authority_id": "m.authority_id", "unit_id": "m.unit_id"},
        "JOIN bench_unit_map m ON m.template_unit_id = t.unit_id",
    )
    cur.execute("ALTER TABLE registry_process ENABLE TRIGGER USER")
    log(f"строки реестра: {made + ROWS_PER_AUTHORITY}")
    # The rare word's three rows (their history says the copy's text, as before).
    cur.execute(
        "UPDATE registry_process SET function_name = function_name || ' ' || %s, "
        "search_text = search_text || ' ' || %s "
        "WHERE id IN (SELECT id FROM registry_process ORDER BY id DESC LIMIT 3)",
        [RARE_WORD, RARE_WORD],
    )
    cur.execute("ANALYZE registry_process")
    # Template row -> the same identifier in each authority.
    cur.execute(
        "CREATE TEMP TABLE bench_row_map AS SELECT t.id AS template_id, p.id AS row_id, "
        "p.authority_id FROM registry_process t JOIN registry_process p "
        "ON p.identifier = t.identifier AND p.authority_id <> t.authority_id "
        f"WHERE t.authority_id = {t.pk}"
    )
    cur.execute("CREATE INDEX ON bench_row_map (template_id, authority_id)")
    made = copy_rows(
        cur,
        "registry_process_placement_points",
        "registry_process_placement_points",
        "TRUE",
        {"process_id": "m.row_id"},
        "JOIN bench_row_map m ON m.template_id = t.process_id",
    )
    made = copy_rows(
        cur,
        "registry_processlink",
        "registry_processlink",
        f"t.owner_authority_id = {t.pk}",
        {
            "predecessor_id": "mp.row_id",
            "successor_id": "ms.row_id",
            "owner_authority_id": "mp.authority_id",
        },
        "JOIN bench_row_map mp ON mp.template_id = t.predecessor_id "
        "JOIN bench_row_map ms ON ms.template_id = t.successor_id "
        "AND ms.authority_id = mp.authority_id",
    )
    log(f"связи (графа 12): {made}")


def _copy_history(cur) -> None:
    history = "registry_historicalprocess"
    shared = set(columns(cur, "registry_process"))
    mapping = {
        "history_date": "now()",
        "history_type": "'+'",
        "history_change_reason": "'Создан (нагрузочные данные)'",
        "history_user_id": "NULL",
    }
    names = [c for c in columns(cur, history) if c in shared or c in mapping]
    cur.execute(
        f"INSERT INTO {history} ({', '.join(names)}) SELECT "
        + ", ".join(mapping.get(c, f"t.{c}") for c in names)
        + " FROM registry_process t"
    )
    log(f"состояния истории: {cur.rowcount}")


def _copy_versions_and_proposals(cur, t, official) -> None:
    # Published versions, proposals, roadmaps and segmentation records of every authority.
    copy_rows(
        cur,
        "registry_registryversion",
        "registry_registryversion",
        f"t.authority_id = {t.pk}",
        {"authority_id": "a.authority_id"},
        "CROSS JOIN bench_authority_map a",
    )
    # Each authority's proposals have an author of that authority's unit, as the template's
    # (copied with the template's author, one official would have 3,572 drafts to send).
    copy_rows(
        cur,
        "registry_user",
        "registry_user",
        f"t.id = {official.pk}",
        {"username": "'bench_official_' || m.unit_id", "organization_id": "m.unit_id"},
        "JOIN bench_unit_map m ON m.template_unit_id = t.organization_id",
    )
    cur.execute(
        "CREATE TEMP TABLE bench_author_map AS SELECT id AS user_id, organization_id AS unit_id "
        "FROM registry_user WHERE username LIKE 'bench\\_official\\_%%'"
    )
    copy_rows(
        cur,
        "registry_proposal",
        "registry_proposal",
        f"t.authority_id = {t.pk}",
        {
            "authority_id": "m.authority_id",
            "unit_id": "m.unit_id",
            "author_id": f"CASE WHEN t.author_id = {official.pk} THEN a.user_id "
            "ELSE t.author_id END",
        },
        "JOIN bench_unit_map m ON m.template_unit_id = t.unit_id "
        "LEFT JOIN bench_author_map a ON a.unit_id = m.unit_id",
    )
    cur.execute(
        "CREATE TEMP TABLE bench_proposal_map AS SELECT t.id AS template_id, p.id AS new_id, "
        "p.authority_id FROM registry_proposal t JOIN registry_proposal p "
        "ON p.created_at = t.created_at AND p.authority_id <> t.authority_id "
        f"WHERE t.authority_id = {t.pk}"
    )
    copy_rows(
        cur,
        "registry_proposalitem",
        "registry_proposalitem",
        f"t.proposal_id IN (SELECT id FROM registry_proposal WHERE authority_id = {t.pk})",
        {"proposal_id": "pm.new_id", "process_id": "rm.row_id"},
        "JOIN bench_proposal_map pm ON pm.template_id = t.proposal_id "
        "JOIN bench_row_map rm ON rm.template_id = t.process_id "
        "AND rm.authority_id = pm.authority_id",
    )


def _copy_roadmaps(cur, country) -> None:
    t = country.authority
    copy_rows(
        cur,
        "roadmaps_roadmap",
        "roadmaps_roadmap",
        f"t.owner_id = {t.pk}",
        {"owner_id": "a.authority_id"},
        "CROSS JOIN bench_authority_map a",
    )
    cur.execute(
        "CREATE TEMP TABLE bench_roadmap_map AS SELECT id AS roadmap_id, owner_id "
        f"FROM roadmaps_roadmap WHERE owner_id <> {t.pk}"
    )
    for where, parent in (
        ("t.parent_id IS NULL", "NULL"),
        ("t.parent_id IS NOT NULL", "np.id"),
    ):
        joins = "JOIN bench_roadmap_map r ON TRUE "
        if parent != "NULL":
            joins += (
                "JOIN roadmaps_roadmapitem tp ON tp.id = t.parent_id "
                "JOIN roadmaps_roadmapitem np ON np.roadmap_id = r.roadmap_id "
                "AND np.number = tp.number "
            )
        copy_rows(
            cur,
            "roadmaps_roadmapitem",
            "roadmaps_roadmapitem",
            f"t.roadmap_id = {country.roadmap.pk} AND {where}",
            {"roadmap_id": "r.roadmap_id", "parent_id": parent},
            joins,
        )
    made = copy_rows(
        cur,
        "roadmaps_itemresponsible",
        "roadmaps_itemresponsible",
        f"ti.roadmap_id = {country.roadmap.pk}",
        {"item_id": "ni.id", "organization_id": "m.unit_id"},
        "JOIN roadmaps_roadmapitem ti ON ti.id = t.item_id "
        "JOIN bench_unit_map m ON m.template_unit_id = t.organization_id "
        "JOIN bench_roadmap_map r ON r.owner_id = m.authority_id "
        "JOIN roadmaps_roadmapitem ni ON ni.roadmap_id = r.roadmap_id "
        "AND ni.number = ti.number",
    )
    log(f"мероприятия дорожных карт с ответственными: {made}")


def _copy_segmentation(cur, t) -> None:
    for table in (
        "segmentation_segmentprofile",
        "segmentation_touchpoint",
        "segmentation_satisfactionassessment",
    ):
        copy_rows(
            cur,
            table,
            table,
            f"t.authority_id = {t.pk}",
            {"authority_id": "a.authority_id"},
            "CROSS JOIN bench_authority_map a",
        )


def _copy_country(country, authorities: int, regions: int) -> None:
    from django.db import connection, transaction

    t = country.authority
    with transaction.atomic(), connection.cursor() as cur:
        with step("организации"):
            _copy_organizations(cur, t, authorities, regions)
        load = BulkLoad(cur)
        with step("строки реестра, графы 12 и 14"):
            _copy_registry(cur, t)
    # committed: another connection builds the trigram index meanwhile
    aside = load.build_aside()
    with transaction.atomic(), connection.cursor() as cur:
        load.cur = cur
        with step("история"):
            _copy_history(cur)
        load.build_indexes()
        with step("версии и предложения"):
            _copy_versions_and_proposals(cur, t, country.official)
        with step("дорожные карты"):
            _copy_roadmaps(cur, country)
        with step("сегментация"):
            _copy_segmentation(cur, t)
        with step("ожидание индекса триграмм"):
            aside.join()
        load.add_keys()
        with step("ANALYZE"):
            cur.execute("ANALYZE")


def make_country(rows: int) -> Country:
    from django.db import connection

    from registry.models import CampaignKind, Organization
    from registry.services import campaigns

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        SERVER_PID[:] = [cur.fetchone()[0]]
    with step("шаблонный орган власти"):
        country = make_template()
    authorities = max(1, math.ceil(rows / ROWS_PER_AUTHORITY))
    regions = math.ceil(authorities / AUTHORITIES_PER_REGION)
    with step("копирование"):
        _copy_country(country, authorities, regions)
    with step("кампания"):
        campaign = campaigns.open_campaign(
            country.coordinator,
            kind=CampaignKind.ONE_OFF,
            due_date=date.today() + timedelta(days=20),
            authorities=list(Organization.objects.authorities()),
        )
    country.campaign = campaign
    log(f"данные готовы за {time.perf_counter() - started:.0f} с")
    return country


def existing_country() -> Country:
    """--database-url without --rows: the bench users and objects of an earlier run."""
    from registry.models import Campaign, Organization, RegistryVersion, User
    from roadmaps.models import Roadmap

    officer = User.objects.get(username="bench_officer")
    authority = officer.organization
    return Country(
        authority=authority,
        units=list(Organization.objects.filter(parent=authority).order_by("pk")),
        coordinator=User.objects.get(username="bench_coordinator"),
        officer=officer,
        official=User.objects.get(username="bench_official"),
        version=RegistryVersion.objects.filter(authority=authority).first(),
        roadmap=Roadmap.objects.filter(owner=authority).first(),
        campaign=Campaign.objects.order_by("-pk").first(),
    )


# --- measuring ---------------------------------------------------------------------------


def sortable_columns() -> list[str]:
    """Every column of the registry list a user can sort by, as the table declares them."""
    from registry.tables import ProcessTable

    return [column.name for column in ProcessTable([]).columns if column.orderable]


def list_filters(country: Country, row) -> dict[str, str]:
    """Query string of each registry list view measured: filters, searches and every sort."""
    from django.conf import settings

    from registry.models import Process, ProcessGroup, ReengineeringStatus
    from registry.tables import DEFAULT_COLUMNS

    group = ProcessGroup.objects.filter(edition__level="regional").order_by("order")[1]
    status = ReengineeringStatus.objects.filter(edition__level="regional").order_by("order")[0]
    # The deepest page a list offers: it counts up to LIST_COUNT_CAP rows (portal.pagination).
    deep = max(1, min(Process.objects.count(), settings.LIST_COUNT_CAP) // 25)
    filters = {
        "first page": "",
        "deep page": f"page={deep}",
        "authority": f"authority={country.authority.pk}",
        "unit": f"unit={country.units[1].pk}",
        "group": f"group={group.pk}",
        "typical process": f"typical_process={row.typical_process_id}",
        "status": f"status={status.pk}",
        "kind": f"kind={row.kind_id}",
        "non-typical": "is_non_typical=true",
        "interdepartmental": "is_interdepartmental=true",
        "intradepartmental": "is_interdepartmental=false",
        "excluded only": "excluded=only",
        "with excluded": "excluded=with",
        "group + status": f"group={group.pk}&status={status.pk}",
        "search common word": "q=заявления",
        "search rare word": f"q={RARE_WORD}",
    }
    for column in sortable_columns():
        # the column shown: a list sorts only by a column it shows (tables2 ignores the rest)
        shown = urlencode({"columns": list(dict.fromkeys([*DEFAULT_COLUMNS, column]))}, True)
        filters[f"sort {column}"] = f"sort={column}&{shown}"
        filters[f"sort -{column}"] = f"sort=-{column}&{shown}"
    return filters


def pages(country: Country):
    """(page, role, kind, url) of everything measured."""
    from django.urls import reverse

    from registry.models import Process

    registry = reverse("registry:process_list")
    row = Process.objects.filter(authority=country.authority).order_by("pk").first()
    filters = list_filters(country, row)
    for role in ("coordinator", "officer"):
        for name, query in filters.items():
            if role == "officer" and name in ("authority", "deep page"):
                continue
            yield f"registry list: {name}", role, "list", f"{registry}?{query}"
    others = {
        "roadmap deadline board": reverse("roadmaps:deadlines"),
        "roadmap list": reverse("roadmaps:roadmap_list"),
        "campaign dashboard": reverse("registry:campaign_detail", args=[country.campaign.pk]),
        "catalogue coverage": reverse("registry:coverage"),
        "segmentation coverage": reverse("segmentation:coverage"),
        "proposals list": reverse("registry:proposal_list"),
        "row history": reverse("registry:process_history", args=[row.pk]),
        "row detail": reverse("registry:process_detail", args=[row.pk]),
        "roadmap page": reverse("roadmaps:roadmap_detail", args=[country.roadmap.pk]),
    }
    for role in ("coordinator", "officer"):
        for name, url in others.items():
            yield name, role, "other", url
    # Where sign-in lands, the tasks page, and the bar's badge on a light page: read from the
    # cache (most requests) and built by tasks_for() (once a minute, BADGE_COLD).
    jobs = reverse("portal:job_list")
    for role in ("coordinator", "officer", "official"):
        yield "home page", role, "other", reverse("home")
        yield "my tasks", role, "other", reverse("registry:tasks")
        yield "my jobs: badge cached", role, "other", jobs
        yield f"my jobs: {BADGE_COLD}", role, "other", jobs
    board = reverse("roadmaps:deadlines")
    board_views = {
        "state overdue": "state=overdue",
        "state later": "state=later",
        "page 20": "page=20",
        "authority": f"authority={country.authority.pk}",
    }
    for name, query in board_views.items():
        yield f"roadmap deadline board: {name}", "coordinator", "other", f"{board}?{query}"
    yield "roadmap deadline board: my measures", "officer", "other", reverse("roadmaps:mine")
    yield "public index", "anonymous", "other", reverse("public_index")
    yield (
        "public registry",
        "anonymous",
        "other",
        reverse("public_registry", args=[country.authority.pk]),
    )


def measure(country: Country, requests: int, only: str | None, role_only: str | None = None):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.tasks import _count_key

    clients = {"anonymous": Client()}
    for role in ("coordinator", "officer", "official"):
        clients[role] = Client()
        clients[role].force_login(getattr(country, role))
    for page, role, kind, url in pages(country):
        if (only and only not in page) or (role_only and role != role_only):
            continue
        client = clients[role]
        times, size, queries = [], 0, 0
        for n in range(requests + 1):
            if page.endswith(BADGE_COLD):
                cache.delete(_count_key(getattr(country, role)))  # the bar counts afresh
            context = CaptureQueriesContext(connection) if n == 1 else nullcontext()
            with context as captured:
                start = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                log(f"{page} ({role}): HTTP {response.status_code}")
                break
            if n == 0:
                continue  # the first request warms caches and connections
            if captured is not None:
                queries = len(captured.captured_queries)
            size = len(response.content)
            times.append(elapsed)
        if not times:
            continue
        times.sort()
        p95 = times[min(len(times) - 1, math.ceil(len(times) * 0.95) - 1)]
        print(
            json.dumps(
                {
                    "page": page,
                    "role": role,
                    "kind": kind,
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(p95, 1),
                    "queries": queries,
                    "bytes": size,
                },
                ensure_ascii=False,
            ),
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="registry rows to generate (N/280 authorities)")
    parser.add_argument("--database-url", help="measure this database instead of a throwaway one")
    parser.add_argument("--requests", type=int, default=30, help="requests per page (30)")
    parser.add_argument("--only", help="measure only pages whose name contains this")
    parser.add_argument("--role", help="measure only this role's pages (coordinator, officer …)")
    args = parser.parse_args()
    if args.rows is None and args.database_url is None:
        parser.error("укажите --rows N (временный PostgreSQL) или --database-url")
    from bench.pg import given_or_throwaway

    server = given_or_throwaway(args.database_url)
    with server as url:
        setup_django(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        country = make_country(args.rows) if args.rows else existing_country()
        measure(country, args.requests, args.only, args.role)


if __name__ == "__main__":
    main()
