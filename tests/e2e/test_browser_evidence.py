"""Evidence files in a real headless Chromium: attached on the measure's page, downloaded
(never opened as a page), a hostile file refused with the reason."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import World
from tests.e2e.test_browser_registry import log_in
from tests.roadmaps.conftest import Board
from tests.roadmaps.test_evidence_files import ALLOWED, pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_attaches_a_pdf_downloads_it_and_an_html_is_refused(page, live_server):
    world = World()
    board = Board(world, timezone.localdate())
    log_in(page, live_server, world.officer.username)
    page.goto(live_server.url + reverse("roadmaps:item_detail", args=[board.overdue.pk]))

    form = page.get_by_test_id("evidence-form")
    form.locator("#id_number").fill("15-р")
    form.locator("#id_file").set_input_files(
        {"name": "Распоряжение № 15-р.pdf", "mimeType": "application/pdf", "buffer": pdf()}
    )
    form.get_by_role("button", name="Добавить документ").click()
    expect(page.locator(".alert-success")).to_contain_text("Подтверждающий документ добавлен")
    link = page.get_by_test_id("evidence").get_by_role("link")
    expect(link).to_have_count(1)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "Распоряжение № 15-р.pdf"
    assert download.path().read_bytes() == pdf()

    form = page.get_by_test_id("evidence-form")
    form.locator("#id_number").fill("16-р")
    form.locator("#id_file").set_input_files(
        {"name": "page.html", "mimeType": "text/html", "buffer": b"<script>alert(1)</script>"}
    )
    form.get_by_role("button", name="Добавить документ").click()
    expect(page.get_by_test_id("evidence-form")).to_contain_text(f"Файл «page.html»: {ALLOWED}")
    expect(page.get_by_test_id("evidence").get_by_role("link")).to_have_count(1)
