"""Coordinators are organizations with a scope (issue 15 point 8): the coordinating body of a
region or a municipality reads the authorities of its territory only — lists, details,
exports, figures, plans and tasks — through portal.scoping's one rule. A nationwide
coordinator is marked so explicitly. The charts' figures: tests/test_chart_scoping.py."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.scoping import VIEW, can, restrict
from portal.tasks import tasks_for
from registry.models import CampaignKind, Process, Role
from registry.services import campaigns
from registry.services.figures import recompute_catalogue
from roadmaps.models import Roadmap
from tests.conftest import make_org, make_user
from tests.roadmaps.conftest import make_item, make_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def omsk(world):
    """The region's coordinator, tied to the region itself."""
    return make_user("coordinator_omsk", Role.COORDINATOR, world.region)


@pytest.fixture
def city(world):
    """The city's: its coordinating body is a unit of the administration (управление делами
    Администрации города Омска, item 2 of order 246-р)."""
    return make_user("coordinator_city", Role.COORDINATOR, world.city_unit)


def test_the_territory_is_read_from_the_coordinators_organization(world, omsk, city):
    assert omsk.territory == world.region
    assert city.territory == world.city
    assert set(omsk.territory_ids) == {world.region.pk, world.authority.pk}
    assert set(city.territory_ids) == {world.city.pk, world.city_authority.pk}
    body = make_user("coordinator_body", Role.COORDINATOR, world.authority)
    assert body.territory == world.region
    # a municipality under the region keeps its own coordinating body
    town = make_org("municipality", "Город Тара", world.region, level="municipal")
    make_org("authority", "Администрация Тарского муниципального района", town)
    assert set(make_user("c2", Role.COORDINATOR, world.region).territory_ids) == set(
        omsk.territory_ids
    )


def test_a_coordinator_names_his_territory_or_the_whole_country(world):
    with pytest.raises(ValidationError, match="Укажите субъект"):
        make_user("nobody", Role.COORDINATOR)
    with pytest.raises(ValidationError, match="не привязан к организации"):
        make_user("both", Role.COORDINATOR, world.region, whole_country=True)
    with pytest.raises(ValidationError, match="только координатор"):
        make_user("officer2", Role.AUTHORIZED_OFFICER, world.authority, whole_country=True)
    unbound = make_user("unbound", Role.AUTHORIZED_OFFICER, world.authority)
    unbound.role = Role.COORDINATOR
    unbound.organization = None  # saved past clean(): reads nothing rather than everything
    assert not restrict(Process, unbound, VIEW).exists()
    assert restrict(Process, world.coordinator, VIEW).count() == 3


def test_lists_and_details_hold_the_territorys_rows_only(client, world, omsk, city):
    for user, own, foreign in (
        (omsk, {world.own_row, world.other_unit_row}, world.city_row),
        (city, {world.city_row}, world.own_row),
    ):
        client.force_login(user)
        response = client.get(reverse("registry:process_list"), {"excluded": "with"})
        shown = {row.record for row in response.context["table"].page.object_list}
        assert shown == own
        asked = client.get(reverse("registry:process_list"), {"authority": foreign.authority_id})
        assert list(asked.context["table"].page.object_list) == []
        for name in ("registry:process_detail", "registry:process_history"):
            assert client.get(reverse(name, args=[foreign.pk])).status_code == 404
            assert client.get(reverse(name, args=[next(iter(own)).pk])).status_code == 200
        assert not can(user, VIEW, foreign)


def test_the_export_holds_the_territorys_authorities_only(client, world, omsk):
    client.force_login(omsk)
    response = client.get(reverse("registry:process_list"), {"export": "xlsx"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(body))
    text = " ".join(
        str(v) for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r if v
    )
    assert world.authority.full_name in text
    assert world.city_authority.full_name not in text
    assert world.city_row.function_name not in text


def test_the_figures_page_sums_the_territory_only(client, world, omsk, city):
    recompute_catalogue()
    for user, own, foreign in (
        (omsk, world.authority, world.city_authority),
        (city, world.city_authority, world.authority),
    ):
        client.force_login(user)
        response = client.get(reverse("registry:coverage"))
        assert response.status_code == 200
        shown = {row.record.authority for row in response.context["table"].page.object_list}
        assert shown == {own}
        asked = client.get(reverse("registry:coverage"), {"authority": foreign.pk})
        assert foreign.full_name not in asked.content.decode()


def test_plans_campaigns_and_tasks_of_another_territory_are_out_of_reach(client, world, omsk, city):
    regional_plan = make_roadmap(world.region, "План мероприятий Омской области")
    city_plan = make_roadmap(world.city_authority, "План Администрации города Омска")
    make_item(city_plan, "1.1.", deadline_date=timezone.localdate() - timedelta(days=3))
    campaign = campaigns.open_campaign(
        city,
        kind=CampaignKind.ONE_OFF,
        due_date=timezone.localdate() + timedelta(days=30),
        authorities=[world.city_authority],
    )
    client.force_login(omsk)
    assert set(restrict(Roadmap, omsk, VIEW)) == {regional_plan}
    detail = reverse("roadmaps:roadmap_detail", args=[city_plan.pk])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("registry:campaign_detail", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("registry:campaign_close", args=[campaign.pk])).status_code == 404
    assert not [t for t in tasks_for(omsk) if str(campaign.pk) in t.url]
    assert [t for t in tasks_for(city) if str(campaign.pk) in t.url]
    with pytest.raises(PermissionDenied):
        campaigns.open_campaign(
            omsk,
            kind=CampaignKind.ONE_OFF,
            due_date=timezone.localdate() + timedelta(days=30),
            authorities=[world.city_authority],
        )
