"""An authorized officer amends his roadmap by a legal act in a real headless Chromium."""

import pytest
from playwright.sync_api import expect

from tests.conftest import World
from tests.e2e.test_browser_registry import log_in
from tests.roadmaps.conftest import import_omsk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_checks_and_applies_an_amendment(page, live_server):
    world = World()
    roadmap = import_omsk()
    log_in(page, live_server, world.officer.username)
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/")
    page.get_by_role("link", name="Внести изменения актом").click()
    expect(page.locator("h1")).to_contain_text("Внесение изменений в дорожную карту")

    row = page.locator("[data-testid=amend-rows] tr[data-number='1.4.']")
    row.locator("input[name$='-deadline_text']").fill("до 01.03.2025")
    page.get_by_role("button", name="Проверить изменения", exact=True).click()
    plan = page.get_by_test_id("amend-plan")
    expect(plan).to_contain_text("Изменено пунктов — 1, новых — 0, исключено — 0")
    expect(plan).to_contain_text("до 01.03.2025")
    # the check wrote nothing; the act is asked for only when writing
    page.get_by_role("button", name="Внести изменения").click()
    expect(page.locator(".alert-danger").first).to_contain_text("Укажите реквизиты правового акта")

    page.select_option("#id_act-kind", value="order")
    page.fill("#id_act-number", "15-рп")
    page.fill("#id_act-date", "2025-02-20")
    page.fill("#id_act-issued_by", "Правительства Омской области")
    page.get_by_role("button", name="Внести изменения").click()
    expect(page.locator(".alert-success")).to_contain_text("Изменения внесены на основании акта")
    expect(page.get_by_test_id("changes")).to_contain_text(
        "После 19.02.2025 добавлено или изменено пунктов: 1."
    )
    changed = page.locator("[data-testid=roadmap-items] tr[data-number='1.4.']")
    expect(changed).to_contain_text("до 01.03.2025")
    expect(changed).to_contain_text("изменено: срок реализации")
    expect(page.get_by_test_id("acts")).to_contain_text("от 20.02.2025 № 15-рп")
