"""The coordinator's deadlines board in a real headless Chromium."""

import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import World
from tests.e2e.test_browser_registry import log_in, menu
from tests.roadmaps.conftest import Board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_reads_deadlines_filters_and_exports(page, live_server):
    world = World()
    board = Board(world, timezone.localdate())
    log_in(page, live_server, world.coordinator.username)

    menu(page, "Дорожные карты", "Сроки мероприятий")
    expect(page.locator("h1")).to_contain_text("Сроки мероприятий дорожных карт")
    rows = page.locator("[data-testid=deadlines] tbody tr")
    expect(rows).to_have_count(len(board.order))
    first = rows.first
    expect(first).to_have_attribute("data-state", "overdue")
    expect(first).to_contain_text("просрочено")
    expect(first).to_contain_text("Прил. № 29")
    expect(page.locator("[data-testid=progress-per-authority] .progress-stacked")).to_have_count(3)

    # The plan owners load as one types (select2 of django-autocomplete-light).
    page.click("#id_authority + .select2-container .select2-selection")
    page.locator(".select2-container--open .select2-search__field").fill("города Омска")
    choices = page.locator(".select2-results__option")
    expect(choices).to_have_count(1)
    choices.first.click()
    expect(page.locator("#id_authority")).to_have_value(str(world.city_authority.pk))
    page.click("button[type=submit]:has-text('Показать')")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("ДИО")
    expect(rows.first).to_have_attribute("data-state", "overdue")

    href = page.get_by_test_id("export-xlsx").get_attribute("href")
    assert "authority=" in href and "export=xlsx" in href
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert download.failure() is None
    book = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    assert book.sheetnames == ["Мероприятия"]  # one table, each row naming its plan
    rows = list(book.active.iter_rows(values_only=True))
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("Орган власти", "Дорожная карта", "№ п/п"),
        (board.city.owner.full_name, str(board.city), board.city_item.number),
    ]
