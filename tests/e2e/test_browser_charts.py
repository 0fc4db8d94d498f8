"""Every chart is drawn in Chromium (its canvas holds pixels) under the Content-Security-
Policy with no console error, at 1366×768; the coverage of one authority fits two screens."""

import pytest

from registry.services import campaigns
from registry.services.figures import recompute_catalogue
from segmentation.services.figures import recompute_segmentation
from tests.conftest import World
from tests.e2e.test_browser_csp import Watch
from tests.e2e.test_browser_registry import log_in
from tests.registry.test_campaigns import open_both
from tests.roadmaps.conftest import import_omsk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pixels the chart painted (alpha > 0) on each chart canvas of the page.
PAINTED = """() => [...document.querySelectorAll("canvas[data-chart]")].map((c) => {
  const pixels = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) painted++;
  return {id: c.dataset.chart, drawn: c.dataset.chartDrawn || "", painted, width: c.width};
})"""


def charts_drawn(page, watch, url, expected: int):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    watch.visit(url)
    found = page.evaluate(PAINTED)
    assert len(found) == expected, (url, found)
    for chart in found:
        assert chart["drawn"] and chart["width"] > 100, (url, chart)
        assert chart["painted"] > 500, (url, chart)
    assert not errors, (url, errors)


@pytest.fixture
def data():
    world = World()
    world.roadmap = import_omsk()
    world.campaign = open_both(world)
    campaigns.answer_no_changes(world.campaign.participants.get(unit=world.unit), world.official)
    recompute_catalogue()
    recompute_segmentation()
    return world


def test_charts_are_drawn_for_the_officer_and_the_coordinator(page, live_server, data):
    page.set_viewport_size({"width": 1366, "height": 768})
    watch = Watch(page)
    log_in(page, live_server, data.officer.username)
    base = live_server.url
    charts_drawn(page, watch, f"{base}/segmentation/coverage/", 1)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 2 * 768, height  # the coverage of one authority: two screens at most
    charts_drawn(page, watch, f"{base}/registry/coverage/", 1)
    campaign = f"{base}/registry/campaigns/{data.campaign.pk}"
    charts_drawn(page, watch, f"{campaign}/authorities/{data.authority.pk}/", 1)
    charts_drawn(page, watch, f"{base}/roadmaps/{data.roadmap.pk}/", 1)
    summary = page.get_by_test_id("plan-summary")
    assert summary.bounding_box()["y"] < 768  # the page opens with it
    assert "Исполнено" in summary.inner_text()

    page.context.clear_cookies()
    log_in(page, live_server, data.coordinator.username)
    charts_drawn(page, watch, f"{base}/registry/campaigns/{data.campaign.pk}/", 2)
    charts_drawn(page, watch, f"{base}/registry/coverage/", 1)
    charts_drawn(page, watch, f"{base}/segmentation/coverage/", 1)
    charts_drawn(page, watch, f"{base}/roadmaps/deadlines/", 2)
