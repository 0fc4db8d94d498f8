"""Creating and editing rows through the pages: mandatory columns, the typical-process rule,
links in column 12 and the refusal of stale edits."""

import pytest
from django.urls import reverse

from registry.models import (
    LifeSituation,
    PlacementPoint,
    Process,
    ProcessGroup,
    ProcessLink,
    ReengineeringStatus,
    TypicalProcess,
)
from tests.conftest import make_link

pytestmark = pytest.mark.django_db


def form_data(world, **overrides):
    typical = TypicalProcess.objects.get(group__edition__level="regional", code="4.5")
    data = {
        "unit": world.unit.pk,
        "identifier": "",
        "life_situation_name": "Обращение в орган власти",
        "function_name": "Рассмотрение обращений граждан",
        "client": "Граждане Российской Федерации",
        "regulating_act": "Федеральный закон от 02.05.2006 № 59-ФЗ",
        "group": typical.group.pk,
        "typical_process": typical.pk,
        "process_name": "",
        "responsible": "Петрова Анна Сергеевна, начальник ОПФО",
        "status": ReengineeringStatus.objects.get(edition__level="regional", code="research").pk,
        "input_data": "Обращение гражданина",
        "output_data": "Ответ на обращение",
        "kind": "",
        "placement_url": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def add_url():
    return reverse("registry:process_add")


def test_officer_creates_row_with_next_identifier(client, world):
    client.force_login(world.officer)
    response = client.post(add_url(), form_data(world))
    assert response.status_code == 302
    process = Process.objects.get(authority=world.authority, identifier="3")
    assert process.unit == world.unit
    assert process.created_by == world.officer
    assert process.name.startswith("Рассмотрение обращений и запросов")
    assert process.life_situation.name == "Обращение в орган власти"


def test_life_situation_is_reused_whatever_the_case_and_yo(client, world):
    client.force_login(world.officer)
    client.post(add_url(), form_data(world, life_situation_name="Рождение ребёнка"))
    client.post(add_url(), form_data(world, life_situation_name="  рождение   ребенка "))
    assert LifeSituation.objects.filter(normalized_name="рождение ребенка").count() == 1
    assert Process.objects.filter(life_situation__normalized_name="рождение ребенка").count() == 2


@pytest.mark.parametrize(
    ("field", "column", "header"),
    [
        ("function_name", 3, "Название функции, услуги, сервиса"),
        ("regulating_act", 5, "Регулирующий акт"),
        ("responsible", 8, "Ответственный за процесс"),
        ("status", 9, "Статус процесса (статус реинжиниринга)"),
    ],
)
def test_mandatory_columns_are_refused_with_their_name(client, world, field, column, header):
    client.force_login(world.official)
    before = Process.objects.count()
    response = client.post(add_url(), form_data(world, **{field: ""}))
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert errors == [f"Графа {column} «{header}» обязательна для заполнения."]
    assert Process.objects.count() == before


def test_municipal_row_uses_municipal_headers(client, world):
    client.force_login(world.city_official)
    typical = TypicalProcess.objects.get(group__edition__level="municipal", code="1.1")
    data = form_data(
        world,
        unit=world.city_unit.pk,
        group=typical.group.pk,
        typical_process=typical.pk,
        status=ReengineeringStatus.objects.get(edition__level="municipal", code="research").pk,
        function_name="",
    )
    response = client.post(add_url(), data)
    assert response.context["form"].errors["function_name"] == [
        "Графа 3 «Название услуги, функции, сервиса» обязательна для заполнения."
    ]


def test_process_name_must_be_typical_or_explicitly_non_typical(client, world):
    client.force_login(world.officer)
    response = client.post(add_url(), form_data(world, typical_process=""))
    assert response.status_code == 400
    assert "выберите процесс из перечня типовых процессов" in str(
        response.context["form"].errors["typical_process"]
    )

    response = client.post(add_url(), form_data(world, typical_process="", is_non_typical="on"))
    assert "для нетипового процесса введите название" in str(
        response.context["form"].errors["process_name"]
    )

    response = client.post(
        add_url(),
        form_data(
            world, typical_process="", is_non_typical="on", process_name="Выдача сертификата"
        ),
    )
    assert response.status_code == 302
    process = Process.objects.get(process_name="Выдача сертификата")
    assert process.is_non_typical and process.typical_process is None
    assert process.name == "Выдача сертификата"


def test_typical_process_must_belong_to_the_chosen_group(client, world):
    client.force_login(world.official)
    other_group = ProcessGroup.objects.get(edition__level="regional", code="6")
    response = client.post(add_url(), form_data(world, group=other_group.pk))
    assert response.status_code == 400
    assert "не входит в группу" in str(response.context["form"].errors["typical_process"])


def test_other_editions_catalogue_is_refused(client, world):
    client.force_login(world.official)
    municipal = TypicalProcess.objects.get(group__edition__level="municipal", code="4.5")
    response = client.post(
        add_url(), form_data(world, group=municipal.group.pk, typical_process=municipal.pk)
    )
    assert response.status_code == 400
    assert "typical_process" in response.context["form"].errors


def test_official_cannot_put_row_into_another_unit(client, world):
    client.force_login(world.official)
    response = client.post(add_url(), form_data(world, unit=world.other_unit.pk))
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors


def test_identifier_unique_within_authority_but_not_across(client, world):
    client.force_login(world.official)
    response = client.post(add_url(), form_data(world, identifier="1"))
    assert response.status_code == 400
    assert "уже есть в реестре" in str(response.context["form"].errors["identifier"])
    # "1" exists in the city's registry too; that does not matter here.
    client.force_login(world.officer)
    response = client.post(add_url(), form_data(world, identifier="15"))
    assert response.status_code == 302


def test_several_placement_points_and_url(client, world):
    client.force_login(world.officer)
    points = list(PlacementPoint.objects.values_list("pk", flat=True)[:2])
    response = client.post(
        add_url(),
        form_data(world, placement_points=points, placement_url="https://omskportal.ru/service/1"),
    )
    assert response.status_code == 302
    process = Process.objects.latest("pk")
    assert set(process.placement_points.values_list("pk", flat=True)) == set(points)
    response = client.post(add_url(), form_data(world, placement_url="не адрес"))
    assert "Графа 14" in str(response.context["form"].errors["placement_url"])


def links(*entries):
    data = {"links-TOTAL_FORMS": str(len(entries))}
    for i, (link_type, authority, identifier) in enumerate(entries):
        data[f"links-{i}-link_type"] = link_type
        data[f"links-{i}-target_authority"] = authority.pk
        data[f"links-{i}-target_identifier"] = identifier
    return data


def test_links_are_stored_once_and_shown_from_both_sides(client, world):
    client.force_login(world.officer)
    data = form_data(
        world,
        **links(("predecessor", world.authority, "1"), ("successor", world.city_authority, "1")),
    )
    response = client.post(add_url(), data)
    assert response.status_code == 302
    new = Process.objects.get(authority=world.authority, identifier="3")
    assert ProcessLink.objects.filter(predecessor=world.own_row, successor=new).exists()
    assert ProcessLink.objects.filter(predecessor=new, successor=world.city_row).exists()
    assert new.links_text() == "1 (предшествующий); Администрация: 1 (последующий)"
    # The reverse: for row 1 the new row is a successor, for the city's row a predecessor.
    assert Process.objects.get(pk=world.own_row.pk).links_text() == "3 (последующий)"
    assert Process.objects.get(pk=world.city_row.pk).links_text() == (
        "Главное управление: 3 (предшествующий)"
    )


def test_link_to_unknown_identifier_is_refused(client, world):
    client.force_login(world.official)
    response = client.post(
        add_url(), form_data(world, **links(("successor", world.authority, "77")))
    )
    assert response.status_code == 400
    assert "нет процесса с идентификатором «77»" in response.content.decode()
    assert not Process.objects.filter(identifier="3").exists()


def test_duplicate_and_self_links_are_refused(client, world):
    client.force_login(world.official)
    url = reverse("registry:process_edit", args=[world.own_row.pk])
    data = form_data(world, identifier="1", version=world.own_row.version)
    response = client.post(url, {**data, **links(("successor", world.authority, "1"))})
    assert "сам с собой" in response.content.decode()
    response = client.post(
        url,
        {
            **data,
            **links(("successor", world.authority, "2"), ("predecessor", world.authority, "2")),
        },
    )
    assert "указан в связях дважды" in response.content.decode()
    assert not ProcessLink.objects.exists()


def test_cycle_and_excluded_target_are_flagged(client, world):
    make_link(world.own_row, world.other_unit_row)
    client.force_login(world.officer)
    url = reverse("registry:process_edit", args=[world.other_unit_row.pk])
    data = form_data(
        world,
        unit=world.other_unit.pk,
        identifier="2",
        version=world.other_unit_row.version,
        **links(("predecessor", world.authority, "1"), ("successor", world.authority, "1")),
    )
    # The same target twice is refused; a real cycle needs a third row.
    assert client.post(url, data).status_code == 400
    third = Process.objects.create(
        authority=world.authority,
        unit=world.unit,
        identifier="3",
        function_name="Ф",
        regulating_act="А",
        typical_process=TypicalProcess.objects.get(group__edition__level="regional", code="4.5"),
        responsible="Р",
        status=world.own_row.status,
    )
    make_link(world.other_unit_row, third)
    data = form_data(
        world,
        identifier="3",
        version=third.version,
        **links(("predecessor", world.authority, "2"), ("successor", world.authority, "1")),
    )
    response = client.post(reverse("registry:process_edit", args=[third.pk]), data, follow=True)
    warnings = [str(m) for m in response.context["messages"]]
    assert any("образуют цикл" in w for w in warnings)
    detail = client.get(reverse("registry:process_detail", args=[third.pk]))
    assert "образуют цикл: 3 → 1 → 2 → 3" in detail.content.decode()

    world.own_row.is_excluded = True
    world.own_row.save()
    detail = client.get(reverse("registry:process_detail", args=[third.pk]))
    assert "Связь с исключенным из реестра процессом «1»" in detail.content.decode()


def test_second_save_of_the_same_version_is_refused(client, world):
    url = reverse("registry:process_edit", args=[world.own_row.pk])
    version = world.own_row.version
    client.force_login(world.officer)
    first = client.post(
        url, form_data(world, identifier="1", version=version, responsible="Первый Ответственный")
    )
    assert first.status_code == 302
    client.force_login(world.official)
    second = client.post(
        url, form_data(world, identifier="1", version=version, responsible="Второй Ответственный")
    )
    assert second.status_code == 409
    body = second.content.decode()
    assert "Ваши изменения не сохранены" in body
    assert "Первый Ответственный" in body  # the current value is shown
    world.own_row.refresh_from_db()
    assert world.own_row.responsible == "Первый Ответственный"
    assert world.own_row.version == version + 1


def test_exclusion_needs_a_reason_and_keeps_the_row(client, world):
    client.force_login(world.officer)
    url = reverse("registry:process_exclude", args=[world.own_row.pk])
    response = client.post(url, {"reason": "  "})
    assert "Укажите основание исключения" in response.content.decode()
    world.own_row.refresh_from_db()
    assert not world.own_row.is_excluded
    client.post(url, {"reason": "Функция передана в другой орган власти"})
    world.own_row.refresh_from_db()
    assert world.own_row.is_excluded
    assert world.own_row.excluded_reason == "Функция передана в другой орган власти"
    assert Process.objects.filter(pk=world.own_row.pk).exists()
    # An excluded row is not edited until restored.
    response = client.get(reverse("registry:process_edit", args=[world.own_row.pk]))
    assert response.status_code == 302
    client.post(reverse("registry:process_restore", args=[world.own_row.pk]))
    world.own_row.refresh_from_db()
    assert not world.own_row.is_excluded


def test_administrator_chooses_the_authority(client, world):
    client.force_login(world.admin)
    typical = TypicalProcess.objects.get(group__edition__level="municipal", code="1.1")
    data = form_data(
        world,
        authority=world.city_authority.pk,
        unit=world.city_unit.pk,
        group=typical.group.pk,
        typical_process=typical.pk,
        status=ReengineeringStatus.objects.get(edition__level="municipal", code="research").pk,
    )
    response = client.post(add_url(), data)
    assert response.status_code == 302
    assert Process.objects.filter(authority=world.city_authority, identifier="2").exists()
    # A unit of another authority is refused.
    response = client.post(add_url(), {**data, "unit": world.unit.pk})
    assert "unit" in response.context["form"].errors
