"""The catalogue loaded by the data migration matches the seeds (001 regional, 004 municipal)."""

import pytest

from registry.models import (
    CatalogueEdition,
    PlacementPoint,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    RegistryColumn,
    TypicalProcess,
)
from registry.services.catalogue import load_catalogue, read_catalogue

pytestmark = pytest.mark.django_db


def test_two_editions_one_per_level():
    assert set(CatalogueEdition.objects.values_list("level", flat=True)) == {
        "regional",
        "municipal",
    }


def test_regional_edition_counts_match_seed_001():
    assert ProcessGroup.objects.filter(edition__level="regional").count() == 7
    assert TypicalProcess.objects.filter(group__edition__level="regional").count() == 60
    per_group = [
        TypicalProcess.objects.filter(group__edition__level="regional", group__code=str(n)).count()
        for n in range(1, 8)
    ]
    assert per_group == [10, 7, 10, 7, 2, 20, 4]


def test_municipal_edition_counts_match_seed_004():
    assert ProcessGroup.objects.filter(edition__level="municipal").count() == 6
    assert TypicalProcess.objects.filter(group__edition__level="municipal").count() == 56


def test_typical_process_codes_run_from_1_1_to_7_4():
    codes = list(
        TypicalProcess.objects.filter(group__edition__level="regional")
        .order_by("group__order", "order")
        .values_list("code", flat=True)
    )
    assert codes[0] == "1.1" and codes[-1] == "7.4"
    assert "6.20" in codes and "3.10" in codes


def test_verbatim_wording_spot_checks():
    regional = TypicalProcess.objects.get(group__edition__level="regional", code="1.2")
    municipal = TypicalProcess.objects.get(group__edition__level="municipal", code="1.2")
    assert regional.name == "Организация подачи заявителем запроса"
    assert municipal.name == "Организация подачи заявителем заявления"
    assert (
        TypicalProcess.objects.get(group__edition__level="regional", code="6.9").name
        == "Представление сведений о доходах, расходах, об имуществе и обязательствах "
        "имущественного характера"
    )
    assert (
        ProcessGroup.objects.get(edition__level="municipal", code="3").name
        == "Осуществление муниципального контроля"
    )
    assert (
        ProcessGroup.objects.get(edition__level="regional", code="3").name
        == "Осуществление государственного контроля (надзора)"
    )


def test_six_statuses_per_edition_in_seed_order():
    regional = list(
        ReengineeringStatus.objects.filter(edition__level="regional").values_list("name", flat=True)
    )
    assert regional == [
        "в очереди на исследование",
        "идет исследование",
        "в очереди на реинжиниринг",
        "проходит реинжиниринг",
        "прошел реинжиниринг",
        "реинжиниринг не прошел",
    ]
    municipal = ReengineeringStatus.objects.filter(edition__level="municipal")
    assert municipal.count() == 6
    assert municipal.get(code="reengineered").name == "прошел оптимизацию (реинжиниринг)"
    # Only "прошел реинжиниринг" counts as reengineered.
    assert list(
        ReengineeringStatus.objects.filter(is_reengineered=True).values_list("code", flat=True)
    ) == ["reengineered", "reengineered"]


def test_fourteen_columns_with_mandatory_ones_marked():
    for level in ("regional", "municipal"):
        columns = RegistryColumn.objects.filter(edition__level=level).order_by("number")
        assert [c.number for c in columns] == list(range(1, 15))
        assert [c.number for c in columns if c.mandatory] == [1, 3, 5, 7, 8, 9]
    assert (
        RegistryColumn.objects.get(edition__level="regional", number=3).header
        == "Название функции, услуги, сервиса"
    )
    assert (
        RegistryColumn.objects.get(edition__level="municipal", number=3).header
        == "Название услуги, функции, сервиса"
    )


def test_process_kinds_and_placement_points():
    assert list(
        ProcessKind.objects.filter(edition__level="municipal").values_list("name", flat=True)
    ) == ["цифровой", "не цифровой"]
    assert list(
        ProcessKind.objects.filter(edition__level="regional").values_list("name", flat=True)
    ) == ["цифровой", "нецифровой"]
    assert PlacementPoint.objects.count() == 3
    assert PlacementPoint.objects.first().name.startswith("Единый портал государственных")


def test_loading_again_changes_nothing():
    before = TypicalProcess.objects.count(), ReengineeringStatus.objects.count()
    from django.apps import apps

    load_catalogue(lambda name: apps.get_model("registry", name), read_catalogue())
    assert (TypicalProcess.objects.count(), ReengineeringStatus.objects.count()) == before
