"""Every role's main pages fit an official's screen (issue 14, items 1, 2 and 9): at 1280×800
and 1366×768 no page scrolls sideways, every menu of the bar opens inside the window, inner
pages have breadcrumbs, the user menu shows «Выйти» and it signs out.

A screenshot of each page at each size is written to $PORTAL_SCREENSHOTS (default
test-artifacts/screenshots/, gitignored) for a person to look at; they are not compared."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from registry.models import CampaignKind, ProposalAction
from registry.services import campaigns, proposals, publication, reengineering, version_records
from registry.services.row_values import values_of_process
from roadmaps.models import ItemResponsible, RoadmapItem
from roadmaps.services import collective
from segmentation.models import AnswerTag, SurveyAnswer
from segmentation.services import profiles, surveys
from segmentation.services.survey_reference import load_survey_reference
from tests.conftest import World
from tests.e2e.test_browser_registry import log_in
from tests.roadmaps.conftest import import_omsk, make_item, make_roadmap
from tests.segmentation.surveys import make_survey
from tests.segmentation.test_segmentation import ATTRIBUTES, new_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1280, 800), (1366, 768)]
SHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS") or "test-artifacts/screenshots")

# What sticks out of the window, for the failure message.
WIDE_ELEMENTS = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((e) => !e.closest(".table-box") && !e.closest(".dropdown-menu:not(.show)"))
  .slice(0, 5)
  .map((e) => `${e.tagName}.${e.className} → ${Math.round(e.getBoundingClientRect().right)}`)"""


class Data:
    """The World with the objects behind each main page: a published version, a proposal on
    review, an open campaign, the Omsk roadmap (appendix № 29), a segment profile."""

    def __init__(self):
        world = self.world = World()
        self.roadmap = import_omsk()
        self.item = RoadmapItem.objects.filter(roadmap=self.roadmap, is_section=False).first()
        self.version = publication.publish(world.authority, world.officer)
        # the publication page's and the public page's placement and act (issue 15)
        version_records.record_placement(
            self.version,
            "https://mdm.omskportal.ru/ru/RegionalnayaPolitika/reestr-processov-vnedreniya",
            timezone.localdate(),
            world.officer,
        )
        version_records.record_approval(
            self.version, "распоряжение", "15-рп", timezone.localdate(), world.officer
        )
        draft = proposals.open_draft(world.official)
        proposals.add_item(
            draft,
            world.official,
            ProposalAction.CHANGE,
            world.own_row,
            values_of_process(world.own_row),
        )
        self.proposal = proposals.submit(draft, world.official)
        self.campaign = campaigns.open_campaign(
            world.coordinator,
            kind=CampaignKind.ONE_OFF,
            due_date=timezone.localdate() + timedelta(days=30),
            authorities=[world.authority],
        )
        profiles.save_profile(new_profile(world), ATTRIBUTES, [], [], world.official)
        # a collective measure of the region's plan and the authority's share (issue 15)
        regional = make_roadmap(world.region, "План мероприятий Омской области")
        self.collective = make_item(regional, "3.5.", text="Во всех ОИВ утверждены реестры")
        ItemResponsible.objects.create(item=self.collective, name="ОИВ Омской области")
        (self.share,) = collective.split_measure(
            self.collective, [world.authority], user=world.coordinator
        )
        # the reengineering plan and a measure measured from the portal's data (issue 15)
        self.plan_entry = reengineering.add_entry(
            world.own_row, timezone.localdate(), world.own_row.responsible, world.officer
        )
        self.measured = RoadmapItem.objects.get(roadmap=self.roadmap, number="3.1.2.")
        self.survey = survey_with_answers(world)

    def pages(self, role: str) -> list[str]:
        w = self.world
        public = ["/public/", f"/public/{w.authority.pk}/"]
        if role == "anonymous":
            return ["/", "/accounts/login/", *public]
        common = [
            "/",
            "/registry/processes/",
            w.own_row.get_absolute_url(),
            "/registry/proposals/",
            f"/registry/proposals/{self.proposal.pk}/",
            "/registry/tasks/",
            "/registry/campaigns/",
            f"/registry/campaigns/{self.campaign.pk}/",
            "/registry/versions/",
            f"/registry/reengineering/?authority={w.authority.pk}",
            f"/registry/reengineering/{self.plan_entry.pk}/",
            "/roadmaps/",
            f"/roadmaps/{self.roadmap.pk}/",
            f"/roadmaps/{self.roadmap.pk}/report/",
            f"/roadmaps/items/{self.item.pk}/",
            f"/roadmaps/items/{self.measured.pk}/",
            "/roadmaps/deadlines/",
            "/segmentation/",
            "/segmentation/coverage/",
            "/api-tokens/",
            "/segmentation/profiles/report/",
            *self.survey_pages(),
            *public,
        ]
        extra = {
            "official": ["/registry/processes/add/", "/roadmaps/mine/"],
            "officer": [
                "/registry/processes/add/",
                f"{w.own_row.get_absolute_url()}edit/",
                f"{w.own_row.get_absolute_url()}exclude/",
                f"/registry/versions/{self.version.pk}/record/",
                "/registry/import/",
                "/registry/coverage/",
                "/roadmaps/mine/",
                f"/roadmaps/{self.roadmap.pk}/amend/",  # with the word edits' card
                f"/roadmaps/items/{self.share.pk}/",
                f"/roadmaps/items/{self.collective.pk}/shares/",
            ],
            "coordinator": [
                "/registry/coverage/",
                "/registry/campaigns/open/",
                f"/roadmaps/items/{self.collective.pk}/",
                f"/roadmaps/items/{self.collective.pk}/shares/",
                f"/roadmaps/items/{self.collective.pk}/split/",
            ],
            "admin": ["/registry/processes/add/", "/registry/coverage/"],
        }
        return common + extra[role] + self.survey_forms(role)

    def survey_pages(self) -> list[str]:
        """Every signed-in role reads them (issue 16)."""
        survey = f"/segmentation/surveys/{self.survey.pk}/"
        return [
            "/segmentation/surveys/",
            survey,
            f"{survey}?by=week",
            f"/segmentation/surveys/groups/{self.survey.group_id}/",
            f"{survey}print/",
            "/segmentation/surveys/overview/",
        ]

    def survey_forms(self, role: str) -> list[str]:
        """A coordinator keeps no surveys (403)."""
        if role == "coordinator":
            return []
        return ["/segmentation/surveys/add/", f"/segmentation/surveys/{self.survey.pk}/edit/"]


