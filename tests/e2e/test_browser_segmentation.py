"""An official creates a segment profile with three attributes and finds it in coverage."""

import pytest
from playwright.sync_api import expect

from segmentation.models import SegmentProfile
from tests.conftest import World
from tests.e2e.test_browser_registry import log_in, menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_profile_with_three_attributes_appears_in_coverage(page, live_server):
    world = World()
    log_in(page, live_server, world.official.username)
    menu(page, "Сегментация", "Профили клиентских сегментов")
    page.click("a:has-text('Создать профиль')")
    page.fill("#id_direction", "Реализация молодежной политики")
    page.fill("#id_name", "Инициаторы молодежных проектов")
    # The form starts with three rows; a fourth is added and left empty.
    page.click("#add-attribute")
    for i, (attribute, value) in enumerate(
        [("Возраст", "14–35 лет"), ("Место проживания", "Омская область"), ("Статус", "студент")]
    ):
        page.fill(f"#id_attributes-{i}-attribute", attribute)
        page.fill(f"#id_attributes-{i}-value", value)
    page.get_by_label(world.own_row.group.name).check()
    page.click("button:has-text('Сохранить')")

    expect(page.get_by_test_id("profile-name")).to_have_text("Инициаторы молодежных проектов")
    expect(page.get_by_test_id("attributes").locator("tbody tr")).to_have_count(3)
    assert SegmentProfile.objects.get().attributes.count() == 3

    page.goto(f"{live_server.url}/segmentation/coverage/")
    row = page.get_by_test_id("coverage").locator("tr", has_text=world.own_row.group.name)
    expect(row.get_by_role("link", name="Инициаторы молодежных проектов")).to_be_visible()
    expect(row.locator("td[data-aspect=profile]")).to_contain_text("все услуги")
