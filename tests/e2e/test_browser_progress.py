"""Long work shows that it is under way, in a real Chromium (issue 14): a file upload shows
its progress bar, a POST form's button is disabled after the first press («Подождите…»), an
export link says the file is being prepared and then saves it; the official's row form says
that his change becomes a proposal; column 12's «Тип связи» shows its whole word."""

import pytest
from playwright.sync_api import expect

from registry.models import ImportBatch
from tests.conftest import World
from tests.e2e.test_browser_registry import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def slow_network(page, upload_bytes_per_s=-1, latency_ms=0):
    """Chromium's own throttling (DevTools protocol): every request is this slow."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": -1,
            "uploadThroughput": upload_bytes_per_s,
        },
    )
    return session


def test_an_upload_shows_its_progress_and_cannot_be_sent_twice(page, live_server, tmp_path):
    world = World()
    path = tmp_path / "большой.xlsx"
    path.write_bytes(b"not a spreadsheet" + bytes(1_500_000))
    log_in(page, live_server, world.officer.username)
    page.goto(f"{live_server.url}/registry/import/")
    page.set_input_files("#id_file", str(path))
    slow_network(page, upload_bytes_per_s=300_000)
    button = page.locator("button:has-text('Проверить файл')")
    button.click()

    progress = page.get_by_test_id("upload-progress")
    expect(progress).to_be_visible()
    pressed = page.locator("form[enctype] button[type=submit]")
    expect(pressed).to_be_disabled()
    expect(pressed).to_have_text("Подождите…")
    # The bar moves while the file is being sent: somewhere strictly between 0 and 100 %.
    page.wait_for_function(
        """() => {
            const bar = document.querySelector('[data-testid="upload-progress"] .progress');
            const now = bar && Number(bar.getAttribute('aria-valuenow'));
            return now > 0 && now < 100;
        }""",
        timeout=20_000,
    )
    expect(progress).to_contain_text("Отправлено")
    expect(progress).to_contain_text("МБ")
    # The answer replaces the page as a normal submit would: the refusal at the field.
    expect(page.get_by_test_id("file-error")).to_contain_text(
        "не является электронной таблицей", timeout=30_000
    )
    assert ImportBatch.objects.count() == 0
    expect(page.locator("button:has-text('Проверить файл')")).to_be_enabled()


def test_a_form_is_sent_once_and_says_to_wait(page, live_server):
    world = World()
    log_in(page, live_server, world.officer.username)
    page.goto(f"{live_server.url}/registry/processes/{world.own_row.pk}/edit/")
    # The page's own submits, seen last (on window) and held there so that the page stays.
    page.evaluate(
        """() => {
            window.sent = [];
            window.addEventListener('submit', (event) => {
                window.sent.push(!event.defaultPrevented);
                event.preventDefault();
            });
        }"""
    )
    button = page.locator("#process-form button[type=submit]")
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_text("Подождите…")
    page.evaluate("() => document.getElementById('process-form').requestSubmit()")  # Enter
    assert page.evaluate("() => window.sent") == [True, False]  # the second one stopped


def test_an_export_link_says_the_file_is_being_prepared(page, live_server):
    world = World()
    log_in(page, live_server, world.officer.username)
    page.goto(f"{live_server.url}/registry/processes/")
    slow_network(page, latency_ms=1500)
    link = page.get_by_test_id("export-xlsx")
    with page.expect_download(timeout=20_000) as download:
        link.click()
        expect(link).to_have_text("Файл готовится…")
    assert download.value.suggested_filename.endswith(".xlsx")
    expect(link).to_have_text("Скачать XLSX")


def test_the_officials_form_proposes_and_says_who_reviews(page, live_server):
    world = World()
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, world.official.username)
    page.goto(f"{live_server.url}/registry/processes/{world.own_row.pk}/edit/")
    expect(page.locator("h1")).to_contain_text("Предложить изменение")
    expect(page.locator("#process-form button[type=submit]")).to_have_text("Предложить изменение")
    expect(page.get_by_test_id("proposal-notice")).to_contain_text(
        "уполномоченное лицо в течение 10 рабочих дней со дня получения проверит"
    )


def word_fits(page, selector: str) -> dict:
    """The widest option's text against the room inside the select (its padding and arrow)."""
    return page.evaluate(
        """(selector) => {
            const select = document.querySelector(selector);
            const style = getComputedStyle(select);
            const context = document.createElement('canvas').getContext('2d');
            context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const texts = Array.from(select.options, (o) => context.measureText(o.text).width);
            const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
            const widest = Math.max(...texts);
            const room = select.clientWidth - padding;
            return {widest, room};
        }""",
        selector,
    )


@pytest.mark.parametrize("width", [1280, 1366, 1920])
def test_the_link_type_shows_its_whole_word(page, live_server, width):
    world = World()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server, world.officer.username)
    page.goto(f"{live_server.url}/registry/processes/{world.own_row.pk}/edit/")
    fits = word_fits(page, "#link-rows .link-row select[name$='-link_type']")
    assert fits["widest"] <= fits["room"], fits