def survey_with_answers(world):
    """A survey with answers over two months, free-text ones tagged, one a long unbroken
    link as visitors paste them."""
    load_survey_reference(lambda name: apps.get_model("segmentation", name))  # flushed
    survey = make_survey(world)
    tags = list(AnswerTag.objects.all())
    texts = ["Долго ждал ответа на заявление", "https://www.gosuslugi.ru/" + "x" * 180, ""]
    for n in range(12):
        answer = surveys.record_answer(
            survey, csat=1 + n % 5, ces=1 + n % 7, choices=(n % 3, n % 2), text=texts[n % 3]
        )
        if answer.text:
            surveys.tag_answer(answer, tags[n % len(tags)], world.officer)
    earlier = timezone.now() - timedelta(days=35)
    SurveyAnswer.objects.filter(csat__lte=2).update(submitted_at=earlier)
    return survey


def shot_name(role, url, size) -> str:
    # Ids vary from run to run: "registry-processes-id", the same name each time.
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"/\d+/", "/id/", url)).strip("-") or "home"
    return f"{role}-{slug}-{size[0]}x{size[1]}.png"


def check_page(page, base, role, url, size):
    response = page.goto(base + url)
    assert response.status == 200, (role, url, response.status)
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, (role, url, size, width, page.evaluate(WIDE_ELEMENTS))
    page.screenshot(path=str(SHOTS / shot_name(role, url, size)))


