"""The registry list's authority and unit filters load their choices as one types (select2 of
django-autocomplete-light, issue 13): in Chromium, under the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests.conftest import World, make_authorities
from tests.e2e.test_browser_csp import Watch
from tests.e2e.test_browser_registry import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_choices(page, name):
    page.click(f"#id_{name} + .select2-container .select2-selection")
    return page.locator(".select2-container--open .select2-search__field")


def test_coordinator_types_part_of_an_authority_name_and_the_table_narrows(page, live_server):
    world = World()
    make_authorities(world.region, 30, rows=1)
    watch = Watch(page)
    log_in(page, live_server, world.coordinator.username)
    watch.visit(f"{live_server.url}/registry/processes/")
    expect(page.get_by_test_id("row-count")).to_have_text("Найдено: 33")
    assert page.locator("#id_authority option").count() == 1  # «все» only

    # Another case and ё for е: «молодежной политики».
    open_choices(page, "authority").fill("МОЛОДЁЖНОЙ полит")
    results = page.locator(".select2-results__option")
    expect(results).to_have_text(["Главное управление"])
    results.first.click()
    expect(page.locator("#id_authority")).to_have_value(str(world.authority.pk))

    # The unit list follows the chosen authority (DAL's forward), in the order of full names.
    open_choices(page, "unit")
    expect(results).to_have_text(["ОПФО Главного управления", "ОПОИ Главного управления"])
    page.keyboard.press("Escape")

    page.click("button:has-text('Показать')")
    expect(page.get_by_test_id("row-count")).to_have_text("Найдено: 2")
    rows = page.locator("table.registry-table tbody tr")
    expect(rows).to_have_count(2)
    # On reload the choice is shown by its label (the one option rendered).
    expect(page.locator("#id_authority + .select2-container")).to_contain_text("Главное управление")
    watch.check("the authority filter")
