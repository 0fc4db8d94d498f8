"""Every change of a row is recorded with who, when, which columns and why; restoring an
earlier state is a new change and leaves the history as it was."""

import pytest
from django.urls import reverse

from registry.models import Process
from registry.services.xlsx_import import RegistryImport
from tests.registry.test_process_editing import form_data, links
from tests.registry.xlsx_files import row, workbook_bytes

pytestmark = pytest.mark.django_db


def edit(client, world, process, **overrides):
    process = Process.objects.get(pk=process.pk)
    data = form_data(world, identifier=process.identifier, version=process.version, **overrides)
    response = client.post(reverse("registry:process_edit", args=[process.pk]), data)
    assert response.status_code == 302, response.content.decode()[:500]


def test_each_save_is_one_recorded_state_with_its_columns(client, world):
    client.force_login(world.officer)
    client.post(reverse("registry:process_add"), form_data(world, placement_points=[1]))
    process = Process.objects.get(authority=world.authority, identifier="3")
    assert process.history.count() == 1
    edit(client, world, process, responsible="Петрова Анна Сергеевна", placement_points=[1, 3])
    assert process.history.count() == 2

    page = client.get(reverse("registry:process_history", args=[process.pk]))
    assert page.status_code == 200
    entries = page.context["entries"]
    latest = entries[0]
    assert latest.who == str(world.officer) and latest.reason == "Изменен на портале"
    changes = {c.label: (c.old, c.new) for c in latest.changes}
    assert changes["8. Ответственный за процесс"] == (
        "Петрова Анна Сергеевна, начальник ОПФО",
        "Петрова Анна Сергеевна",
    )
    column14 = next(v for k, v in changes.items() if k.startswith("14."))
    assert column14[0] == "Единый портал государственных и муниципальных услуг (функций)"
    assert column14[1].endswith("; Сайт органа власти")
    assert entries[-1].kind == "внесение"


def test_link_changes_appear_in_the_history_of_both_rows(client, world):
    client.force_login(world.officer)
    edit(client, world, world.own_row, **links(("successor", world.authority, "2")))
    entries = client.get(
        reverse("registry:process_history", args=[world.other_unit_row.pk])
    ).context["entries"]
    added = [e for e in entries if e.kind == "добавлена связь"]
    assert added and added[0].changes[0].new == "1 (предшествующий)"
    edit(client, world, world.own_row)  # the link removed
    entries = client.get(reverse("registry:process_history", args=[world.own_row.pk])).context[
        "entries"
    ]
    assert any(e.kind == "удалена связь" and e.changes[0].old == "2 (последующий)" for e in entries)


def test_restoring_an_earlier_state_is_a_new_change(client, world):
    client.force_login(world.officer)
    edit(client, world, world.own_row, responsible="Второй")
    edit(client, world, world.own_row, responsible="Третий", function_name="Новая функция")
    process = Process.objects.get(pk=world.own_row.pk)
    states = list(process.history.values_list("history_id", "responsible"))
    first_state = states[-1][0]
    response = client.post(
        reverse("registry:process_restore_state", args=[process.pk, first_state]),
        {"version": process.version},
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.responsible == "Иванов Иван Иванович, начальник отдела"
    assert process.function_name == "Рассмотрение обращений граждан"
    after = list(process.history.values_list("history_id", "responsible"))
    assert after[1:] == states  # older states untouched
    assert process.history.first().history_change_reason.startswith("Восстановлено состояние от")


def test_restore_with_a_stale_page_is_refused(client, world):
    client.force_login(world.officer)
    edit(client, world, world.own_row, responsible="Второй")
    process = Process.objects.get(pk=world.own_row.pk)
    first_state = process.history.last().history_id
    response = client.post(
        reverse("registry:process_restore_state", args=[process.pk, first_state]),
        {"version": process.version - 1},
        follow=True,
    )
    assert "Строку изменили" in response.content.decode()
    assert Process.objects.get(pk=process.pk).responsible == "Второй"


@pytest.mark.parametrize("role", ["city_official", "city_officer"])
def test_another_authoritys_history_is_not_found(client, world, role):
    client.force_login(getattr(world, role))
    assert (
        client.get(reverse("registry:process_history", args=[world.own_row.pk])).status_code == 404
    )
    state = world.own_row.history.first().history_id
    url = reverse("registry:process_restore_state", args=[world.own_row.pk, state])
    assert client.post(url, {"version": 1}).status_code == 404


def test_coordinator_reads_history_but_cannot_restore(client, world):
    client.force_login(world.coordinator)
    assert (
        client.get(reverse("registry:process_history", args=[world.city_row.pk])).status_code == 200
    )
    state = world.city_row.history.first().history_id
    url = reverse("registry:process_restore_state", args=[world.city_row.pk, state])
    assert client.post(url, {"version": 1}).status_code == 403


def test_exclusion_and_import_are_recorded_with_their_reason(client, world):
    client.force_login(world.officer)
    client.post(
        reverse("registry:process_exclude", args=[world.other_unit_row.pk]),
        {"reason": "Функция передана"},
    )
    assert (
        world.other_unit_row.history.first().history_change_reason
        == "Исключен из реестра: Функция передана"
    )

    data = workbook_bytes(
        [
            row("1", c4="", c8="Из файла"),
            row("40", c4="", c14="Сайт органа власти; https://omskportal.ru/40"),
        ]
    )
    importer = RegistryImport(world.authority, world.officer, world.unit)
    importer.apply(data, importer.preview(data).fingerprint(), reason="Загрузка из файла «р.xlsx»")
    changed = Process.objects.get(pk=world.own_row.pk).history.first()
    assert changed.history_change_reason == "Загрузка из файла «р.xlsx»"
    assert changed.history_user == world.officer and changed.responsible == "Из файла"
    new = Process.objects.get(authority=world.authority, identifier="40").history.get()
    assert new.history_type == "+" and new.history_user == world.officer
    assert new.placement_url == "https://omskportal.ru/40"
    assert [p.placementpoint.code for p in new.placement_points.all()] == ["site"]
