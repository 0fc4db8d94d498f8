"""`manage.py import_roadmap` and the seed roadmaps of seed_demo."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from roadmaps.models import (
    DeadlineKind,
    Evidence,
    ItemResponsible,
    ItemStatus,
    LegalAct,
    Roadmap,
    RoadmapItem,
)
from roadmaps.services import importer
from roadmaps.services.demo import load_seed_roadmaps

from .conftest import CHELYABINSK, OMSK, SAMARA

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("import_roadmap", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_report_and_writes_nothing(world):
    output = run(str(OMSK), "--owner", "Главное управление", "--dry-run")
    assert "Пунктов: 70 (разделов — 10, мероприятий — 60)" in output
    assert "строки 97, 109, 122, 134, 147, 157, 168" in output
    assert "«ОЦФО Главного управления»" in output
    assert "ничего не записано" in output
    assert not Roadmap.objects.exists()
    assert not LegalAct.objects.exists()


def test_import_writes_the_roadmap_on_the_basis_of_the_act(world):
    output = run(
        str(OMSK),
        "--owner",
        "Главное управление молодежной политики Омской области",
        "--act-number",
        "329-рп",
        "--act-date",
        "28.11.2024",
        "--act-issuer",
        "Правительства Омской области",
    )
    roadmap = Roadmap.objects.get()
    assert "пунктов — 70" in output
    assert roadmap.owner == world.authority
    assert (
        str(roadmap.legal_act) == "распоряжение Правительства Омской области от 28.11.2024 № 329-рп"
    )
    assert roadmap.items.count() == 70
    assert roadmap.items.filter(is_section=True).count() == 10
    item = roadmap.items.get(number="3.1.1.")
    assert item.parent == roadmap.items.get(number="3.1.")
    assert (item.deadline_kind, item.deadline_date) == (DeadlineKind.DATE, date(2025, 1, 31))
    assert item.source_line == 106
    assert [r.organization for r in item.responsibles.all()] == [world.other_unit]  # ОПОИ
    assert item.responsible_display() == ["ОПОИ Главного управления"]
    first_state = item.history.get()
    assert first_state.legal_act == roadmap.legal_act
    assert first_state.effective_date == date(2024, 11, 28)
    # the unknown body is kept as the document writes it
    unknown = ItemResponsible.objects.get(item__roadmap=roadmap, item__number="3.4.1.")
    assert (unknown.organization, unknown.name) == (None, "ОЦФО Главного управления")
    # numbers sort as the document numbers them
    assert list(roadmap.items.values_list("number", flat=True))[-3:] == [
        "3.7.5.",
        "3.7.6.",
        "3.7.7.",
    ]


def test_typo_is_imported_as_text_without_a_date(seed_orgs):
    output = run(str(CHELYABINSK), "--owner", "Челябинская область", "--template")
    assert "строка 47: пункт 3.3.2.: в сроке «до 01.11.20213»" in output
    item = RoadmapItem.objects.get(number="3.3.2.")
    assert (item.deadline_text, item.deadline_kind, item.deadline_date) == (
        "до 01.11.20213",
        DeadlineKind.INVALID,
        None,
    )
    assert item.roadmap.is_template
    assert item.roadmap.legal_act is None


def test_import_is_atomic(world, monkeypatch):
    calls = {"n": 0}
    real = importer.item_service.save_recorded

    def failing(item, **kwargs):
        calls["n"] += 1
        if calls["n"] == 40:
            raise RuntimeError("сбой на 40-м пункте")
        return real(item, **kwargs)

    monkeypatch.setattr(importer.item_service, "save_recorded", failing)
    with pytest.raises(RuntimeError):
        run(
            str(OMSK),
            "--owner",
            "Главное управление",
            "--act-number",
            "1",
            "--act-date",
            "01.01.2024",
        )
    assert calls["n"] == 40
    assert not Roadmap.objects.exists()
    assert not RoadmapItem.objects.exists()
    assert not RoadmapItem.history.exists()
    assert not LegalAct.objects.exists()


def test_errors_in_the_file_stop_the_import_with_non_zero_exit(world, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "№ п/п\tМероприятие\tСрок реализации\tОтветственный\tВид документа\n"
        "1.1.\tМероприятие\t01.02.2025\tОтдел\tОтчет\n"
        "1.1.\tЕще раз\t01.03.2025\tОтдел\tОтчет\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="ничего не записано"):
        run(str(path), "--owner", "Главное управление")
    assert not Roadmap.objects.exists()


def test_command_refuses_without_owner_or_twice(world):
    with pytest.raises(CommandError, match="--owner"):
        run(str(OMSK))
    with pytest.raises(CommandError, match="не найдена"):
        run(str(OMSK), "--owner", "Министерство чудес")
    run(str(OMSK), "--owner", "Главное управление")
    with pytest.raises(CommandError, match="уже загружена"):
        run(str(OMSK), "--owner", "Главное управление")
    assert Roadmap.objects.count() == 1


def test_seed_roadmaps_load_once_with_their_acts_and_organizations(db):
    loaded = load_seed_roadmaps()
    counts = {
        roadmap.appendix_number or roadmap.owner.full_name: roadmap.items.count()
        for roadmap, _ in loaded
    }
    assert counts == {
        "Омская область": 0,  # the regional plan: only its appendix № 29 is in the seeds
        # the reorganized bodies' plans 329-рп footnotes: their tables are not in the seeds
        **dict.fromkeys(("5", "9", "10", "17", "26"), 0),
        "29": 70,
        "Самарская область": 69,
        "Челябинская область": 92,
    }
    appendix = Roadmap.objects.get(appendix_number="29")
    assert appendix.parent.legal_act.number == "214-рп"
    assert appendix.legal_act.number == "329-рп"
    assert appendix.owner.full_name == "Главное управление молодежной политики Омской области"
    assert Roadmap.objects.get(is_template=True).owner.full_name == "Челябинская область"

    samara = Roadmap.objects.get(owner__full_name="Самарская область")
    assert samara.legal_act.number == "326-р"
    first = samara.items.get(number="1.1.")
    # created, then closed as "Исполнено": both on the basis of the edition of 28.09.2023
    states = first.history.order_by("history_id")
    assert [(s.status, s.legal_act.number) for s in states] == [
        (ItemStatus.PLANNED, "213-р"),
        (ItemStatus.DONE, "213-р"),
    ]
    assert first.responsible_display() == ["АГ СО"]

    # a second run changes nothing
    again = load_seed_roadmaps()
    assert [r.pk for r, _ in again] == [r.pk for r, _ in loaded]
    assert all(report is None for _, report in again)
    assert RoadmapItem.objects.count() == 70 + 69 + 92


def test_done_in_the_plan_is_closed_with_the_document_it_names(db):
    load_seed_roadmaps()
    done = RoadmapItem.objects.filter(status=ItemStatus.DONE)
    # Samara: 1.1, 1.2, 1.3, 2.1, 2.2, 3.3, 3.4, 3.6 say "Исполнено"
    assert sorted(done.values_list("number", flat=True)) == [
        "1.1.",
        "1.2.",
        "1.3.",
        "2.1.",
        "2.2.",
        "3.3.",
        "3.4.",
        "3.6.",
    ]
    evidence = Evidence.objects.get(
        item__number="1.3.", item__roadmap__owner__full_name="Самарская область"
    )
    assert (evidence.number, evidence.date) == ("85-р", date(2023, 3, 10))
    assert evidence.document_type == evidence.item.document_type
    assert Evidence.objects.get(item__number="2.2.").number == "208"
    for item in done:
        item.full_clean()  # every one satisfies the evidence rule


def test_seed_loader_reuses_the_registry_demo_organizations(db):
    from registry.services.demo import load_demo

    load_demo()
    load_seed_roadmaps()
    from registry.models import Organization

    assert Organization.objects.filter(full_name="Омская область").count() == 1
    assert (
        Organization.objects.filter(
            full_name="Министерство по делам молодежи, физической культуры и спорта Омской области"
        ).count()
        == 1
    )
    appendix = Roadmap.objects.get(appendix_number="29")
    item = appendix.items.get(number="1.2.")
    assert item.responsibles.get().organization.short_name == "ОПФО Главного управления"


def test_seed_files_are_the_seeds():
    """The fixtures are byte-for-byte copies, so report lines are the seeds' lines."""
    from pathlib import Path

    shared = Path("/work/shared/seeds")
    if not shared.is_dir():
        pytest.skip("the shared seeds are not on this machine")
    for copy, seed in (
        (OMSK, "000_952fe87255c5fc3b.txt"),
        (SAMARA, "002_2d9843392c718375.txt"),
        (CHELYABINSK, "003_4630e03d421572c4.txt"),
    ):
        assert copy.read_bytes() == (shared / seed).read_bytes()
