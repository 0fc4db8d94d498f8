"""Roadmap fixtures: the seed files (byte-for-byte copies in fixtures/roadmaps/) and the
organizations the seeds name."""

from __future__ import annotations

import json
from datetime import date

import pytest

from roadmaps.models import DeadlineKind, LegalAct, LegalActKind, Roadmap, RoadmapItem
from roadmaps.services import demo
from roadmaps.services.items import save_recorded

SEED_DIR = demo.SEED_DIR
OMSK = SEED_DIR / "omsk_329-rp_2024_appendix29.txt"  # seed 000
SAMARA = SEED_DIR / "samara_213-r_2023.txt"  # seed 002
CHELYABINSK = SEED_DIR / "chelyabinsk_typical.txt"  # seed 003


@pytest.fixture
def seed_orgs(db):
    """The organizations of fixtures/roadmaps/roadmaps.json, by key."""
    with open(demo.MANIFEST, encoding="utf-8") as fh:
        data = json.load(fh)
    return demo._organizations(data["organizations"])


def import_omsk() -> Roadmap:
    """Appendix № 29 of seed 000 for the World's Главное управление, approved by 329-рп of
    28.11.2024."""
    from io import StringIO

    from django.core.management import call_command

    call_command(
        "import_roadmap",
        str(OMSK),
        "--owner",
        "Главное управление",
        "--act-number",
        "329-рп",
        "--act-date",
        "28.11.2024",
        stdout=StringIO(),
    )
    return Roadmap.objects.get()


@pytest.fixture
def omsk(world):
    return import_omsk()


def make_act(number="1-рп", day=date(2024, 1, 10), kind=LegalActKind.ORDER, issued_by=""):
    return LegalAct.objects.create(kind=kind, number=number, date=day, issued_by=issued_by)


def make_roadmap(owner, title="План мероприятий", **extra):
    return Roadmap.objects.create(owner=owner, title=title, **extra)


def make_item(roadmap, number="1.1.", act=None, **extra):
    values = {
        "text": "Утвержден порядок (правила) взаимодействия с внутренним клиентом",
        "deadline_text": "31.01.2025",
        "deadline_kind": DeadlineKind.DATE,
        "deadline_date": date(2025, 1, 31),
        "responsible_text": "ОПФО Главного управления",
        "document_type": "Распоряжение об утверждении порядка (правил) взаимодействия",
    }
    values.update(extra)
    return save_recorded(RoadmapItem(roadmap=roadmap, number=number, **values), act=act)


class Board:
    """Small hand-made roadmaps around `today` on the World's organizations:

    - the Omsk regional plan (owner: the region) with one measure due later;
    - its appendix № 29 of the Главное управление: section 1 and measures 1.1 overdue,
      1.2 "до" a date within a week (due soon), 1.3 later, 1.4 without a date, 1.5 done;
      1.2 names a reorganized ministry (successor since 05.06.2024);
    - the city administration's plan: 1.1 overdue, more recently than Omsk's 1.1.
    """

    def __init__(self, world, today: date):
        from datetime import timedelta

        from roadmaps.models import Evidence, ItemResponsible, ItemStatus
        from tests.conftest import make_org

        day = timedelta(days=1)
        self.today = today
        self.minsport = make_org(
            "authority", "Министерство спорта Омской области", world.region, short_name=""
        )
        self.old_ministry = make_org(
            "authority",
            "Министерство по делам молодежи, физической культуры и спорта Омской области",
            world.region,
            successor=self.minsport,
            successor_since=date(2024, 6, 5),
        )
        self.regional = make_roadmap(world.region, "План мероприятий Омской области")
        self.appendix = make_roadmap(
            world.authority,
            "План Главного управления",
            parent=self.regional,
            appendix_number="29",
        )
        self.city = make_roadmap(world.city_authority, "План Администрации города Омска")

        def dated(roadmap, number, end, kind=DeadlineKind.DATE, **extra):
            text = f"{'до ' if kind == DeadlineKind.UNTIL else ''}{end:%d.%m.%Y}"
            return make_item(
                roadmap, number, deadline_text=text, deadline_kind=kind, deadline_date=end, **extra
            )

        self.regional_item = dated(self.regional, "1.1.", today + 300 * day)
        self.section = make_item(
            self.appendix,
            "1.",
            is_section=True,
            text="Организационные мероприятия",
            deadline_text="",
            deadline_kind=DeadlineKind.NONE,
            deadline_date=None,
            responsible_text="",
            document_type="",
        )
        common = {"parent": self.section}
        self.overdue = dated(self.appendix, "1.1.", today - 30 * day, **common)
        self.soon = dated(self.appendix, "1.2.", today + 8 * day, kind=DeadlineKind.UNTIL, **common)
        self.later = dated(self.appendix, "1.3.", today + 400 * day, **common)
        self.no_date = make_item(
            self.appendix,
            "1.4.",
            deadline_text="",
            deadline_kind=DeadlineKind.NONE,
            deadline_date=None,
            **common,
        )
        self.done = dated(self.appendix, "1.5.", today - 10 * day, status=ItemStatus.DONE, **common)
        Evidence.objects.create(
            item=self.done, document_type=self.done.document_type, number="12-р"
        )
        self.city_item = dated(self.city, "1.1.", today - 5 * day, responsible_text="ДИО")
        ItemResponsible.objects.create(item=self.overdue, organization=world.unit)
        ItemResponsible.objects.create(item=self.soon, organization=self.old_ministry)
        ItemResponsible.objects.create(item=self.later, organization=world.other_unit)
        ItemResponsible.objects.create(item=self.city_item, organization=world.city_unit)
        # The coordinator's order on `today`.
        self.order = [
            self.overdue,
            self.city_item,
            self.soon,
            self.regional_item,
            self.later,
            self.no_date,
            self.done,
        ]


TODAY = date(2025, 3, 1)


@pytest.fixture
def today(monkeypatch):
    """Freezes "today" of the pages, the feed and the tasks (timezone.localdate())."""
    from django.utils import timezone

    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


@pytest.fixture
def board(world, today):
    return Board(world, today)
