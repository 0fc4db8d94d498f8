"""Import edge cases found in review: hostile files, ambiguous names, what counts as a change."""

import io

import openpyxl
import pytest
from django.urls import reverse

from registry.models import ImportBatch, LifeSituation, Process, ProcessLink
from registry.services.xlsx_export import export_registry
from registry.services.xlsx_import import RegistryImport
from tests.conftest import make_link, make_org, make_process
from tests.registry.test_xlsx_import import by_identifier, file_error, preview, upload
from tests.registry.xlsx_files import row, workbook_bytes

pytestmark = pytest.mark.django_db


def sparse_file(far_cell: str) -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Идентификатор процесса"
    book.active[far_cell] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_tiny_file_declaring_far_cells_is_refused_without_eating_memory(world):
    data = sparse_file("XFD50000")
    assert len(data) < 10_000
    assert "слишком много памяти" in file_error(world, data)


def test_a_sheet_too_tall_or_too_wide_is_refused(world):
    assert "слишком большой" in file_error(world, sparse_file("N60000"))
    assert "слишком большой" in file_error(world, sparse_file("CZ10"))


def test_links_to_an_authority_with_a_repeated_short_name_must_say_which(world):
    other_city = make_org("municipality", "Город Тара", level="municipal")
    tara = make_org(
        "authority",
        "Администрация Тарского муниципального района",
        other_city,
        short_name="Администрация",
    )
    make_process(tara, make_org("unit", "Отдел", tara), "1", typical_code="1.1")
    data = workbook_bytes([row("50", c12="Администрация: 1 (последующий)")])
    errors = preview(world, data).rows[0].errors
    assert "так называются несколько органов власти" in errors[0]
    assert "«Администрация города Омска»" in errors[0]
    data = workbook_bytes(
        [row("50", c12="Администрация Тарского муниципального района: 1 (последующий)")]
    )
    assert preview(world, data).rows[0].errors == []


def test_round_trip_with_links_to_another_authoritys_excluded_row(world, tmp_path):
    make_link(world.own_row, world.city_row)
    Process.objects.filter(pk=world.city_row.pk).update(is_excluded=True)
    path = tmp_path / "e.xlsx"
    export_registry(Process.objects.filter(authority=world.authority), str(path))
    report = RegistryImport(world.authority, None, None).preview(path.read_bytes())
    assert [r.action for r in report.rows] == ["unchanged", "unchanged"], report.text()


def test_a_link_another_authority_entered_is_kept_and_not_shown_as_a_change(world, tmp_path):
    make_link(world.city_row, world.own_row, owner=world.city_authority)
    data = workbook_bytes([row("1", c4="", c12="")])  # the file does not mention the link
    importer = RegistryImport(world.authority, world.officer, world.unit)
    report = importer.preview(data)
    assert by_identifier(report)["1"].action == "unchanged", report.text()
    assert ProcessLink.objects.count() == 1


def test_a_change_of_line_breaks_inside_a_cell_is_a_change(world):
    world.own_row.regulating_act = "Закон А\nЗакон Б"
    world.own_row.save()
    data = workbook_bytes([row("1", c4="", c5="Закон А Закон Б")])
    entry = preview(world, data).rows[0]
    assert entry.action == "changed"
    assert [c.column for c in entry.changes] == [5]
    data = workbook_bytes([row("1", c4="", c5="  Закон А  \r\nЗакон Б ")])
    assert preview(world, data).rows[0].action == "unchanged"


def test_a_known_life_situation_in_another_case_is_not_a_change(world):
    world.own_row.life_situation = LifeSituation.get_or_create_by_name("Рождение ребёнка")
    world.own_row.save()
    entry = preview(world, workbook_bytes([row("1", c2="рождение ребенка", c4="")])).rows[0]
    assert entry.action == "unchanged", entry.changes


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"c1": "1" * 51}, "Графа 1: идентификатор длиннее 50 символов"),
        ({"c2": "ж" * 501}, "Графа 2: жизненная ситуация длиннее 500 символов"),
        ({"c14": "https://" + "a" * 600 + ".ru"}, "Графа 14"),
        ({"c14": "http://пример с пробелом"}, "Графа 14"),
    ],
)
def test_values_too_long_for_the_registry_are_errors(world, overrides, message):
    entry = preview(world, workbook_bytes([row("5", **overrides)])).rows[0]
    assert entry.action == "error"
    assert any(message in e for e in entry.errors), entry.errors


def test_an_identifier_stored_as_a_number_or_date_is_an_error(world):
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes([row("7")])))
    book.active["A5"] = 1.10  # Excel turned "1.10" into a number
    buffer = io.BytesIO()
    book.save(buffer)
    entry = preview(world, buffer.getvalue()).rows[0]
    assert "записан в таблице как число или дата" in entry.errors[0]


def test_confirming_twice_applies_once(client, world):
    client.force_login(world.officer)
    upload(client, workbook_bytes([row("600")]), default_unit=world.unit.pk)
    batch = ImportBatch.objects.get()
    url = reverse("registry:import_confirm", args=[batch.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "уже применена или отменена" in response.content.decode()
    assert Process.objects.filter(identifier="600").count() == 1


def test_an_officer_moved_to_another_authority_no_longer_sees_the_upload(client, world):
    client.force_login(world.officer)
    upload(client, workbook_bytes([row("601")]), default_unit=world.unit.pk)
    batch = ImportBatch.objects.get()
    world.officer.organization = world.city_authority
    world.officer.save()
    client.force_login(world.officer)
    assert client.get(reverse("registry:import_detail", args=[batch.pk])).status_code == 404


def test_an_official_may_link_to_another_units_row_that_is_in_the_file(world):
    data = workbook_bytes(
        [
            row("1", c4="", c12="2 (последующий)"),
            row("2", c4="", c7="Определение исполнителей по рассмотрению обращений и запросов"),
        ]
    )
    importer = RegistryImport(world.authority, world.official, world.unit)
    report = importer.preview(data)
    assert not report.has_errors, report.text()
    assert by_identifier(report)["1"].action == "changed"
    importer.apply(data, report.fingerprint())
    assert ProcessLink.objects.filter(
        predecessor=world.own_row, successor=world.other_unit_row
    ).exists()
