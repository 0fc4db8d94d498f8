"""Shared fixtures: the organization tree of two authorities (regional and municipal) and a
user of every role, built on the catalogue that the data migration loads."""

from __future__ import annotations

import os

import pytest

from registry.models import (
    Organization,
    Process,
    ProcessKind,
    ProcessLink,
    ReengineeringStatus,
    Role,
    TypicalProcess,
    User,
)

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "test-password-2026"


def load_reference_data() -> None:
    """What the data migrations loaded: the catalogue, the measures' rules, the surveys'
    templates and tags."""
    from django.apps import apps

    from registry.services.catalogue import load_catalogue
    from roadmaps.services.measure_rules import load_rules
    from segmentation.services.survey_reference import load_survey_reference

    load_catalogue(lambda name: apps.get_model("registry", name))
    load_rules(lambda name: apps.get_model("roadmaps", name))
    load_survey_reference(lambda name: apps.get_model("segmentation", name))


@pytest.fixture(autouse=True)
def catalogue_after_flush(request):
    """A transactional test's flush also empties what the data migrations loaded: load it
    again, so every test meets the reference data whatever ran before it — a transactional
    test before it, and a plain one that pytest runs after the transactional ones (the
    flush at their end leaves the tables empty)."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    ):
        request.getfixturevalue("transactional_db")
        load_reference_data()
    elif marker is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
        from registry.models import CatalogueEdition

        if not CatalogueEdition.objects.exists():
            load_reference_data()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the bar's count of «Мои задачи» is kept there)."""
    from django.core.cache import cache

    cache.clear()


def count_tasks_first(user) -> None:
    """A page's query count measured below is the page's own: the bar's count of «Мои задачи»
    is kept in the cache first (its own cost: tests/registry/test_task_badge.py)."""
    from portal.tasks import count_for

    count_for(user)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # PBKDF2 is slow by design; the hashing itself is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium instead of a browser Playwright would download."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def make_org(kind, full_name, parent=None, short_name="", level=None, **extra):
    return Organization.objects.create(
        kind=kind,
        full_name=full_name,
        short_name=short_name,
        parent=parent,
        level=level or (parent.level if parent else "regional"),
        **extra,
    )


def make_user(username, role, organization=None, **fields):
    user = User(
        username=username, role=role, organization=organization, last_name=username, **fields
    )
    user.set_password(PASSWORD)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def make_process(
    authority, unit, identifier=None, typical_code="4.1", status_code="research_queued", **extra
):
    edition = authority.edition
    typical = TypicalProcess.objects.get(group__edition=edition, code=typical_code)
    values = {
        "authority": authority,
        "unit": unit,
        "identifier": identifier or str(Process.objects.filter(authority=authority).count() + 1),
        "function_name": "Рассмотрение обращений граждан",
        "regulating_act": "Федеральный закон от 02.05.2006 № 59-ФЗ",
        "typical_process": typical,
        "responsible": "Иванов Иван Иванович, начальник отдела",
        "status": ReengineeringStatus.objects.get(edition=edition, code=status_code),
        "kind": ProcessKind.objects.get(edition=edition, code="digital"),
    }
    values.update(extra)
    return Process.objects.create(**values)


def make_link(predecessor, successor, owner=None):
    """A link as entered through the predecessor's row (or the owner authority's)."""
    return ProcessLink.objects.create(
        predecessor=predecessor,
        successor=successor,
        owner_authority=owner or predecessor.authority,
    )


def make_authorities(region, n, rows=2):
    """n more authorities of the region, each with a unit and rows of different groups and
    statuses: for showing that a page's queries do not grow with the number of authorities."""
    codes = [("4.1", "research_queued"), ("6.4", "reengineered"), ("1.1", "research_queued")]
    made = []
    for k in range(n):
        authority = make_org("authority", f"Министерство № {k + 1}", region)
        unit = make_org("unit", f"Отдел министерства № {k + 1}", authority)
        for i in range(rows):
            typical_code, status_code = codes[i % len(codes)]
            make_process(authority, unit, str(i + 1), typical_code, status_code)
        made.append(authority)
    return made


class World:
    """Two authorities with units, and a user of every role."""

    def __init__(self):
        self.region = make_org("region", "Омская область", level="regional")
        self.authority = make_org(
            "authority",
            "Главное управление молодежной политики Омской области",
            self.region,
            short_name="Главное управление",
        )
        self.unit = make_org(
            "unit",
            "Отдел организационно-правового и финансового обеспечения Главного управления",
            self.authority,
            short_name="ОПФО Главного управления",
        )
        self.other_unit = make_org(
            "unit",
            "Отдел поддержки общественных инициатив Главного управления",
            self.authority,
            short_name="ОПОИ Главного управления",
        )
        self.city = make_org("municipality", "Город Омск", level="municipal")
        self.city_authority = make_org(
            "authority", "Администрация города Омска", self.city, short_name="Администрация"
        )
        self.city_unit = make_org(
            "unit",
            "Департамент имущественных отношений Администрации города Омска",
            self.city_authority,
            short_name="ДИО",
        )
        self.official = make_user("official", Role.OFFICIAL, self.unit)
        self.other_official = make_user("official2", Role.OFFICIAL, self.other_unit)
        self.officer = make_user("officer", Role.AUTHORIZED_OFFICER, self.authority)
        self.city_official = make_user("city_official", Role.OFFICIAL, self.city_unit)
        self.city_officer = make_user("city_officer", Role.AUTHORIZED_OFFICER, self.city_authority)
        # nationwide: the region's and the city's authorities (a region's own coordinator
        # is tests/registry/test_coordinator_territory.py's)
        self.coordinator = make_user("coordinator", Role.COORDINATOR, whole_country=True)
        self.admin = make_user("admin", Role.ADMINISTRATOR)

        self.own_row = make_process(self.authority, self.unit, "1")
        self.other_unit_row = make_process(self.authority, self.other_unit, "2", typical_code="4.2")
        self.city_row = make_process(
            self.city_authority,
            self.city_unit,
            "1",
            typical_code="1.1",
            function_name="Предоставление информации из реестра муниципального имущества",
        )


@pytest.fixture
def world(db):
    return World()


def with_version(record, **data):
    """Posted data of a page opened now: the record's current version with the fields."""
    version = type(record)._base_manager.values_list("version", flat=True).get(pk=record.pk)
    return {"version": version, **data}
