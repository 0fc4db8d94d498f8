"""Under the Content-Security-Policy the main pages of every role report no violation, and
their scripts (all static files now) still work (issue 11, item 5)."""

import pytest
from playwright.sync_api import expect

from registry.models import TypicalProcess
from registry.services import publication
from tests.conftest import World
from tests.e2e.test_browser_registry import log_in
from tests.roadmaps.conftest import import_omsk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright's init script runs outside the page's policy: it records what the page breaks.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watch:
    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on(
            "console",
            lambda m: self.console.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.on("pageerror", lambda e: self.console.append(f"page error: {e}"))

    def visit(self, url):
        response = self.page.goto(url)
        assert response.status < 500, url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        self.page.wait_for_load_state("load")
        self.check(url)

    def check(self, where):
        events = self.page.evaluate("window.__csp || []")
        assert not events, (where, events)
        assert not self.console, (where, self.console)


@pytest.fixture
def data():
    world = World()
    data_roadmap = import_omsk()
    world.roadmap = data_roadmap
    publication.publish(world.authority, world.officer)
    return world


def test_the_recorder_sees_a_violation(page, live_server):
    watch = Watch(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "1";
        document.body.append(s); const d = document.createElement("div");
        d.setAttribute("style", "color: red"); document.body.append(d); }"""
    )
    page.wait_for_function("window.__csp.length >= 2")
    assert any("script-src" in e for e in page.evaluate("window.__csp"))
    assert any("inline script" in text for text in watch.console)


def test_anonymous_pages(page, live_server, data):
    watch = Watch(page)
    for url in ["/", "/accounts/login/", "/public/", f"/public/{data.authority.pk}/"]:
        watch.visit(live_server.url + url)


def test_official_pages_and_the_row_form_script(page, live_server, data):
    watch = Watch(page)
    log_in(page, live_server, data.official.username)
    for url in [
        "/registry/processes/",
        data.own_row.get_absolute_url(),
        "/registry/tasks/",
        "/registry/proposals/",
        "/roadmaps/mine/",
        "/segmentation/",
    ]:
        watch.visit(live_server.url + url)

    # The typical-process chooser of static/registry/process_form.js follows the group.
    watch.visit(f"{live_server.url}/registry/processes/add/")
    page.select_option(
        "#id_group", label="6. Организация отношений с внутренним клиентом (сотрудником)"
    )
    options = page.locator("#id_typical_process option").all_inner_texts()
    group6 = TypicalProcess.objects.filter(
        group__edition__level="regional", group__code="6"
    ).count()
    assert len(options) == group6 + 1
    assert all(o.startswith("6.") for o in options[1:])
    # Its link rows: a new row, the authority chosen by default from the form's data.
    before = page.locator("#link-rows > *").count()
    page.click("#add-link")
    expect(page.locator("#link-rows > *")).to_have_count(before + 1)
    watch.check("process form")

    # The add-row button of the segment profile form (static/segmentation/profile_form.js).
    watch.visit(f"{live_server.url}/segmentation/profiles/add/")
    rows = page.locator("#attribute-rows > *")
    count = rows.count()
    page.click("#add-attribute")
    expect(rows).to_have_count(count + 1)
    expect(rows.last.locator(".row-number")).to_have_text(str(count + 1))
    watch.check("profile form")


def test_officer_and_coordinator_boards_with_bars(page, live_server, data):
    watch = Watch(page)
    log_in(page, live_server, data.coordinator.username)
    for url in [
        "/registry/processes/",
        "/registry/campaigns/",
        "/registry/coverage/",
        "/registry/versions/",
        "/roadmaps/",
        "/segmentation/coverage/",
    ]:
        watch.visit(live_server.url + url)
    watch.visit(f"{live_server.url}/roadmaps/deadlines/")
    # Bar widths come from data-bar-width through static/portal/portal.js.
    bar = page.locator("[data-testid=progress-per-authority] [data-bar-width]").first
    expect(bar).to_be_visible()
    width = bar.evaluate("el => el.style.width")
    assert width.endswith("%") and float(width[:-1]) == pytest.approx(
        float(bar.get_attribute("data-bar-width")), abs=0.01
    )
    # The address is issued on request (a POST: the board writes nothing on a GET); then one
    # click selects it (it was an onclick= handler).
    expect(page.get_by_test_id("calendar-url")).to_have_count(0)
    page.click("[data-testid=calendar-issue]")
    page.click("[data-testid=calendar-url]")
    assert page.get_by_test_id("calendar-url").evaluate(
        "el => el.value.length > 0 && el.selectionStart === 0 && "
        "el.selectionEnd === el.value.length"
    )
    # Reissuing asks first; declining keeps the address.
    address = page.get_by_test_id("calendar-url").input_value()
    page.once("dialog", lambda d: d.dismiss())
    page.click("[data-testid=calendar-reissue]")
    expect(page.get_by_test_id("calendar-url")).to_have_value(address)
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=calendar-reissue]")
    expect(page.locator(".alert-success")).to_contain_text("Прежняя ссылка больше не работает")
    assert page.get_by_test_id("calendar-url").input_value() != address
    watch.check("calendar reissue")
    watch.visit(f"{live_server.url}/roadmaps/{data.roadmap.pk}/")


def test_admin_pages_work_under_the_policy(page, live_server, data):
    watch = Watch(page)
    log_in(page, live_server, data.admin.username)
    for url in [
        "/admin/",
        "/admin/registry/user/",
        f"/admin/registry/user/{data.official.pk}/change/",
        "/admin/registry/organization/",
        "/admin/roadmaps/roadmapitem/",
        "/admin/axes/accessattempt/",
        "/admin/roadmaps/calendarfeedtoken/",
    ]:
        watch.visit(live_server.url + url)
    # The admin's own scripts run: the navigation sidebar filter is filled by nav_sidebar.js.
    page.goto(f"{live_server.url}/admin/registry/user/")
    expect(page.locator("#nav-filter")).to_be_visible()
    page.fill("#nav-filter", "польз")
    watch.check("admin sidebar")
