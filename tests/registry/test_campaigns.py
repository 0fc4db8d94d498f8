"""Actualization campaigns: who takes part, who may answer, how a proposal answers, the
dashboard's order and counts, status distribution and catalogue coverage."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.scoping import restrict
from portal.workdays import ProductionCalendar
from registry.models import (
    AnswerState,
    Campaign,
    CampaignKind,
    ProcessGroup,
    ProposalAction,
    ReengineeringStatus,
    TypicalProcess,
)
from registry.services import campaigns as svc
from registry.services import proposals
from tests.conftest import make_authorities, make_process

pytestmark = pytest.mark.django_db


def future(days=30):
    return timezone.localdate() + timedelta(days=days)


def open_both(world, user=None, **extra):
    return svc.open_campaign(
        user or world.coordinator,
        kind=CampaignKind.ONE_OFF,
        due_date=future(),
        authorities=[world.authority, world.city_authority],
        **extra,
    )


def test_quarter_term_is_ten_working_days_after_the_quarter():
    # 31.12.2025 + 10 working days: 1-8 January are holidays, so 12-23 January 2026 count.
    assert svc.quarter_due(2025, 4) == date(2026, 1, 23)
    # 31.03.2026 (Tuesday) + 10 working days = 14.04.2026.
    assert svc.quarter_due(2026, 1) == date(2026, 4, 14)
    assert svc.quarter_title(2026, 1) == "I квартал 2026"


def test_an_authority_takes_part_with_all_its_units(world):
    campaign = open_both(world)
    units = set(campaign.participants.values_list("unit_id", flat=True))
    assert units == {world.unit.pk, world.other_unit.pk, world.city_unit.pk}
    assert campaign.title == f"Сбор сведений для реестра процессов в срок до {future():%d.%m.%Y}"


def test_chosen_units_only(world):
    campaign = svc.open_campaign(
        world.officer,
        kind=CampaignKind.QUARTERLY,
        year=2026,
        quarter=4,
        due_date=future(),
        units=[world.unit],
    )
    assert list(campaign.participants.values_list("unit_id", flat=True)) == [world.unit.pk]
    assert campaign.title == "Актуализация реестра процессов за IV квартал 2026"


def test_officer_opens_campaigns_for_his_authority_only(world):
    with pytest.raises(PermissionDenied):
        svc.open_campaign(
            world.officer,
            kind=CampaignKind.ONE_OFF,
            due_date=future(),
            authorities=[world.city_authority],
        )
    assert not Campaign.objects.exists()


def test_a_past_term_and_an_empty_choice_are_refused(world):
    with pytest.raises(svc.CampaignError, match="уже прошел"):
        svc.open_campaign(
            world.coordinator,
            kind=CampaignKind.ONE_OFF,
            due_date=timezone.localdate() - timedelta(days=1),
            authorities=[world.authority],
        )
    with pytest.raises(svc.CampaignError, match="Выберите"):
        svc.open_campaign(world.coordinator, kind=CampaignKind.ONE_OFF, due_date=future())


def participant(campaign, unit):
    return campaign.participants.get(unit=unit)


def test_no_changes_answer_by_the_unit_or_its_officer_only(world):
    campaign = open_both(world)
    own = participant(campaign, world.unit)
    with pytest.raises(PermissionDenied):
        svc.answer_no_changes(own, world.other_official)
    with pytest.raises(PermissionDenied):
        svc.answer_no_changes(own, world.city_officer)
    svc.answer_no_changes(own, world.official)
    own.refresh_from_db()
    assert own.answer == AnswerState.NO_CHANGES and own.answered_by == world.official
    svc.close_campaign(campaign, world.coordinator)
    other = participant(campaign, world.other_unit)
    with pytest.raises(svc.CampaignError, match="закрыта"):
        svc.answer_no_changes(other, world.officer)


def submit_change(world, author, process):
    proposal = proposals.open_draft(author)
    proposals.add_item(
        proposal,
        author,
        ProposalAction.EXCLUDE,
        process,
        exclude_reason="Функция передана",
    )
    return proposals.submit(proposal, author)


def test_a_submitted_proposal_answers_the_units_open_campaigns(world):
    campaign = open_both(world)
    closed = open_both(world)
    svc.close_campaign(closed, world.coordinator)
    svc.answer_no_changes(participant(campaign, world.unit), world.official)
    sent = submit_change(world, world.official, world.own_row)
    answer = participant(campaign, world.unit)
    assert answer.answer == AnswerState.PROPOSAL and answer.proposal == sent
    assert participant(closed, world.unit).answer == AnswerState.WAITING
    assert participant(campaign, world.other_unit).answer == AnswerState.WAITING


def test_dashboard_lists_overdue_first_and_counts_per_authority(world):
    campaign = open_both(world)
    svc.answer_no_changes(participant(campaign, world.city_unit), world.city_official)
    submit_change(world, world.official, world.own_row)
    # Read the board as if a week after the term.
    late = campaign.due_date + timedelta(days=7)
    board = svc.dashboard(campaign, world.coordinator, today=late)
    first = board.participants[0]
    assert first.unit == world.other_unit
    assert board.days_overdue[first.pk] == ProductionCalendar().working_days_between(
        campaign.due_date, late
    )
    assert [p.answer for p in board.participants] == ["waiting", "proposal", "no_changes"]
    per = {row.authority: row for row in board.per_authority}
    assert per[world.authority].counts == {"waiting": 1, "proposal": 1}
    assert per[world.authority].overdue == 1
    assert per[world.city_authority].counts == {"no_changes": 1}
    assert board.per_authority[0].authority == world.authority  # the one with overdue first
    # The proposal itself is past its review term by then too.
    assert (
        [p.pk for p in board.review_overdue]
        == [first.campaign.participants.get(unit=world.unit).proposal_id]
        if late > board.participants[1].proposal.review_due
        else []
    )


def test_officer_sees_only_his_authoritys_answers(world):
    campaign = open_both(world)
    board = svc.dashboard(campaign, world.officer)
    assert {p.authority for p in board.participants} == {world.authority}
    assert restrict(Campaign, world.city_official).get() == campaign
    assert set(restrict(campaign.participants, world.city_official)) == {
        participant(campaign, world.city_unit)
    }


def test_another_authoritys_campaign_is_not_found(client, world):
    campaign = svc.open_campaign(
        world.city_officer,
        kind=CampaignKind.ONE_OFF,
        due_date=future(),
        authorities=[],
        units=[world.city_unit],
    )
    client.force_login(world.officer)
    assert client.get(reverse("registry:campaign_detail", args=[campaign.pk])).status_code == 404
    answer = participant(campaign, world.city_unit)
    response = client.post(reverse("registry:campaign_no_changes", args=[answer.pk]))
    assert response.status_code == 404
    answer.refresh_from_db()
    assert answer.answer == AnswerState.WAITING


def test_dashboard_page_and_no_changes_button(client, world):
    campaign = open_both(world)
    client.force_login(world.official)
    page = client.get(reverse("registry:campaign_detail", args=[campaign.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Изменений нет" in body and world.city_unit.full_name not in body
    own = participant(campaign, world.unit)
    client.post(reverse("registry:campaign_no_changes", args=[own.pk]))
    own.refresh_from_db()
    assert own.answer == AnswerState.NO_CHANGES


def test_open_page_computes_the_quarter_term(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("registry:campaign_open"),
        {
            "kind": "quarterly",
            "year": timezone.localdate().year + 1,
            "quarter": 1,
            "authorities": [world.authority.pk],
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.due_date == svc.quarter_due(timezone.localdate().year + 1, 1)


def test_official_cannot_open_a_campaign(client, world):
    client.force_login(world.official)
    assert client.get(reverse("registry:campaign_open")).status_code == 403


def test_status_distribution_and_coverage(world):
    reengineered = ReengineeringStatus.objects.get(edition__level="regional", code="reengineered")
    make_process(world.authority, world.unit, "3", typical_code="4.1", status=reengineered)
    excluded = make_process(world.authority, world.unit, "4", typical_code="6.4")
    excluded.is_excluded = True
    excluded.save()
    rows = {g.group.code: g for g in svc.status_distribution(world.authority)}
    group4 = rows["4"]
    assert group4.total == 3  # rows 1, 2 (4.2) and 3; the excluded 6.4 is not counted
    counts = {status.code: n for status, n, _ in group4.counts}
    assert counts["reengineered"] == 1 and counts["research_queued"] == 2
    assert rows["6"].total == 0

    coverage = svc.catalogue_coverage(world.authority)
    groups = ProcessGroup.objects.filter(edition__level="regional")
    assert {g.code for g in coverage.missing_groups} == {g.code for g in groups} - {"4"}
    assert coverage.typical_covered == 2  # 4.1 and 4.2
    assert (
        coverage.typical_total
        == TypicalProcess.objects.filter(group__edition__level="regional").count()
    )
    group4_obj = groups.get(code="4")
    missing4 = {t.code for t in coverage.missing_typicals[group4_obj]}
    assert "4.1" not in missing4 and "4.2" not in missing4 and "4.3" in missing4


def test_coverage_page_scoped_to_the_users_authority(client, world):
    client.force_login(world.city_officer)
    page = client.get(reverse("registry:coverage"), {"authority": world.authority.pk})
    assert [c.authority for c in page.context["coverage"]] == [world.city_authority]


def test_a_sub_units_proposal_answers_for_its_unit(world):
    from registry.models import Role
    from tests.conftest import make_org, make_user

    sector = make_org("unit", "Сектор бюджетного учета ОПФО", world.unit)
    clerk = make_user("clerk", Role.OFFICIAL, sector)
    row = make_process(world.authority, sector, "7")
    campaign = open_both(world)
    assert not campaign.participants.filter(unit=sector).exists()  # direct units only
    submit_change(world, clerk, row)
    assert participant(campaign, world.unit).answer == AnswerState.PROPOSAL


def page_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_dashboard_queries_do_not_grow_with_authorities(client, world):
    two = open_both(world)
    six = svc.open_campaign(
        world.coordinator,
        kind=CampaignKind.ONE_OFF,
        due_date=future(),
        authorities=[world.authority, world.city_authority, *make_authorities(world.region, 4)],
    )
    for campaign in (two, six):
        svc.answer_no_changes(participant(campaign, world.city_unit), world.city_official)
    client.force_login(world.coordinator)
    url = reverse("registry:campaign_detail", args=[two.pk])
    page_queries(client, url)  # the session and the user, read once per request anyway
    with_two, page = page_queries(client, url)
    assert page.context["table"].paginator.count == 2
    with_six, page = page_queries(client, reverse("registry:campaign_detail", args=[six.pk]))
    assert page.context["table"].paginator.count == 6
    assert page.context["totals"]["no_changes"] == 1
    assert with_six == with_two


def test_services_for_many_authorities_give_what_each_gives_alone(world):
    more = make_authorities(world.region, 3, rows=3)
    authorities = [world.authority, world.city_authority, *more]
    distributions = svc.status_distributions(authorities)
    coverages = svc.catalogue_coverages(authorities)
    for authority in authorities:
        alone = svc.status_distribution(authority)
        assert [(g.group, g.counts, g.total) for g in distributions[authority.pk]] == [
            (g.group, g.counts, g.total) for g in alone
        ]
        one = svc.catalogue_coverage(authority)
        together = coverages[authority.pk]
        assert (together.missing_groups, together.missing_typicals) == (
            one.missing_groups,
            one.missing_typicals,
        )
        assert (together.typical_total, together.typical_covered) == (
            one.typical_total,
            one.typical_covered,
        )
    assert coverages[more[0].pk].typical_covered == 3  # 4.1, 6.4 and 1.1
    assert distributions[world.city_authority.pk][0].group.edition.level == "municipal"
