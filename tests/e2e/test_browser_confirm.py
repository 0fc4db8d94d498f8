"""Publishing and excluding a row ask first: the modal says what will happen, «Отмена» does
nothing, and with nothing to do the button is disabled and says why."""

import re

import pytest
from playwright.sync_api import expect

from registry.models import RegistryVersion
from tests.conftest import World
from tests.e2e.test_browser_registry import log_in, menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publishing_confirms_cancel_does_nothing_and_nothing_new_disables(page, live_server):
    world = World()
    log_in(page, live_server, world.officer.username)
    menu(page, "Реестр", "Публикация")
    modal = page.get_by_test_id("publish-modal")
    expect(modal).to_be_hidden()

    page.get_by_test_id("publish-button").click()
    expect(modal).to_be_visible()
    expect(modal.get_by_test_id("confirm-text")).to_have_text(
        re.compile(r"^Будет опубликована версия 1: 2 строк[аи]?\. ")
    )
    modal.get_by_role("button", name="Отмена").click()
    expect(modal).to_be_hidden()
    assert not RegistryVersion.objects.exists()
    expect(page.get_by_test_id("publication-status")).to_contain_text("Реестр еще не публиковался")

    page.get_by_test_id("publish-button").click()
    page.get_by_test_id("publish-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("Опубликована версия 1")
    assert RegistryVersion.objects.count() == 1

    button = page.get_by_role("button", name="Опубликовать текущую версию")
    expect(button).to_be_disabled()
    expect(page.get_by_test_id("publish-refused")).to_have_text(
        "Изменений после последней публикации нет — публиковать нечего."
    )
    expect(button).to_have_attribute("aria-describedby", "publish-refused")
    expect(page.get_by_test_id("publish-modal")).to_have_count(0)


def test_without_scripts_the_confirmation_is_a_page(browser, live_server):
    world = World()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, world.officer.username)
    page.goto(f"{live_server.url}/registry/versions/")
    page.get_by_test_id("publish-button").click()
    expect(page.get_by_role("heading", name="Опубликовать реестр?")).to_be_visible()
    expect(page.get_by_test_id("confirm-text")).to_contain_text("Будет опубликована версия 1")
    assert not RegistryVersion.objects.exists()
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.locator(".alert-success")).to_contain_text("Опубликована версия 1")
    context.close()


def test_an_official_proposes_an_exclusion_in_the_modal_and_then_cannot_again(page, live_server):
    world = World()
    row = world.own_row
    log_in(page, live_server, world.official.username)
    page.goto(f"{live_server.url}{row.get_absolute_url()}")
    page.get_by_test_id("exclude-button").click()
    modal = page.get_by_test_id("exclude-modal")
    expect(modal).to_be_visible()
    expect(modal.get_by_test_id("confirm-text")).to_contain_text(
        f"Исключение строки {row.identifier} «{row.name}» войдет в новое предложение"
    )
    # item 9's grounds in the modal; «Иное» needs the official's own words
    expect(modal.get_by_test_id("exclude-grounds").locator("input[type=radio]")).to_have_count(2)
    modal.get_by_label("Иное").check()
    modal.get_by_label("Пояснение").fill("Функция передана в другой орган власти")
    modal.get_by_test_id("exclude-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"Исключение строки {row.identifier} добавлено в предложение"
    )
    row.refresh_from_db()
    assert not row.is_excluded  # until the officer approves the proposal
    page.goto(f"{live_server.url}{row.get_absolute_url()}")
    expect(page.get_by_role("button", name="Предложить исключение")).to_be_disabled()
    expect(page.get_by_test_id("exclude-refused")).to_contain_text("уже есть в предложении № ")
