"""The public pages in Chromium (issue 14, item 5): axe-core finds no serious or critical
violation on any of them, at 1366×768 and on a phone, in the usual version and the one for
the visually impaired; nothing scrolls sideways; the registry's header row stays in view."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from registry.services import publication
from tests.conftest import World, make_process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# axe-core from npm (pinned, its LICENSE beside it), run inside the page under test.
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
LOW_VISION = re.compile(r"\blow-vision\b")
SCREENS = {"1366×768": (1366, 768), "phone 390×844": (390, 844)}

SERIOUS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} — `
      + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
}"""


@pytest.fixture
def data():
    world = World()
    for n in range(3, 31):  # two pages of rows
        make_process(world.authority, world.unit, str(n), function_name=f"Функция номер {n}")
    publication.publish(world.authority, world.officer)
    return world  # the city's authority has published nothing


def public_urls(world):
    return {
        "start page": "/",
        "published registries": "/public/",
        "an authority's registry": f"/public/{world.authority.pk}/",
        "its second page": f"/public/{world.authority.pk}/?page=2",
        "a search": f"/public/{world.authority.pk}/?q=номер 12",
        "a search finding nothing": f"/public/{world.authority.pk}/?q=несуществующее",
        "not yet published": f"/public/{world.city_authority.pk}/",
        "sign-in": "/accounts/login/",
    }


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("low_vision", [False, True], ids=["usual", "low vision"])
def test_axe_finds_nothing_serious_on_any_public_page(page, live_server, data, low_vision):
    page.add_init_script(path=str(AXE))
    if low_vision:
        page.context.add_cookies([{"name": "low_vision", "value": "1", "url": live_server.url}])
    problems = []
    for screen, (width, height) in SCREENS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, url in public_urls(data).items():
            response = page.goto(live_server.url + url)
            assert response.status == 200, url
            assert ("low-vision" in page.locator("body").get_attribute("class")) is low_vision
            problems += [f"{screen}, {name}: {v}" for v in page.evaluate(SERIOUS)]
            if not fits(page):
                problems.append(f"{screen}, {name}: the page scrolls sideways")
    assert not problems, "\n".join(problems)


def test_wide_screen_table_scrolls_in_its_box_with_its_header_in_view(page, live_server, data):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/public/{data.authority.pk}/")
    box = page.get_by_test_id("public-table")
    expect(box).to_be_visible()
    expect(page.get_by_test_id("public-cards")).to_be_hidden()
    expect(box.locator("tbody tr")).to_have_count(20)
    assert fits(page)
    # The whole box is on the first screen, so its own scrollbars are in view.
    assert box.bounding_box()["y"] + box.bounding_box()["height"] <= 768
    header = box.locator("thead th").nth(3)
    top = box.bounding_box()["y"]
    box.evaluate("(el) => { el.scrollTop = 2000; el.scrollLeft = 900; }")
    assert abs(header.bounding_box()["y"] - top) < 3  # still at the top of the box
    identifier = box.locator("tbody th").last
    assert abs(identifier.bounding_box()["x"] - box.bounding_box()["x"]) < 3  # and at its left
    expect(page.get_by_test_id("public-version")).to_contain_text("Версия № 1 от")
    page.get_by_role("link", name="далее").click()
    expect(box.locator("tbody tr")).to_have_count(10)


def test_phone_shows_a_card_per_row(page, live_server, data):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/public/{data.authority.pk}/")
    expect(page.get_by_test_id("public-table")).to_be_hidden()
    cards = page.get_by_test_id("public-cards").locator("li.card")
    expect(cards).to_have_count(20)
    expect(cards.first).to_contain_text("3. Название функции, услуги, сервиса")
    assert fits(page)


def test_search_and_the_switch_work_without_javascript(browser, live_server, data):
    screen = {"width": 1366, "height": 768}
    context = browser.new_context(java_script_enabled=False, viewport=screen)
    page = context.new_page()
    page.goto(f"{live_server.url}/public/{data.authority.pk}/")
    page.get_by_label("Поиск по реестру").fill("номер 12")
    page.get_by_role("button", name="Найти").click()
    expect(page.get_by_test_id("public-found")).to_contain_text("Найдено строк: 1 из 30")
    page.get_by_role("button", name="Версия для слабовидящих").click()
    expect(page.locator("body")).to_have_class(LOW_VISION)
    # The search is kept; the rows are cards even on a wide screen; other pages follow.
    expect(page.get_by_test_id("public-found")).to_contain_text("Найдено строк: 1 из 30")
    expect(page.get_by_test_id("public-cards")).to_be_visible()
    expect(page.get_by_test_id("public-table")).to_be_hidden()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("body")).to_have_class(LOW_VISION)
    page.get_by_role("button", name="Обычная версия сайта").click()
    expect(page.locator("body")).not_to_have_class(LOW_VISION)
    context.close()
