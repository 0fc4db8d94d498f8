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
