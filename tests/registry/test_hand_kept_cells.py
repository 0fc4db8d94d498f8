"""Registries as authorities keep them by hand (issue 15 point 11): «-», «нет», «отсутствует»
mean an empty cell, a placement point named in people's own words is the catalogue's point;
each is a warning on the row, never an error of an otherwise good row."""

import pytest

from registry.models import CellVariant, PlacementPoint
from tests.registry.test_xlsx_import import by_identifier, preview
from tests.registry.xlsx_files import row, workbook_bytes

pytestmark = pytest.mark.django_db

EPGU = "Единый портал государственных и муниципальных услуг (функций)"
RPGU = "Региональный портал государственных и муниципальных услуг (функций)"
SITE = "Сайт органа власти"


def points_of(entry) -> list[str]:
    names = dict(PlacementPoint.objects.values_list("pk", "name"))
    return [names[pk] for pk in entry.values["placement_point_ids"]]


@pytest.mark.parametrize("dash", ["-", "—", "–", "нет", "Отсутствует", "не имеется", "Нет."])
def test_a_dash_or_no_means_an_empty_cell_with_a_warning(world, dash):
    report = preview(world, workbook_bytes([row("1", c4=dash, c10=dash, c13=dash, c14=dash)]))
    entry = report.rows[0]
    assert entry.errors == [] and not report.has_errors
    assert entry.values["client"] == "" and entry.values["input_data"] == ""
    assert entry.values["kind_id"] is None and entry.values["placement_point_ids"] == []
    assert f"Графа 4: «{dash}» понято как пустая ячейка." in entry.warnings
    assert any(w.startswith("Графа 14:") for w in entry.warnings)


def test_a_dash_in_a_mandatory_column_is_still_missing(world):
    entry = preview(world, workbook_bytes([row("1", c8="—")])).rows[0]
    assert any("Графа 8" in error and "обязательна" in error for error in entry.errors)


@pytest.mark.parametrize(
    "text, point",
    [
        ("Официальный сайт Главного управления", SITE),
        ("сайт министерства", SITE),
        ("портал госуслуг", EPGU),
        ("Госуслуги", EPGU),
        ("ЕПГУ", EPGU),
        ("РПГУ", RPGU),
        ("«Госуслуги»", EPGU),
        # item 23 of seed 001 names the site so
        (
            'официальный сайт органа власти в информационно-телекоммуникационной сети "Интернет"',
            SITE,
        ),
    ],
)
def test_placement_points_in_peoples_own_words(world, text, point):
    report = preview(world, workbook_bytes([row("1", c14=text)]))
    entry = report.rows[0]
    assert entry.errors == [] and points_of(entry) == [point]
    assert f"Графа 14: «{text}» понято как точка размещения «{point}»." in entry.warnings


def test_column_14_written_as_the_seeds_header_lists_its_points(world):
    """Seed 001's header of column 14 lists the three points with commas, in lower case."""
    text = (
        "Единый портал государственных и муниципальных услуг (функций), региональный портал "
        "государственных и муниципальных услуг (функций), сайт органа власти"
    )
    entry = preview(world, workbook_bytes([row("1", c14=text)])).rows[0]
    assert entry.errors == [] and points_of(entry) == [EPGU, RPGU, SITE]


def test_several_variants_and_an_address_in_one_cell(world):
    entry = preview(
        world,
        workbook_bytes([row("1", c14="Госуслуги; сайт министерства\nhttps://mdm.omskportal.ru")]),
    ).rows[0]
    assert entry.errors == [] and points_of(entry) == [EPGU, SITE]
    assert entry.values["placement_url"] == "https://mdm.omskportal.ru"


def test_unknown_words_stay_an_error_and_the_catalogue_names_need_no_warning(world):
    report = preview(world, workbook_bytes([row("1", c14="почтой"), row("2", c14=EPGU)]))
    rows = by_identifier(report)
    assert any("«почтой» — не точка размещения" in e for e in rows["1"].errors)
    assert rows["2"].errors == [] and rows["2"].warnings == []


def test_the_variants_are_data_an_entry_added_in_the_admin_is_understood(world):
    site = PlacementPoint.objects.get(code="site")
    CellVariant.objects.create(text="Сайт Минспорта", meaning="placement", placement_point=site)
    entry = preview(world, workbook_bytes([row("1", c14="сайт минспорта")])).rows[0]
    assert entry.errors == [] and points_of(entry) == [SITE]
    CellVariant.objects.filter(text="Госуслуги").delete()
    entry = preview(world, workbook_bytes([row("1", c14="Госуслуги")])).rows[0]
    assert entry.errors


def test_the_report_page_shows_the_warning(client, world):
    from tests.registry.test_xlsx_import import upload

    client.force_login(world.officer)
    data = workbook_bytes([row("500", c4="отсутствует")])
    response = upload(client, data, default_unit=world.unit.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Графа 4: «отсутствует» понято как пустая ячейка." in page
