"""A job's page in a real headless Chromium: the progress bar moves while a real worker runs
the job, and the page turns into the download link without a reload."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.jobs import start_job
from tests.conftest import World
from tests.e2e.test_browser_csp import RECORD_VIOLATIONS
from tests.e2e.test_browser_registry import log_in
from tests.portal import job_tasks
from tests.portal.workers import worker_in_background

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_progress_bar_follows_the_worker_to_the_download_link(page, live_server):
    world = World()
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, live_server, world.official.username)
    job = start_job(
        world.official, "test", "Медленная выгрузка", job_tasks.slow_rows, rows=20, pause=0.2
    )
    page.goto(live_server.url + reverse("portal:job_detail", args=[job.pk]))
    box = page.get_by_test_id("job")
    expect(box).to_contain_text("в очереди")
    page.evaluate("window.__same_page = true")

    with worker_in_background():
        # Part of the way: the bar and "N из 20 строк" move while the worker runs.
        page.wait_for_function(
            """() => {
                const bar = document.querySelector('[data-job-progress]');
                const value = Number(bar.getAttribute('aria-valuenow'));
                return value > 0 && value < 100;
            }""",
            timeout=30_000,
        )
        expect(box).to_contain_text("выполняется")
        expect(page.get_by_test_id("job-progress")).to_contain_text("из 20 строк")
        link = page.get_by_test_id("job-download").get_by_role("link")
        expect(link).to_be_visible(timeout=30_000)

    expect(box).to_contain_text("готово")
    expect(page.get_by_test_id("job-progress")).to_have_text("20 из 20 строк")
    assert page.evaluate("window.__same_page") is True  # updated in place, not reloaded
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "Медленно.txt"
    assert info.value.path().read_text(encoding="utf-8") == "готово"
    assert page.evaluate("window.__csp") == []
