"""The authorized officer publishes the registry; anyone reads it on the public page."""

import pytest
from playwright.sync_api import expect

from tests.conftest import World
from tests.e2e.test_browser_registry import log_in, log_out, menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_publishes_and_the_public_reads_it(page, live_server):
    world = World()
    log_in(page, live_server, world.officer.username)
    menu(page, "Реестр", "Публикация")
    expect(page.get_by_test_id("publication-status")).to_contain_text("Реестр еще не публиковался")
    page.get_by_test_id("publish-button").click()
    page.get_by_test_id("publish-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("Опубликована версия 1")
    log_out(page)

    page.goto(f"{live_server.url}/public/")
    page.get_by_role("link", name=world.authority.full_name).click()
    expect(page.get_by_test_id("public-version")).to_contain_text("Версия № 1")
    rows = page.get_by_test_id("public-rows")
    expect(rows).to_contain_text("Прием и регистрация обращений и запросов")
    expect(rows.locator("tbody tr")).to_have_count(2)
