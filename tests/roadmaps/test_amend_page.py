"""The page that amends a roadmap by a legal act: typed rows or a newer edition's file,
checked before anything is written, written on the act's basis, scoped to the plan's editor."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmaps.models import ItemStatus, LegalAct, RoadmapItem
from roadmaps.services import items as item_service

from .conftest import OMSK

pytestmark = pytest.mark.django_db

ACT = {
    "act-kind": "order",
    "act-number": "15-рп",
    "act-date": "2025-02-20",
    "act-issued_by": "Правительства Омской области",
    "act-title": "",
    "act-url": "",
}


def url(roadmap):
    return reverse("roadmaps:roadmap_amend", args=[roadmap.pk])


def rows_data(roadmap, changes=None, new_rows=(), opened_at=None):
    """The form as the page posts it: every item of the plan, `changes` by number."""
    changes = changes or {}
    data = {}
    items = list(roadmap.items.order_by("sort_key"))
    for index, item in enumerate(items):
        values = {
            "item_id": item.pk,
            "line": "",
            "footnotes": item.footnotes,
            "number": item.number,
            "text": item.text,
            "deadline_text": item.deadline_text,
            "responsible_text": item.responsible_text,
            "document_type": item.document_type,
        }
        values.update(changes.get(item.number, {}))
        if values.pop("cancel", item.status == ItemStatus.CANCELLED):
            values["cancel"] = "on"
        data.update({f"items-{index}-{k}": v for k, v in values.items()})
    for offset, row in enumerate(new_rows):
        data.update({f"items-{len(items) + offset}-{k}": v for k, v in row.items()})
    total = len(items) + len(new_rows)
    data.update(
        {
            "items-TOTAL_FORMS": str(total),
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "5000",
            "opened_at": (opened_at or timezone.now()).isoformat(),
        }
    )
    return data


MOVE_1_4 = {"1.4.": {"deadline_text": "до 01.03.2025"}}


def test_only_the_plans_officer_opens_the_form(client, world, omsk):
    client.force_login(world.officer)
    page = client.get(url(omsk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Внесение изменений в дорожную карту" in html
    assert len(page.context["rows"]) == omsk.items.count() + 5  # and five empty rows
    assert (
        "Внести изменения актом"
        in client.get(reverse("roadmaps:roadmap_detail", args=[omsk.pk])).content.decode()
    )
    for user in (world.coordinator, world.official):
        client.force_login(user)
        assert client.get(url(omsk)).status_code == 403
        assert (
            client.post(
                url(omsk), {**rows_data(omsk, MOVE_1_4), **ACT, "action": "apply"}
            ).status_code
            == 403
        )
    client.force_login(world.city_officer)
    assert client.get(url(omsk)).status_code == 404
    assert omsk.items.get(number="1.4.").deadline_text == "23.12.2024"


def test_check_shows_the_changes_and_writes_nothing(client, world, omsk):
    client.force_login(world.officer)
    page = client.post(url(omsk), {**rows_data(omsk, MOVE_1_4), "action": "preview"})
    assert page.status_code == 200
    plan = page.context["plan"]
    assert [(c.number, c.kind) for c in plan.changes] == [("1.4.", "changed")]
    html = page.content.decode()
    assert "Изменено пунктов — 1, новых — 0, исключено — 0" in html
    assert "до 01.03.2025" in html
    assert omsk.items.get(number="1.4.").deadline_text == "23.12.2024"
    assert not LegalAct.objects.filter(number="15-рп").exists()


def test_apply_writes_on_the_acts_basis_and_shows_what_changed(client, world, omsk):
    client.force_login(world.officer)
    new_row = {
        "item_id": "",
        "number": "2.5.",
        "text": "Проведено обучение сотрудников кадровой службы",
        "deadline_text": "31.03.2025",
        "responsible_text": "ОПФО Главного управления",
        "document_type": "Отчет об обучении",
    }
    changes = {**MOVE_1_4, "2.3.": {"cancel": True}}
    response = client.post(
        url(omsk), {**rows_data(omsk, changes, [new_row]), **ACT, "action": "apply"}
    )
    detail = reverse("roadmaps:roadmap_detail", args=[omsk.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{detail}?since=2025-02-19"
    act = LegalAct.objects.get(number="15-рп")
    moved = omsk.items.get(number="1.4.")
    assert moved.deadline_date == date(2025, 3, 1)
    assert moved.history.latest("history_date").legal_act == act
    assert moved.history.latest("history_date").history_user == world.officer
    assert omsk.items.get(number="2.3.").status == ItemStatus.CANCELLED
    added = omsk.items.get(number="2.5.")
    assert [r.organization for r in added.responsibles.all()] == [world.unit]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "После 19.02.2025 добавлено или изменено пунктов: 3." in html
    assert "распоряжение Правительства Омской области от 20.02.2025 № 15-рп" in html


def test_apply_without_an_act_is_refused_with_the_rows_kept(client, world, omsk):
    client.force_login(world.officer)
    data = {**rows_data(omsk, MOVE_1_4), **ACT, "act-number": "", "action": "apply"}
    page = client.post(url(omsk), data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Укажите реквизиты правового акта" in html
    assert "до 01.03.2025" in html  # what was typed is not lost
    assert omsk.items.get(number="1.4.").deadline_text == "23.12.2024"


def test_a_bad_deadline_names_the_item_and_nothing_is_written(client, world, omsk):
    client.force_login(world.officer)
    changes = {**MOVE_1_4, "2.1.": {"deadline_text": "до 01.11.20213"}}
    page = client.post(url(omsk), {**rows_data(omsk, changes), **ACT, "action": "apply"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Пункт 2.1.: графа «Срок реализации»: в сроке «до 01.11.20213» год 20213" in html
    assert omsk.items.get(number="1.4.").deadline_text == "23.12.2024"
    assert not LegalAct.objects.filter(number="15-рп").exists()


def test_a_change_made_after_the_form_was_opened_refuses_the_amendment(client, world, omsk):
    client.force_login(world.officer)
    opened_at = timezone.now() - timedelta(minutes=5)
    item_service.set_status(omsk.items.get(number="1.1."), ItemStatus.IN_PROGRESS)
    data = {**rows_data(omsk, MOVE_1_4, opened_at=opened_at), **ACT, "action": "apply"}
    page = client.post(url(omsk), data)
    assert page.status_code == 400
    assert "изменил другой пользователь" in page.content.decode()
    assert omsk.items.get(number="1.4.").deadline_text == "23.12.2024"


def test_a_newer_edition_fills_the_rows_and_writes_nothing(client, world, omsk, tmp_path):
    text = OMSK.read_text(encoding="utf-8").split("\n")
    edited = []
    for line in text:
        if line.startswith("1.4.\t"):
            line = line.replace("23.12.2024", "до 01.03.2025")
        if not line.startswith("2.3.\t"):
            edited.append(line)
    client.force_login(world.officer)
    upload = tmp_path / "редакция.txt"
    upload.write_text("\n".join(edited), encoding="utf-8")
    with upload.open("rb") as fh:
        page = client.post(url(omsk), {**rows_data(omsk), "action": "load", "edition": fh})
    assert page.status_code == 200
    plan = page.context["plan"]
    assert sorted((c.number, c.kind) for c in plan.changes) == [
        ("1.4.", "changed"),
        ("2.3.", "cancelled"),
    ]
    rows = {r["item"].number: r["form"] for r in page.context["rows"] if r["item"]}
    assert rows["1.4."].initial["deadline_text"] == "до 01.03.2025"
    assert rows["2.3."].initial["cancel"] is True
    assert page.context["reason"] == "Новая редакция плана из файла редакция.txt"
    assert omsk.items.get(number="1.4.").deadline_text == "23.12.2024"
    assert RoadmapItem.history.filter(roadmap_id=omsk.pk).count() == omsk.items.count()


def test_an_unreadable_file_is_reported(client, world, omsk, tmp_path):
    client.force_login(world.officer)
    broken = tmp_path / "plan.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    with broken.open("rb") as fh:
        page = client.post(url(omsk), {**rows_data(omsk), "action": "load", "edition": fh})
    assert page.status_code == 400
    assert "Файл XLSX поврежден: архив не читается" in page.content.decode()
    no_table = tmp_path / "plan.txt"
    no_table.write_text("просто текст", encoding="utf-8")
    with no_table.open("rb") as fh:
        page = client.post(url(omsk), {**rows_data(omsk), "action": "load", "edition": fh})
    assert page.status_code == 400
    assert "таблица дорожной карты не найдена" in page.content.decode()


def test_an_act_the_portal_knows_is_reused_on_the_page(client, world, omsk):
    known = LegalAct.objects.create(
        kind="order", number="15-рп", date=date(2025, 2, 20), issued_by=ACT["act-issued_by"]
    )
    client.force_login(world.officer)
    response = client.post(url(omsk), {**rows_data(omsk, MOVE_1_4), **ACT, "action": "apply"})
    assert response.status_code == 302
    moved = omsk.items.get(number="1.4.")
    assert moved.history.latest("history_date").legal_act == known
    assert LegalAct.objects.filter(number="15-рп").count() == 1


def test_a_file_row_left_out_is_shown_and_stops_the_edition(client, world, omsk, tmp_path):
    edited = [
        line.replace("2.3.\t", "2.З.\t", 1) for line in OMSK.read_text(encoding="utf-8").split("\n")
    ]
    upload = tmp_path / "plan.txt"
    upload.write_text("\n".join(edited), encoding="utf-8")
    client.force_login(world.officer)
    with upload.open("rb") as fh:
        page = client.post(url(omsk), {**rows_data(omsk), "action": "load", "edition": fh})
    html = page.content.decode()
    assert "Отчет о чтении файла" in html
    assert "номер пункта «2.З.» не распознан: строка пропущена" in html
    assert "В новой редакции должна быть прочитана каждая строка таблицы" in html


def test_a_binary_file_is_refused_in_words(client, world, omsk, tmp_path):
    client.force_login(world.officer)
    binary = tmp_path / "plan.doc"
    binary.write_bytes(b"\xd0\xcf\x11\xe0\x98\x00\x81" * 50)
    with binary.open("rb") as fh:
        page = client.post(url(omsk), {**rows_data(omsk), "action": "load", "edition": fh})
    assert page.status_code == 400
    html = page.content.decode()
    assert html.count("(«plan.doc»)") == 1, "the reader's sentence, once"
    assert "Файл не прочитан:" not in html


def test_a_refusal_of_the_reader_is_shown_once_as_it_is(client, world, omsk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import hostile_files as h

    client.force_login(world.officer)
    upload = SimpleUploadedFile("plan.xlsx", h.version_25_zip())
    page = client.post(url(omsk), {**rows_data(omsk), "action": "load", "edition": upload})
    assert page.status_code == 400
    html = page.content.decode()
    assert html.count("Файл XLSX поврежден: архив не читается («plan.xlsx»).") == 1
    assert "Файл не прочитан" not in html


def test_a_broken_opening_time_refuses_to_write(client, world, omsk):
    client.force_login(world.officer)
    data = {**rows_data(omsk, MOVE_1_4), **ACT, "action": "apply"}
    data["opened_at"] = "2025-02-30T10:00:00"
    response = client.post(url(omsk), data)
    assert response.status_code == 302 and response["Location"] == url(omsk)
    assert omsk.items.get(number="1.4.").deadline_text == "23.12.2024"
    data["action"] = "preview"
    assert client.post(url(omsk), data).status_code == 200


def test_checking_again_does_not_add_empty_rows(client, world, omsk):
    client.force_login(world.officer)
    blank = {"item_id": "", "number": "", "text": ""}
    page = client.post(url(omsk), {**rows_data(omsk, MOVE_1_4, [blank] * 5), "action": "preview"})
    assert len(page.context["rows"]) == omsk.items.count() + 5
