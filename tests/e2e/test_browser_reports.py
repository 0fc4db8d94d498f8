"""The printable execution report in a real headless Chromium at 1366×768: on screen it fits
the window; printed, the bar and the buttons are gone, the table is whole (no scroll box),
its header repeats on each page, and Chromium prints it to PDF."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import World
from tests.e2e.test_browser_registry import log_in
from tests.roadmaps.conftest import import_omsk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZE = {"width": 1366, "height": 768}


def test_execution_report_prints_whole_at_1366(page, live_server):
    world = World()
    roadmap = import_omsk()
    measures = roadmap.items.filter(is_section=False).count()
    log_in(page, live_server, world.officer.username)
    page.set_viewport_size(SIZE)
    page.goto(live_server.url + reverse("roadmaps:roadmap_report", args=[roadmap.pk]))

    quarter = (timezone.localdate().month - 1) // 3 + 1
    expect(page.locator("h1")).to_contain_text(f"за {quarter} квартал")
    section = page.get_by_test_id("report-section")
    expect(section).to_have_count(1)
    expect(section.locator("tbody tr")).to_have_count(roadmap.items.count())
    expect(section).to_contain_text(f"Мероприятий: {measures};")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZE["width"]
    expect(page.get_by_test_id("report-xlsx")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.locator("nav.portal-navbar")).to_be_hidden()
    expect(page.get_by_test_id("report-xlsx")).to_be_hidden()
    box = section.locator(".table-box")
    assert box.evaluate("b => getComputedStyle(b).overflow") == "visible"
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1")  # nothing cut off sideways
    head = section.locator("thead")
    assert head.evaluate("h => getComputedStyle(h).display") == "table-header-group"
    pdf = page.pdf(format="A4", landscape=True)
    pages = len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))
    assert pdf.startswith(b"%PDF") and pages > 1  # the plan's 70 measures run over pages


def test_the_quarter_is_chosen_on_the_page(page, live_server):
    world = World()
    roadmap = import_omsk()
    log_in(page, live_server, world.officer.username)
    page.set_viewport_size(SIZE)
    page.goto(live_server.url + reverse("roadmaps:roadmap_report", args=[roadmap.pk]))
    choices = page.get_by_test_id("report-choices")
    options = choices.locator("option")
    last = options.nth(options.count() - 1)
    label = last.inner_text()
    choices.locator("select").select_option(last.get_attribute("value"))
    choices.get_by_role("button", name="Показать").click()
    expect(page.locator("h1")).to_contain_text(f"за {label}")
