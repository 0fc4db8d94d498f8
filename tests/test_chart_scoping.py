"""The figures of every chart (`?figures=<key>`, portal.charts) show only what the user may see.

Every page that draws charts is requested by a user of each authority with the other
authority's rows, answers and plans present too; each chart the page's context offers is
downloaded as XLSX (its key read from the context, so a new chart is covered as soon as the
page offers it). No cell may name the other authority, and adding more of the other
authority's data must not change a single cell. A visitor is sent to sign-in; a plan outside
the user's scope (restrict()) is a 404 for its figures as for its page.
"""

from __future__ import annotations

import inspect
import io
from dataclasses import dataclass, field, replace
from datetime import timedelta

import openpyxl
import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import ContextList
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from portal.charts import Chart
from portal.lists import ObjectListView
from portal.scoping import VIEW, restrict
from registry.models import CampaignParticipant, ReengineeringStatus, Role
from registry.services import campaigns as campaign_service
from roadmaps.models import Roadmap
from segmentation.models import Survey, Touchpoint
from segmentation.services import surveys as survey_service
from tests.conftest import make_org, make_process, make_user
from tests.registry.test_campaigns import open_both, participant
from tests.roadmaps.conftest import Board, make_item, make_roadmap
from tests.segmentation.surveys import make_survey

pytestmark = pytest.mark.django_db

# The view names of every page that draws charts; the last test fails on a chart page not here.
CHART_PAGES = {
    "registry:campaign_detail",
    "registry:coverage",
    "segmentation:coverage",
    "roadmaps:roadmap_detail",
    "roadmaps:deadlines",
    "segmentation:survey_detail",
    "segmentation:survey_group_results",
    "segmentation:survey_overview",
}


@dataclass
class Side:
    """One authority's user and what names the authority in a table."""

    user: object
    authority: object
    units: list
    plans: list
    rows: list
    surveys: list = field(default_factory=list)

    def names(self) -> list[str]:
        # its region or municipality too: the owner of the region's plan
        orgs = [self.authority.parent, self.authority, *self.units]
        return [
            *(o.full_name for o in orgs),
            *(o.short_name for o in orgs if o.short_name),
            *(str(p) for p in self.plans),
            *(r.function_name for r in self.rows),
            *(s.title for s in self.surveys),
        ]


@pytest.fixture
def board(world):
    return Board(world, timezone.localdate())


@pytest.fixture
def sides(world, board):
    """The regional authority and the city's, each with rows, a plan, a touchpoint and units
    in one campaign of both; one answer of each side, so both have counts of their own."""
    campaign = open_both(world)
    campaign_service.answer_no_changes(participant(campaign, world.unit), world.official)
    campaign_service.answer_no_changes(participant(campaign, world.city_unit), world.city_official)
    for authority, process in (
        (world.authority, world.own_row),
        (world.city_authority, world.city_row),
    ):
        Touchpoint.objects.create(
            authority=authority, process=process, channel="phone", place="Приемная"
        )
    made = {}
    for authority in (world.authority, world.city_authority):
        survey = make_survey(world, authority=authority, title=f"Анкета № {authority.pk}")
        for csat in (4, 2):
            survey_service.record_answer(survey, csat=csat, ces=5, choices=(0, 1))
        made[authority] = [survey]
    regional = Side(
        world.officer,
        world.authority,
        [world.unit, world.other_unit],
        # the regional plan is the region's: the city's users must not see it either
        [board.appendix, board.regional],
        [world.own_row, world.other_unit_row],
        made[world.authority],
    )
    city = Side(
        world.city_officer,
        world.city_authority,
        [world.city_unit],
        [board.city],
        [world.city_row],
        made[world.city_authority],
    )
    # a region's coordinator and the city's (its coordinating body is a unit) read their own
    # territory's figures only (issue 15 point 8)
    return {
        "campaign": campaign,
        "regional": regional,
        "city": city,
        "regional_coordinator": replace(
            regional, user=make_user("coordinator_omsk", Role.COORDINATOR, world.region)
        ),
        "city_coordinator": replace(
            city, user=make_user("coordinator_city", Role.COORDINATOR, world.city_unit)
        ),
    }


def more_of(side: Side, campaign):
    """More rows, measures, answers and touchpoints of `side`'s authority: any count of the
    other side's figures that depends on them would change."""
    authority = side.authority
    unit = make_org("unit", f"Новый отдел: {authority.full_name}", authority)
    status = ReengineeringStatus.objects.get(edition__level=authority.level, code="reengineered")
    code = "4.1" if authority.level == "regional" else "1.1"
    for n in range(3):
        row = make_process(authority, unit, f"9{n}", typical_code=code, status=status)
        Touchpoint.objects.create(authority=authority, process=row, channel="portal", place="Сайт")
    answered = CampaignParticipant.objects.create(campaign=campaign, authority=authority, unit=unit)
    answered.refresh_from_db()
    campaign_service.answer_no_changes(answered, side.user)
    plan = side.plans[0]
    today = timezone.localdate()
    for n in range(4):
        make_item(plan, f"7.{n}.", deadline_date=today - timedelta(days=3 + n))
    make_item(make_roadmap(authority, "Еще один план"), "1.1.", deadline_date=today)
    for survey in Survey.objects.filter(authority=authority):
        for csat in (1, 5, 5):
            survey_service.record_answer(survey, csat=csat, ces=2, choices=(2, 0))


