"""The evidence rule, history resting on legal acts, deadlines around a day, successors."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from roadmaps.choices import DeadlineState
from roadmaps.models import DeadlineKind, Evidence, ItemResponsible, ItemStatus, RoadmapItem
from roadmaps.services import deadlines, history, items

from .conftest import make_act, make_item, make_roadmap

pytestmark = pytest.mark.django_db


# --- a measure is done only with evidence of its document type ---


def test_done_without_evidence_is_refused_in_russian(world):
    item = make_item(make_roadmap(world.authority))
    with pytest.raises(ValidationError) as refused:
        items.set_status(item, ItemStatus.DONE, user=world.coordinator)
    message = refused.value.message_dict["status"][0]
    assert message.startswith("Мероприятие 1.1. нельзя отметить исполненным")
    assert "«Распоряжение об утверждении порядка (правил) взаимодействия»" in message
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED


def test_evidence_of_another_document_type_does_not_close_the_measure(world):
    item = make_item(make_roadmap(world.authority))
    items.add_evidence(item, document_type="Отчет о проведении самооценки", number="5")
    with pytest.raises(ValidationError):
        items.set_status(item, ItemStatus.DONE)
    # the model's own validation (admin, forms) says the same
    item.status = ItemStatus.DONE
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "status" in refused.value.message_dict


def test_evidence_of_its_document_type_closes_the_measure(world):
    item = make_item(make_roadmap(world.authority))
    evidence = items.add_evidence(
        item, user=world.officer, number="12-р", date=date(2025, 1, 20)
    )  # the document type defaults to the one the plan names
    assert evidence.document_type == item.document_type
    # the comparison ignores case and spacing
    Evidence.objects.filter(pk=evidence.pk).update(
        document_type="  распоряжение об утверждении порядка  (правил) взаимодействия"
    )
    items.set_status(item, ItemStatus.DONE, user=world.officer)
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    item.full_clean()  # consistent with the model's rule


def test_evidence_needs_requisites_link_or_file(world):
    item = make_item(make_roadmap(world.authority))
    with pytest.raises(ValidationError) as refused:
        items.add_evidence(item)
    assert refused.value.message_dict["number"] == [
        "Укажите реквизиты документа (номер и дату), ссылку или файл."
    ]
    assert items.add_evidence(item, url="https://omskportal.ru/doc/1").pk


def test_section_has_no_status(world):
    section = make_item(
        make_roadmap(world.authority),
        "2.",
        text="Кадровый блок",
        is_section=True,
        deadline_text="",
        deadline_kind=DeadlineKind.NONE,
        deadline_date=None,
        document_type="",
    )
    with pytest.raises(ValidationError):
        items.set_status(section, ItemStatus.IN_PROGRESS)


# --- history: every state names the act it rests on ---


def test_history_records_the_legal_act_and_its_date(world):
    roadmap = make_roadmap(world.authority)
    approved = make_act("214-рп", date(2023, 9, 28))
    amended = make_act("329-рп", date(2024, 11, 28))
    item = make_item(roadmap, "1.4.", act=approved, responsible_text="Министерство региональной")
    items.amend_item(
        item,
        act=amended,
        user=world.coordinator,
        reason="в строке 1.4 слова заменить",
        responsible_text="Министерство внутренней политики",
        deadline_text="до 01.03.2025",
    )
    records = list(item.history.order_by("history_id"))
    assert [(r.legal_act, r.effective_date) for r in records] == [
        (approved, date(2023, 9, 28)),
        (amended, date(2024, 11, 28)),
    ]
    assert records[1].history_user == world.coordinator
    assert records[1].history_change_reason == "в строке 1.4 слова заменить"
    item.refresh_from_db()
    assert (item.deadline_kind, item.deadline_date) == (DeadlineKind.UNTIL, date(2025, 3, 1))


def test_roadmap_as_it_stood_and_changes_since_a_baseline(world):
    roadmap = make_roadmap(world.authority)
    approved = make_act("214-рп", date(2023, 9, 28))
    amended = make_act("329-рп", date(2024, 11, 28))
    kept = make_item(roadmap, "1.1.", act=approved, text="Назначен ответственный")
    changed = make_item(roadmap, "1.2.", act=approved, text="Утверждена модель")
    items.amend_item(changed, act=amended, text="Утверждена модель внедрения")
    added = make_item(roadmap, "1.3.", act=amended, text="Сформирован реестр")
    dropped = make_item(roadmap, "1.10.", act=approved, text="Проведена оценка")
    items.cancel_item(dropped, act=amended, reason="исключен")

    before = history.items_after_act(roadmap, approved)
    assert [(s.number, s.text, s.status) for s in before] == [
        ("1.1.", "Назначен ответственный", ItemStatus.PLANNED),
        ("1.2.", "Утверждена модель", ItemStatus.PLANNED),
        ("1.10.", "Проведена оценка", ItemStatus.PLANNED),
    ]
    after = history.items_on(roadmap, date(2025, 1, 1))
    assert [(s.number, s.text, s.status) for s in after] == [
        ("1.1.", "Назначен ответственный", ItemStatus.PLANNED),
        ("1.2.", "Утверждена модель внедрения", ItemStatus.PLANNED),
        ("1.3.", "Сформирован реестр", ItemStatus.PLANNED),
        ("1.10.", "Проведена оценка", ItemStatus.CANCELLED),
    ]
    assert history.items_on(roadmap, date(2023, 9, 27)) == []

    changes = history.changes_since(roadmap, baseline=approved.date)
    assert set(changes) == {changed.pk, added.pk, dropped.pk}
    assert kept.pk not in changes
    assert changes[changed.pk].kind == "changed"
    assert changes[changed.pk].fields == ["text"]
    assert changes[changed.pk].acts == [amended]
    assert changes[added.pk].kind == "new"
    assert changes[dropped.pk].fields == ["status"]


def test_amendment_refuses_a_deadline_that_is_not_a_date(world):
    item = make_item(make_roadmap(world.authority))
    with pytest.raises(ValidationError) as refused:
        items.amend_item(item, act=None, deadline_text="до 01.11.20213")
    assert "20213" in refused.value.message_dict["deadline_text"][0]


# --- deadlines around a fixed day ---

TODAY = date(2025, 3, 10)


def measure(roadmap, number, text, status=ItemStatus.PLANNED):
    from roadmaps.services.reader import parse_deadline

    deadline = parse_deadline(text)
    return make_item(
        roadmap,
        number,
        deadline_text=deadline.text,
        deadline_kind=deadline.kind,
        deadline_date=deadline.date,
        status=status,
    )


def test_classification_around_today(world):
    roadmap = make_roadmap(world.authority)
    cases = {
        "1.1.": ("09.03.2025", DeadlineState.OVERDUE),
        "1.2.": ("10.03.2025", DeadlineState.DUE_SOON),  # the last day is today
        "1.3.": ("24.03.2025", DeadlineState.DUE_SOON),  # today + 14 days
        "1.4.": ("25.03.2025", DeadlineState.LATER),
        "1.5.": ("до 10.03.2025", DeadlineState.OVERDUE),  # "до" 10 March: last day 9 March
        "1.6.": ("до 11.03.2025", DeadlineState.DUE_SOON),
        "1.7.": ("", DeadlineState.NO_DATE),
        "1.8.": ("до 01.11.20213", DeadlineState.NO_DATE),
        "1.9.": ("Исполнено", DeadlineState.DONE),
    }
    made = {n: measure(roadmap, n, text) for n, (text, _) in cases.items()}
    for number, (_, expected) in cases.items():
        assert deadlines.classify(made[number], TODAY) == expected, number
    assert deadlines.classify(made["1.4."], TODAY, within_days=15) == DeadlineState.DUE_SOON
    assert deadlines.days_left(made["1.1."], TODAY) == -1

    overdue_done = made["1.1."]
    items.add_evidence(overdue_done, number="1")
    items.set_status(overdue_done, ItemStatus.DONE)
    overdue_done.refresh_from_db()
    assert deadlines.classify(overdue_done, TODAY) == DeadlineState.DONE


def test_ordering_overdue_oldest_first_then_soon_later_done(world):
    roadmap = make_roadmap(world.authority)
    later = measure(roadmap, "1.1.", "01.06.2025")
    old_overdue = measure(roadmap, "1.2.", "01.01.2025")
    cancelled = measure(roadmap, "1.3.", "01.02.2025", status=ItemStatus.CANCELLED)
    done = measure(roadmap, "1.7.", "Исполнено")
    soon = measure(roadmap, "1.4.", "12.03.2025")
    recent_overdue = measure(roadmap, "1.5.", "01.03.2025")
    no_date = measure(roadmap, "1.6.", "")
    section = make_item(
        roadmap,
        "2.",
        is_section=True,
        deadline_text="",
        deadline_kind=DeadlineKind.NONE,
        deadline_date=None,
    )
    everything = RoadmapItem.objects.filter(roadmap=roadmap)
    assert section in everything
    assert deadlines.ordered(everything, TODAY) == [
        old_overdue,
        recent_overdue,
        soon,
        later,
        no_date,
        done,
        cancelled,
    ]


# --- a reorganized responsible body shows its successor, as the footnotes of seed 000 ---


def test_successor_is_shown_on_every_item_naming_the_body(seed_orgs):
    ministry = seed_orgs["minmolsport"]
    assert ministry.successor == seed_orgs["minsport"]
    assert ministry.successor_since == date(2024, 6, 5)
    roadmap = make_roadmap(ministry, title="План мероприятий Министерства")
    expected = (
        "Министерство по делам молодежи, физической культуры и спорта Омской области "
        "(с 05.06.2024 — Министерство спорта Омской области)"
    )
    for number in ("1.1.", "1.2."):
        item = make_item(roadmap, number)
        ItemResponsible.objects.create(item=item, organization=ministry, name="Министерство")
        assert item.responsible_display() == [expected]
    assert roadmap.owner_display == expected
    # the successor itself carries on: no note
    assert ItemResponsible(organization=seed_orgs["minsport"]).display() == (
        "Министерство спорта Омской области"
    )
    # a body the portal does not know is shown as the document writes it
    assert ItemResponsible(name="ОЦФО Главного управления").display() == (
        "ОЦФО Главного управления"
    )


def test_all_reorganizations_of_seed_000_are_recorded(seed_orgs):
    pairs = {
        key: (seed_orgs[key].successor.full_name, seed_orgs[key].successor_since)
        for key in ("minmolsport", "minregpol", "minselhoz", "minenergo", "gostehnadzor")
    }
    assert pairs["minregpol"] == (
        "Министерство внутренней политики Омской области",
        date(2024, 4, 16),
    )
    assert pairs["minenergo"] == (
        "Министерство энергетики и жилищно-коммунального хозяйства Омской области",
        date(2024, 5, 3),
    )
    assert pairs["minselhoz"][1] == pairs["gostehnadzor"][1] == date(2024, 5, 15)
    assert seed_orgs["minregpol"].valid_to == date(2024, 4, 15)