def check_menus(page, role, size):
    """Each menu of the bar opens inside the window (a dropdown at the right edge must not
    push the page wider), and one of them marks the current section."""
    toggles = page.locator("[data-testid=main-menu] [data-bs-toggle=dropdown]")
    for i in range(toggles.count()):
        toggles.nth(i).click()
        menu = page.locator(".dropdown-menu.show")
        expect(menu).to_be_visible()
        box = menu.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= size[0], (role, i, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        page.keyboard.press("Escape")


def check_breadcrumbs(page, role):
    if urlparse(page.url).path in ("/", "/accounts/login/"):
        expect(page.get_by_test_id("breadcrumbs")).to_have_count(0)
        return
    crumbs = page.get_by_test_id("breadcrumbs")
    expect(crumbs).to_be_visible()
    expect(crumbs.locator("li").first).to_have_text("Главная")
    expect(crumbs.locator("[aria-current=page]")).to_have_count(1)


@pytest.mark.parametrize("role", ["anonymous", "official", "officer", "coordinator", "admin"])
def test_main_pages_fit_the_screen(page, live_server, role):
    data = Data()
    SHOTS.mkdir(parents=True, exist_ok=True)
    if role != "anonymous":
        log_in(page, live_server, getattr(data.world, role).username)
    for size in SIZES:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        for url in data.pages(role):
            check_page(page, live_server.url, role, url, size)
            if size == SIZES[0]:
                check_breadcrumbs(page, role)
        check_menus(page, role, size)

    if role == "anonymous":
        expect(
            page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Войти")
        ).to_be_visible()
        return
    # The user menu: name, role, organization and «Выйти», which signs out (a POST).
    user = getattr(data.world, role)
    page.get_by_test_id("current-user").click()
    menu = page.get_by_test_id("user-menu")
    expect(menu).to_contain_text(user.get_role_display())
    if user.organization:
        expect(menu).to_contain_text(user.organization.display_name)
    expect(page.get_by_test_id("logout")).to_be_visible()
    page.get_by_test_id("logout").click()
    expect(
        page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Войти")
    ).to_be_visible()
    page.goto(f"{live_server.url}/registry/tasks/")
    assert "/accounts/login/" in page.url


def test_the_bar_collapses_below_the_large_breakpoint(page, live_server):
    """Below 992 px the menus are behind the toggler; it opens them, current section marked."""
    data = Data()
    log_in(page, live_server, data.world.officer.username)
    page.set_viewport_size({"width": 800, "height": 800})
    page.goto(f"{live_server.url}/registry/proposals/")
    main_menu = page.get_by_test_id("main-menu")
    expect(main_menu).to_be_hidden()
    page.click(".navbar-toggler")
    expect(main_menu).to_be_visible()
    registry = main_menu.get_by_role("button", name="Реестр", exact=True)
    expect(registry).to_have_attribute("aria-current", "true")
    registry.click()
    current = main_menu.locator(".dropdown-menu.show [aria-current=page]")
    expect(current).to_have_text("Предложения")
    assert page.evaluate("document.documentElement.scrollWidth") <= 800


def test_a_wide_table_scrolls_in_its_box_with_its_header_and_first_column_in_view(
    page, live_server
):
    data = Data()
    log_in(page, live_server, data.world.coordinator.username)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/roadmaps/deadlines/")
    box = page.locator(".table-box:has([data-testid=deadlines])")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth && b.scrollHeight > b.clientHeight")
    box.evaluate("b => { b.scrollTop = 600; b.scrollLeft = 300; }")
    frame = box.bounding_box()
    header = box.locator("thead th").first.bounding_box()
    assert abs(header["y"] - frame["y"]) <= 2 and abs(header["x"] - frame["x"]) <= 2
    first_cell = box.locator("tbody tr").nth(5).locator("td").first.bounding_box()
    assert abs(first_cell["x"] - frame["x"]) <= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # The bordered table's lines are 1 px, between columns and between rows (not doubled by
    # the separate borders the sticky cells need, nor missing between rows).
    lines = box.evaluate(
        """b => {
        const px = (cell, side) => parseFloat(getComputedStyle(cell)[`border${side}Width`]);
        const rows = [...b.querySelectorAll("tr")].slice(0, 4);
        const between = [], under = [];
        rows.forEach((row, r) => {
            const cells = [...row.children];
            cells.slice(1).forEach((cell, c) =>
                between.push(px(cells[c], "Right") + px(cell, "Left")));
            if (r + 1 < rows.length) {
                under.push(px(cells[0], "Bottom") + px(rows[r + 1].children[0], "Top"));
            }
        });
        return {between, under};
    }"""
    )
    assert lines["between"] and set(lines["between"]) == {1}, lines
    assert lines["under"] and set(lines["under"]) == {1}, lines
    # A plan's title: two lines at most, ending in an ellipsis, the whole title in the tooltip.
    plan = box.locator("tbody tr").first.locator("a.text-clamp-2")
    expect(plan).to_have_attribute("title", str(data.roadmap))
    assert plan.evaluate("a => getComputedStyle(a).webkitLineClamp") == "2"
