""" "Мои задачи" grouped by kind, nearest term first, filtered by kind and state; the home
page's three most urgent tasks."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import tasks
from registry.models import CampaignKind, ProposalAction
from registry.services import campaigns, proposals
from tests.roadmaps.conftest import make_item, make_roadmap

pytestmark = pytest.mark.django_db


def submit(official, row):
    proposal = proposals.open_draft(official)
    proposals.add_item(proposal, official, ProposalAction.EXCLUDE, row, exclude_reason="Передано")
    return proposals.submit(proposal, official)


def roadmap_measures(world, count):
    roadmap = make_roadmap(world.authority)
    for n in range(count):
        make_item(roadmap, number=f"1.{n + 1}.")  # due 31.01.2025: long overdue


def page(client, user, **query):
    client.force_login(user)
    return client.get(reverse("registry:tasks"), query)


def groups_of(response):
    return [(g.kind, g.count) for g in response.context["groups"]]


def test_the_review_heads_the_page_above_many_overdue_measures(client, world):
    roadmap_measures(world, 14)
    sent = submit(world.official, world.own_row)
    response = page(client, world.officer)
    assert groups_of(response) == [("review", 1), ("publication", 1), ("roadmap", 14)]
    review, publication, roadmap = response.context["groups"]
    assert review.heading == "Проверить предложения"
    assert [t.title for t in review.tasks] == [f"Проверить предложение № {sent.pk}"]
    # A long group shows its first ten with a link to all of them.
    assert len(roadmap.shown) == 10
    html = response.content.decode()
    assert "Все задачи группы «Мероприятия дорожных карт» (14)" in html
    assert html.index(f"Проверить предложение № {sent.pk}") < html.index("Исполнить мероприятие")
    assert len(page(client, world.officer, kind="roadmap").context["groups"][0].shown) == 14


def test_nearest_term_first_within_a_group_and_overdue_first(world):
    today = timezone.localdate()
    late = submit(world.official, world.own_row)
    soon = submit(world.other_official, world.other_unit_row)
    late.review_due = today - timedelta(days=2)
    late.save()
    soon.review_due = today + timedelta(days=1)
    soon.save()
    (review, *_) = tasks.grouped(tasks.tasks_for(world.officer, today))
    assert [(t.title, t.state) for t in review.tasks] == [
        (f"Проверить предложение № {late.pk}", tasks.OVERDUE),
        (f"Проверить предложение № {soon.pk}", tasks.SOON),
    ]
    assert review.overdue_count == 1


def test_states_count_working_days(world):
    sent = submit(world.official, world.own_row)
    # Friday 4 December 2026: Monday the 7th is one working day away, Friday the 11th five.
    friday = timezone.datetime(2026, 12, 4).date()
    sent.review_due = friday + timedelta(days=3)
    sent.save()
    states = {t.title: t.state for t in tasks.tasks_for(world.officer, friday)}
    assert states[f"Проверить предложение № {sent.pk}"] == tasks.SOON
    sent.review_due = friday + timedelta(days=7)
    sent.save()
    states = {t.title: t.state for t in tasks.tasks_for(world.officer, friday)}
    assert states[f"Проверить предложение № {sent.pk}"] == tasks.LATER


def test_filters_by_kind_and_state(client, world):
    roadmap_measures(world, 2)
    submit(world.official, world.own_row)
    assert groups_of(page(client, world.officer, kind="review")) == [("review", 1)]
    # The review is due in ten working days: not overdue; the measures and publication are.
    overdue = page(client, world.officer, state="overdue")
    assert ("review", 1) not in groups_of(overdue)
    assert ("roadmap", 2) in groups_of(overdue)
    later = page(client, world.officer, state="later", kind="review")
    assert groups_of(later) == [("review", 1)]
    nothing = page(client, world.officer, state="soon", kind="review")
    assert groups_of(nothing) == []
    assert "Задач с выбранными условиями нет" in nothing.content.decode()


def test_a_wrong_filter_is_named_with_what_is_allowed(client, world):
    response = page(client, world.officer, kind="всё")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Параметр «kind» (Вид задачи): допустимы «review» (Проверить предложения)" in text
    assert "Traceback" not in text


def test_the_official_answers_the_campaign(client, world):
    campaign = campaigns.open_campaign(
        world.coordinator,
        kind=CampaignKind.ONE_OFF,
        due_date=timezone.localdate() + timedelta(days=5),
        authorities=[world.authority],
    )
    response = page(client, world.official)
    assert groups_of(response) == [("campaign", 1)]
    assert response.context["groups"][0].heading == "Ответить на кампанию (актуализация)"
    assert f"Представить сведения: {campaign.title}" in response.content.decode()


def queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("registry:tasks")).status_code == 200
    return len(captured)


def test_constant_queries_whatever_the_number_of_tasks(client, world):
    def campaign():
        campaigns.open_campaign(
            world.coordinator,
            kind=CampaignKind.ONE_OFF,
            due_date=timezone.localdate() + timedelta(days=5),
            authorities=[world.authority],
        )

    campaign()
    submit(world.official, world.own_row)
    roadmap_measures(world, 1)
    few = queries(client, world.officer), queries(client, world.coordinator)
    for _ in range(3):
        campaign()
    submit(world.other_official, world.other_unit_row)
    roadmap_measures(world, 6)
    assert (queries(client, world.officer), queries(client, world.coordinator)) == few
    # The first campaign is answered by the two proposals, the later three are waiting.
    kinds = [t.kind for t in tasks.tasks_for(world.officer)]
    assert [kinds.count(k) for k in ("campaign", "review", "roadmap", "publication")] == [
        3,
        2,
        7,
        1,
    ]


def test_home_shows_the_three_most_urgent(client, world):
    roadmap_measures(world, 5)
    sent = submit(world.official, world.own_row)
    client.force_login(world.officer)
    response = client.get(reverse("home"))
    urgent = response.context["urgent"]
    assert len(urgent) == 3
    assert all(t.state == tasks.OVERDUE for t in urgent)  # the measures of January 2025
    html = response.content.decode()
    assert f'href="{reverse("registry:tasks")}?kind=review"' in html
    assert "Все мои задачи (7)" in html
    assert f"Проверить предложение № {sent.pk}" not in [t.title for t in urgent]


@pytest.mark.parametrize("role", ["official", "officer", "coordinator", "admin"])
def test_home_of_every_role_has_an_empty_state(client, world, role):
    client.force_login(getattr(world, role))
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="urgent-tasks"' in html
    expected = tasks.tasks_for(getattr(world, role))
    if expected:  # the officer: the World's rows were entered today and never published
        assert expected[0].title in html
    else:
        assert "Срочных задач нет" in html


def test_home_for_an_anonymous_visitor(client, world):
    html = client.get(reverse("home")).content.decode()
    assert "Войти" in html and "Самое срочное" not in html
