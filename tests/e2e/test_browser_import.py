"""An authorized officer uploads the registry spreadsheet, reads the preview and confirms."""

import pytest
from playwright.sync_api import expect

from registry.models import Process
from tests.conftest import World
from tests.e2e.test_browser_registry import log_in, menu
from tests.registry.xlsx_files import row, workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_uploads_previews_and_confirms(page, live_server, tmp_path):
    world = World()
    path = tmp_path / "Реестр Главного управления.xlsx"
    path.write_bytes(
        workbook_bytes(
            [
                row("1", c4="", c8="Петров Петр Петрович, консультант"),
                row("2", c4="", c7="Определение исполнителей по рассмотрению обращений и запросов"),
                row("3", c12="1 (предшествующий)", c9="прошел реинжиниринг"),
            ]
        )
    )
    log_in(page, live_server, world.officer.username)
    menu(page, "Реестр", "Загрузка реестра из файла")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_default_unit", label="ОПФО Главного управления")
    page.click("button:has-text('Проверить файл')")

    counts = page.get_by_test_id("import-counts")
    expect(counts).to_contain_text("новых: 1")
    expect(counts).to_contain_text("изменится: 1")
    expect(counts).to_contain_text("без изменений: 1")
    rows = page.get_by_test_id("import-rows")
    expect(rows).to_contain_text("Петров Петр Петрович, консультант")
    assert not Process.objects.filter(authority=world.authority, identifier="3").exists()

    page.click("button:has-text('Применить')")
    expect(page.locator(".alert-success")).to_contain_text("новых строк — 1, измененных — 1")
    expect(page.get_by_test_id("batch-status")).to_have_text("применен")
    new = Process.objects.get(authority=world.authority, identifier="3")
    assert new.links_text() == "1 (предшествующий)"
    assert Process.objects.get(pk=world.own_row.pk).responsible.startswith("Петров")


def test_a_bad_file_is_explained_and_nothing_is_written(page, live_server, tmp_path):
    world = World()
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    log_in(page, live_server, world.official.username)
    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Проверить файл')")
    expect(page.get_by_test_id("file-error")).to_contain_text("не является электронной таблицей")
    expect(page.locator("button:has-text('Применить')")).to_have_count(0)
    assert Process.objects.count() == 3
