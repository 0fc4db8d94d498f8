"""The campaign dashboard at national scale: answers counted by the database per authority
in a paged, filtered table with its XLSX; one authority's units on their own page."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from registry.models import AnswerState, Campaign
from registry.services import campaigns as svc
from tests.conftest import make_authorities
from tests.registry.test_campaigns import open_both, participant

pytestmark = pytest.mark.django_db


def detail(campaign):
    return reverse("registry:campaign_detail", args=[campaign.pk])


def of_authority(campaign, authority):
    return reverse("registry:campaign_authority", args=[campaign.pk, authority.pk])


def test_answers_per_authority_are_counted_and_unanswered_come_first(client, world):
    campaign = open_both(world)
    svc.answer_no_changes(participant(campaign, world.city_unit), world.city_official)
    Campaign.objects.filter(pk=campaign.pk).update(
        due_date=timezone.localdate() - timedelta(days=3)
    )
    client.force_login(world.coordinator)
    page = client.get(detail(campaign))
    rows = [r.record for r in page.context["table"].page.object_list]
    assert [r["authority_id"] for r in rows] == [world.authority.pk, world.city_authority.pk]
    assert (rows[0]["waiting"], rows[0]["total"], rows[1]["no_changes"]) == (2, 2, 1)
    totals = page.context["totals"]
    assert (totals["authorities"], totals["total"], totals["waiting"]) == (2, 3, 2)
    body = page.content.decode()
    assert "2 просрочено" in body and 'data-testid="participants"' not in body
    assert of_authority(campaign, world.authority) in body


def test_filter_and_export_give_the_listed_authorities(client, world):
    campaign = svc.open_campaign(
        world.coordinator,
        kind="one_off",
        due_date=timezone.localdate() + timedelta(days=30),
        authorities=[world.authority, world.city_authority, *make_authorities(world.region, 2)],
    )
    svc.answer_no_changes(participant(campaign, world.city_unit), world.city_official)
    client.force_login(world.coordinator)
    unanswered = client.get(detail(campaign), {"unanswered": "on"}).context["table"]
    assert unanswered.paginator.count == 3  # the city answered for its only unit
    response = client.get(detail(campaign), {"region": world.region.pk, "export": "xlsx"})
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Орган власти" and "Ответы подразделений" not in rows[0]
    assert {r[0] for r in rows[1:]} == {
        world.authority.full_name,
        "Министерство № 1",
        "Министерство № 2",
    }


def test_one_authoritys_page_lists_its_units_with_the_answer_button(client, world):
    campaign = open_both(world)
    client.force_login(world.coordinator)
    page = client.get(of_authority(campaign, world.authority))
    assert page.status_code == 200
    assert {p.unit for p in page.context["board"].participants} == {world.unit, world.other_unit}
    assert page.context["distribution"]  # the status of its registry
    client.force_login(world.officer)
    assert client.get(of_authority(campaign, world.city_authority)).status_code == 404
    own = client.get(of_authority(campaign, world.authority)).content.decode()
    assert "Изменений нет" in own


def test_an_authority_outside_the_campaign_is_not_found(client, world):
    campaign = svc.open_campaign(
        world.coordinator,
        kind="one_off",
        due_date=timezone.localdate() + timedelta(days=30),
        authorities=[world.authority],
    )
    client.force_login(world.coordinator)
    assert client.get(of_authority(campaign, world.city_authority)).status_code == 404
    # one authority in the campaign: its units are on the dashboard itself
    page = client.get(detail(campaign))
    assert page.context["authority"] == world.authority
    assert participant(campaign, world.unit).answer == AnswerState.WAITING


def test_the_dashboards_export_is_written_at_once_whatever_the_limit(client, world, settings):
    settings.EXPORT_INLINE_ROWS = 0  # a list's export above it would be a job
    campaign = open_both(world)
    client.force_login(world.coordinator)
    response = client.get(detail(campaign), {"export": "xlsx"})
    assert response.status_code == 200
    assert (
        len(
            list(
                openpyxl.load_workbook(
                    io.BytesIO(b"".join(response.streaming_content))
                ).active.iter_rows()
            )
        )
        == 3
    )


def test_equal_answers_are_listed_by_name_so_pages_do_not_overlap(client, world):
    made = make_authorities(world.region, 3)
    campaign = svc.open_campaign(
        world.coordinator,
        kind="one_off",
        due_date=timezone.localdate() + timedelta(days=30),
        authorities=list(reversed(made)),
    )
    client.force_login(world.coordinator)
    table = client.get(detail(campaign)).context["table"]
    assert [r.record["authority_id"] for r in table.page.object_list] == [a.pk for a in made]
