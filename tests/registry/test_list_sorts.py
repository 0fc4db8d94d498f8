"""The registry list's sorts (issue 13): every sortable column in both directions, on the keys
its index holds, and the stored catalogue keys kept when rows, the catalogue or
organizations change."""

import pytest
from django.urls import reverse

from registry.models import (
    Process,
    ProcessKind,
    ReengineeringStatus,
    TypicalProcess,
)
from registry.services import processes as process_service
from registry.services import sort_keys
from registry.tables import ProcessTable
from tests.conftest import make_process

pytestmark = pytest.mark.django_db


def listed(client, sort, **query):
    # every column shown: a list sorts only by a column it shows
    columns = list(ProcessTable._meta.sequence)
    response = client.get(
        reverse("registry:process_list"), {"sort": sort, "columns": columns, **query}
    )
    assert response.status_code == 200
    return [r.record.identifier for r in response.context["table"].page.object_list]


def rows_of(world, *values):
    """Rows 11, 12, 13 of the officer's authority with these (field, value) per row."""
    for i, fields in enumerate(values):
        make_process(world.authority, world.unit, str(11 + i), **fields)


@pytest.fixture
def officer(client, world):
    # world's own rows 1 and 2 are left out of the comparison: only 11-13 are in force
    Process.objects.filter(identifier__in=["1", "2"]).update(is_excluded=True)
    client.force_login(world.officer)
    return client


@pytest.mark.parametrize(
    "column", ["function_name", "client", "regulating_act", "responsible", "input_data"]
)
def test_free_text_sorts_by_the_text_both_ways(officer, world, column):
    rows_of(world, {column: "Б"}, {column: "А" + "я" * 200}, {column: "В"})
    assert listed(officer, column) == ["12", "11", "13"]
    assert listed(officer, f"-{column}") == ["13", "11", "12"]


def test_equal_texts_keep_a_stable_order_by_row(officer, world):
    long = "А" * 150  # equal in the sort key's 100 characters and beyond
    rows_of(world, {"output_data": long}, {"output_data": long}, {"output_data": "Б"})
    first, second = Process.objects.filter(identifier__in=["11", "12"]).order_by("pk")
    assert listed(officer, "output_data") == [first.identifier, second.identifier, "13"]
    assert listed(officer, "-output_data") == ["13", second.identifier, first.identifier]


def status(world, code):
    return ReengineeringStatus.objects.get(edition__level=world.authority.level, code=code)


def test_status_and_kind_sort_in_catalogue_order(officer, world):
    rows_of(
        world,
        {"status_code": "reengineered"},
        {"status_code": "research_queued"},
        {"status_code": "research"},
    )
    assert listed(officer, "status") == ["12", "13", "11"]
    assert listed(officer, "-status") == ["11", "13", "12"]
    non_digital = ProcessKind.objects.get(edition__level="regional", code="non_digital")
    row = Process.objects.get(authority=world.authority, identifier="12")
    row.kind = non_digital
    row.save()
    assert listed(officer, "kind") == ["11", "13", "12"]
    assert listed(officer, "-kind") == ["12", "13", "11"]


def test_group_and_name_sort_in_catalogue_order_then_non_typical_names(officer, world):
    rows_of(
        world,
        {"typical_code": "6.4"},
        {"typical_code": "1.2"},
        {"typical_code": "1.1"},
    )
    assert listed(officer, "name") == ["13", "12", "11"]
    assert listed(officer, "-group") == ["11", "12", "13"]


def test_every_sortable_column_answers_both_ways(officer, world):
    rows_of(world, {}, {}, {})
    for column in ProcessTable([]).columns:
        if column.orderable:
            assert sorted(listed(officer, column.name)) == ["11", "12", "13"]
            assert sorted(listed(officer, f"-{column.name}")) == ["11", "12", "13"]


def test_a_new_catalogue_order_reaches_the_rows(officer, world):
    rows_of(world, {"status_code": "research_queued"}, {"status_code": "research"})
    first = status(world, "research_queued")
    first.order = 99
    first.save()
    # its rows, excluded ones too; an organization has no catalogue order and is passed by
    assert sort_keys.entries_changed([first, world.unit]) == 3
    assert listed(officer, "status") == ["12", "11"]
    assert sort_keys.entries_changed([first]) == 0  # nothing left to bring along


def test_the_admin_brings_a_reordered_status_along(client, world):
    rows_of(world, {"status_code": "research_queued"}, {"status_code": "research"})
    entry = status(world, "research_queued")
    client.force_login(world.admin)
    url = reverse("admin:registry_reengineeringstatus_change", args=[entry.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["order"] = 99
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Process.objects.get(authority=world.authority, identifier="11").status_order == 99


def test_renamed_typical_process_keeps_its_place_and_shows_its_new_name(officer, world):
    rows_of(world, {"typical_code": "1.2"}, {"typical_code": "1.1"})
    typical = TypicalProcess.objects.get(group__edition__level="regional", code="1.2")
    typical.name = "Аааа — первый по алфавиту, но второй по перечню"
    typical.save()
    assert listed(officer, "name") == ["12", "11"]
    response = officer.get(reverse("registry:process_list"), {"sort": "name"})
    assert typical.name in response.content.decode()


def test_renamed_row_and_changed_typical_process_move_in_the_sort(officer, world):
    rows_of(world, {"function_name": "А"}, {"function_name": "Б", "typical_code": "6.4"})
    row = Process.objects.with_related().get(authority=world.authority, identifier="11")
    row.function_name = "Я"
    row.typical_process = TypicalProcess.objects.get(group__edition__level="regional", code="7.4")
    process_service.update_process(row, row.version, [], [], world.officer)
    assert listed(officer, "function_name") == ["12", "11"]
    assert listed(officer, "name") == ["12", "11"]
    row.refresh_from_db()
    typical = row.typical_process
    assert (row.group_order, row.typical_order) == (typical.group.order, typical.order)


def test_renamed_organization_moves_in_the_authority_sort(client, world):
    client.force_login(world.coordinator)

    def authorities(sort):
        response = client.get(reverse("registry:process_list"), {"sort": sort})
        return [r.record.authority_id for r in response.context["table"].page.object_list]

    city = world.city_authority.pk
    world.city_authority.full_name = "Яя администрация"
    world.city_authority.save()
    assert authorities("authority")[-1] == city
    assert authorities("-authority")[0] == city
    world.city_authority.full_name = "Аа администрация"
    world.city_authority.save()
    assert authorities("authority")[0] == city


def test_life_situations_sort_by_name_and_a_rename_reaches_the_rows(officer, world):
    from registry.models import LifeSituation

    birth = LifeSituation.get_or_create_by_name("Рождение ребенка")
    move = LifeSituation.get_or_create_by_name("Переезд")
    rows_of(world, {"life_situation": birth}, {"life_situation": move}, {})
    assert listed(officer, "life_situation") == ["12", "11", "13"]  # none last
    assert listed(officer, "-life_situation") == ["13", "11", "12"]
    birth.name = "Ааа рождение ребенка"
    birth.save()
    assert sort_keys.entries_changed([birth]) == 1
    assert listed(officer, "life_situation") == ["11", "12", "13"]


def test_excluded_rows_shown_sort_among_the_others(officer, world):
    rows_of(world, {"function_name": "Б"}, {"function_name": "В"})
    Process.objects.filter(authority=world.authority, identifier="1").update(
        function_name="А", is_excluded=True
    )
    assert listed(officer, "function_name", excluded="with")[:3] == ["1", "11", "12"]
    assert listed(officer, "-function_name", excluded="only") == ["2", "1"]