def pages(user, campaign, other=None) -> list[tuple[str, dict]]:
    """The chart pages the user opens (his plans found by restrict(), as the page finds
    them), and the pages of one authority asked for the other one's (`other`)."""
    plans = restrict(Roadmap.objects.order_by("pk"), user, VIEW)
    surveys = restrict(Survey.objects.order_by("pk"), user, VIEW)
    groups = sorted({s.group_id for s in surveys})
    asked = [{}, {"authority": other.pk}] if other else [{}]
    return [
        (reverse("registry:campaign_detail", args=[campaign.pk]), {}),
        *((reverse("registry:coverage"), query) for query in asked),
        *((reverse("segmentation:coverage"), query) for query in asked),
        *((reverse("roadmaps:deadlines"), query) for query in asked),
        *((reverse("roadmaps:roadmap_detail", args=[p.pk]), {}) for p in plans),
        *((reverse("segmentation:survey_detail", args=[s.pk]), {}) for s in surveys),
        *((reverse("segmentation:survey_group_results", args=[g]), {}) for g in groups),
        (reverse("segmentation:survey_overview"), {}),
    ]


def charts_of(response) -> list[Chart]:
    """Every Chart the page's context holds, in lists too."""
    found, seen = [], set()

    def visit(value):
        if isinstance(value, Chart):
            if id(value) not in seen:
                seen.add(id(value))
                found.append(value)
        elif isinstance(value, list | tuple):
            for v in value:
                visit(v)

    contexts = response.context
    for context in contexts if isinstance(contexts, ContextList) else [contexts]:
        for value in context.flatten().values():
            visit(value)
    return found


def cells(response) -> list[tuple]:
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def downloads(client, user, campaign, other: Side) -> dict:
    """(page, query, chart key) -> the cells of its figures' XLSX, each checked for the other
    side's names."""
    client.force_login(user)
    names = other.names()
    result = {}
    for url, query in pages(user, campaign, other.authority):
        page = client.get(url, query)
        assert page.status_code == 200, (url, query)
        charts = charts_of(page)
        assert charts, f"{url}: no chart offered"
        for chart in charts:
            sheet = cells(client.get(f"{chart.path or url}?{chart.download_query}"))
            if not query:  # the user's own figures: a header and its rows
                assert len(sheet) > 1 and any(sheet[1:]), (url, chart.key)
            for row in sheet:
                for value in row:
                    for name in names:
                        assert name not in str(value or ""), (url, query, chart.key, value)
            result[(url, tuple(query.items()), chart.key)] = sheet
    return result


@pytest.mark.parametrize(
    ("own", "other"),
    [
        ("regional", "city"),
        ("city", "regional"),
        ("regional_coordinator", "city"),
        ("city_coordinator", "regional"),
    ],
)
def test_every_charts_figures_hold_only_the_users_authority(client, sides, own, other):
    campaign, me, them = sides["campaign"], sides[own], sides[other]
    before = downloads(client, me.user, campaign, them)
    keys = {key for _, _, key in before}
    expected = {"answers", "authorities", "statuses", "groups", "sections", "plans"}
    if own.endswith("coordinator"):
        expected -= {"groups"}  # one authority's groups: a coordinator's pages list several
    assert keys >= expected
    with transaction.atomic():
        more_of(them, campaign)
        after = downloads(client, me.user, campaign, them)
        transaction.set_rollback(True)
    assert after == before


def test_an_officials_figures_hold_only_his_authority(client, sides, world):
    city = sides["city"]
    before = downloads(client, world.official, sides["campaign"], city)
    with transaction.atomic():
        more_of(city, sides["campaign"])
        after = downloads(client, world.official, sides["campaign"], city)
        transaction.set_rollback(True)
    assert after == before


def test_a_plan_out_of_scope_gives_no_figures(client, sides, world, board):
    client.force_login(world.officer)
    assert not restrict(Roadmap.objects.filter(pk=board.city.pk), world.officer, VIEW).exists()
    url = reverse("roadmaps:roadmap_detail", args=[board.city.pk])
    assert client.get(url, {"figures": "sections"}).status_code == 404


def test_a_visitor_is_sent_to_sign_in_for_every_charts_figures(client, sides, world):
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    login = resolve_url(settings.LOGIN_URL)
    for url, query in pages(world.coordinator, sides["campaign"], world.authority):
        for chart in charts_of(coordinator.get(url, query)):
            answer = client.get(f"{chart.path or url}?{chart.download_query}")
            assert answer.status_code == 302, (url, chart.key)
            assert answer["Location"].startswith(login), (url, chart.key)


def view_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from view_names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", getattr(pattern.callback, "view_class", None)


APPS = ("registry", "segmentation", "roadmaps")


def draws_charts(view_class) -> bool:
    """A list that overrides get_charts(), or a page that answers ?figures= itself."""
    if view_class is None:
        return False
    own = [k for k in view_class.__mro__ if k.__module__.split(".")[0] in APPS]
    if issubclass(view_class, ObjectListView) and any("get_charts" in vars(k) for k in own):
        return True
    return any("figures_download" in inspect.getsource(k) for k in own)


def test_every_chart_page_is_checked_here():
    drawn = {name for name, view_class in view_names() if draws_charts(view_class)}
    assert drawn == CHART_PAGES
