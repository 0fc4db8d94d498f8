"""The count of «Мои задачи» in the bar of every signed-in page (portal.tasks.count_for) and
the landing page after sign-in (the home page of the user's most urgent tasks)."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import tasks
from registry.models import CampaignKind
from registry.services import campaigns
from tests.conftest import PASSWORD
from tests.registry.test_task_groups import roadmap_measures, submit

pytestmark = pytest.mark.django_db

ROLES = ["official", "officer", "coordinator", "admin"]


def badge(html):
    """(count, css) of the bar's badge, None without one."""
    found = re.search(
        r'class="badge rounded-pill ([^"]+)" data-testid="task-count"[^>]*>'
        r'<span aria-hidden="true">(\d+)</span>',
        html,
    )
    return (int(found[2]), found[1]) if found else None


def get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def campaign(world):
    campaigns.open_campaign(
        world.coordinator,
        kind=CampaignKind.ONE_OFF,
        due_date=timezone.localdate() + timedelta(days=5),
        authorities=[world.authority],
    )


def few_tasks(world):
    campaign(world)
    submit(world.official, world.own_row)
    roadmap_measures(world, 1)


def many_tasks(world):
    for _ in range(4):
        campaign(world)
    submit(world.other_official, world.other_unit_row)
    roadmap_measures(world, 25)


def test_the_badge_agrees_with_the_tasks_page_and_is_red_when_something_is_overdue(client, world):
    roadmap_measures(world, 3)  # due 31.01.2025: overdue
    submit(world.official, world.own_row)
    response = get(client, world.officer, reverse("registry:tasks"))
    total = response.context["total"]
    assert total == len(tasks.tasks_for(world.officer)) == 5  # review, publication, 3 measures
    html = response.content.decode()
    assert badge(html) == (total, "text-bg-danger")
    overdue = sum(group.overdue_count for group in response.context["groups"])
    assert overdue >= 3  # the measures
    assert f"(открытых задач: 5, просрочено: {overdue})" in html
    # Any other page shows the same count.
    assert badge(get(client, world.officer, reverse("portal:job_list")).content.decode()) == (
        total,
        "text-bg-danger",
    )


def test_a_badge_without_overdue_tasks_is_not_red_and_none_without_tasks(client, world):
    submit(world.other_official, world.other_unit_row)
    # The official has nothing to do; the officer one review, due in ten working days, and
    # the publication of rows entered today (not yet due).
    assert badge(get(client, world.official, reverse("home")).content.decode()) is None
    assert badge(get(client, world.officer, reverse("home")).content.decode()) == (
        2,
        "text-bg-light",
    )
    client.logout()  # a visitor has no «Мои задачи»
    assert badge(client.get(reverse("public_index")).content.decode()) is None


def test_the_tasks_page_refreshes_a_count_kept_from_before(client, world):
    assert badge(get(client, world.officer, reverse("portal:job_list")).content.decode()) == (
        1,
        "text-bg-light",
    )
    roadmap_measures(world, 2)
    # Kept for TASK_COUNT_CACHE_SECONDS on other pages; the tasks page counts anew.
    assert badge(get(client, world.officer, reverse("portal:job_list")).content.decode())[0] == 1
    html = get(client, world.officer, reverse("registry:tasks")).content.decode()
    assert badge(html) == (3, "text-bg-danger")
    assert badge(get(client, world.officer, reverse("portal:job_list")).content.decode())[0] == 3


def count_queries(user):
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        counted = tasks.count_for(user)
    with CaptureQueriesContext(connection) as warm:
        assert tasks.count_for(user) == counted
    return len(cold), len(warm), counted.open


@pytest.mark.parametrize("role", ROLES)
def test_the_count_costs_a_constant_number_of_queries_and_none_once_kept(world, role):
    user = getattr(world, role)
    few_tasks(world)
    cold, warm, _ = count_queries(user)
    assert warm == 0
    many_tasks(world)
    assert count_queries(user)[:2] == (cold, 0)


@pytest.mark.parametrize("role", ROLES)
def test_a_page_costs_the_same_queries_with_few_and_many_tasks(
    client, world, role, django_assert_num_queries
):
    user = getattr(world, role)
    client.force_login(user)
    url = reverse("portal:job_list")  # a page whose own queries do not depend on the tasks
    few_tasks(world)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    many_tasks(world)
    cache.clear()
    with django_assert_num_queries(len(few)):
        html = client.get(url).content.decode()
    assert (badge(html) or (0,))[0] == len(tasks.tasks_for(user))
    # Within TASK_COUNT_CACHE_SECONDS the count costs no query at all.
    with django_assert_num_queries(len(kept)):
        client.get(url)
    assert len(kept) < len(few) or not tasks.tasks_for(user)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lands_on_its_home_page_with_its_tasks(client, world, role):
    user = getattr(world, role)
    roadmap_measures(world, 2)
    submit(world.official, world.own_row)
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    expected = tasks.most_urgent(tasks.tasks_for(user))
    assert [t.title for t in response.context["urgent"]] == [t.title for t in expected]
    html = response.content.decode()
    assert 'data-testid="urgent-tasks"' in html
    for task in expected:
        assert task.title in html
    if role == "officer":  # the review and the two measures are his
        assert len(expected) == 3


def test_sign_in_still_follows_next(client, world):
    response = client.post(
        reverse("login") + "?next=" + reverse("registry:proposal_list"),
        {"username": world.officer.username, "password": PASSWORD, "next": "/registry/proposals/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:proposal_list")
