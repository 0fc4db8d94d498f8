"""Registry rows in a real headless Chromium (Debian's /usr/bin/chromium)."""

import pytest
from playwright.sync_api import expect

from registry.models import Process, TypicalProcess
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def select_starting_with(page, selector, prefix):
    labels = page.locator(f"{selector} option").all_inner_texts()
    label = next(text for text in labels if text.startswith(prefix))
    page.select_option(selector, label=label)


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")  # not the low-vision switch above the menu
    expect(page.get_by_test_id("current-user")).to_be_visible()


def menu(page, section, item):
    """Opens a menu of the bar and follows one of its links."""
    page.locator("[data-testid=main-menu]").get_by_role("button", name=section, exact=True).click()
    page.locator(".dropdown-menu.show").get_by_role("link", name=item, exact=True).click()


def log_out(page):
    """«Выйти» is in the user menu at the right of the bar."""
    page.get_by_test_id("current-user").click()
    page.get_by_test_id("logout").click()


def fill_new_row(page):
    """Column 7 follows column 6 without a reload: only group 6's typical processes remain."""
    page.select_option(
        "#id_group", label="6. Организация отношений с внутренним клиентом (сотрудником)"
    )
    options = page.locator("#id_typical_process option").all_inner_texts()
    group6 = TypicalProcess.objects.filter(
        group__edition__level="regional", group__code="6"
    ).count()
    assert len(options) == group6 + 1  # and the empty choice
    assert all(o.startswith("6.") for o in options[1:])
    page.select_option("#id_typical_process", label="6.4. Предоставление отпуска")
    page.fill("#id_function_name", "Организация прохождения государственной гражданской службы")
    page.fill("#id_regulating_act", "Федеральный закон от 27.07.2004 № 79-ФЗ")
    page.fill("#id_responsible", "Сидорова Мария Петровна, консультант ОПФО Главного управления")
    page.select_option("#id_status", label="идет исследование")
    page.click("#process-form button[type=submit]")


def test_officer_adds_a_row_choosing_group_then_typical_process(page, live_server):
    world = World()
    log_in(page, live_server, world.officer.username)

    menu(page, "Реестр", "Внести процесс")
    expect(page.locator("h1")).to_contain_text("Внесение процесса в реестр")
    page.select_option("#id_unit", value=str(world.unit.pk))
    fill_new_row(page)

    expect(page.locator(".alert-success")).to_contain_text("внесен в реестр")
    process = Process.objects.get(function_name__startswith="Организация прохождения")
    assert process.typical_process.code == "6.4"
    assert process.unit == world.unit

    # The list, filtered by group and search, shows the new row.
    page.goto(f"{live_server.url}/registry/processes/")
    select_starting_with(page, "#id_group", "6. Организация отношений")
    page.fill("input[name=q]", "прохождения гражданской")
    page.click("button:has-text('Показать')")
    table = page.locator("table.registry-table tbody")
    expect(table.locator("tr")).to_have_count(1)
    expect(table).to_contain_text("Предоставление отпуска")
    expect(page.get_by_test_id("row-count")).to_have_text("Найдено: 1")


def test_missing_mandatory_column_is_named_at_the_field(page, live_server):
    world = World()
    log_in(page, live_server, world.official.username)
    page.goto(f"{live_server.url}/registry/processes/add/")
    select_starting_with(page, "#id_group", "4. ")
    select_starting_with(page, "#id_typical_process", "4.1. ")
    page.click("button[type=submit]:has-text('Предложить изменение')")
    expect(page.get_by_test_id("error-regulating_act")).to_have_text(
        "Графа 5 «Регулирующий акт» обязательна для заполнения."
    )
    # The chosen group and typical process survive the failed submission.
    expect(page.locator("#id_typical_process")).to_have_value(
        str(TypicalProcess.objects.get(group__edition__level="regional", code="4.1").pk)
    )
    assert Process.objects.filter(authority=world.authority).count() == 2
