"""Surveys through the API (issue 17 item 1, "surveys' aggregated results"): the surveys a
user reads and their results — the same numbers as the results pages, since both come from
services.survey_results — and never an answer by itself or a contact left for a reply."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import Role
from segmentation.models import AnswerTag, SurveyAnswer
from segmentation.services import surveys
from tests.conftest import make_user
from tests.segmentation.surveys import make_survey

pytestmark = pytest.mark.django_db

CONTACT = "ivanov@example.ru"


@pytest.fixture
def survey(world):
    """Five answers over two months, one of them tagged, one with a contact."""
    survey = make_survey(world)
    for csat, ces, choices in ((5, 6, (0, 1)), (4, 5, (1, 0)), (4, 7, (0,)), (2, 3, (2, 1))):
        surveys.record_answer(survey, csat=csat, ces=ces, choices=choices, text=f"оценка {csat}")
    surveys.record_answer(
        survey, csat=1, text="Долго ждал ответа", contact=CONTACT, consent_text="Согласен"
    )
    earlier = timezone.now() - timedelta(days=40)
    SurveyAnswer.objects.filter(csat__in=(1, 2)).update(submitted_at=earlier)
    waiting = AnswerTag.objects.get(name="Долгое ожидание")
    surveys.tag_answer(SurveyAnswer.objects.get(csat=1), waiting, world.officer)
    return survey


def page_figures(context) -> dict:
    """The results page's numbers, in the API's shape."""
    results = context["results"]
    scale = lambda counts, mean, n: {  # noqa: E731
        "answers": n,
        "mean": None if mean is None else round(mean, 2),
        "distribution": [{"score": s, "answers": c} for s, c in enumerate(counts, start=1)],
    }
    trend = context["charts"][-1]  # the trend chart: its table's rows
    assert trend.key == "trend"
    return {
        "answers": results.count,
        "csat": scale(results.csat_counts, results.csat_mean, results.count),
        "ces": scale(results.ces_counts, results.ces_mean, results.ces_count),
        "satisfied_share": results.satisfied_share,
        "trend": list(zip(trend.labels, *(series.values for series in trend.series), strict=True)),
        "questions": [
            {"text": text, "options": [{"option": o, "answers": n} for o, n in options]}
            for text, options in context["questions"]
        ],
        "tags": [{"tag": name, "answers": n} for name, n in results.tags],
    }


def api_figures(body) -> dict:
    shape = "%m.%Y" if body["trend_by"] == "month" else "%d.%m.%Y"
    return {
        "answers": body["answers"],
        "csat": body["csat"],
        "ces": body["ces"],
        "satisfied_share": body["satisfied_share"],
        "trend": [
            (date.fromisoformat(row["period"]).strftime(shape), row["answers"], row["csat_mean"])
            for row in body["trend"]
        ],
        "questions": body["questions"],
        "tags": body["tags"],
    }


@pytest.mark.parametrize("by", ["month", "week"])
def test_the_results_are_the_results_pages_numbers(client, world, survey, as_user, by):
    client.force_login(world.officer)
    api = as_user(world.officer)
    page = client.get(reverse("segmentation:survey_detail", args=[survey.pk]), {"by": by})
    body = api.get(reverse("api:survey-results", args=[survey.pk]), {"by": by}).json()
    assert api_figures(body) == page_figures(page.context)
    # and what they are: 5 answers, three satisfied of five, the tag, two months
    assert body["answers"] == 5 and body["satisfied_share"] == 60
    assert [d["answers"] for d in body["csat"]["distribution"]] == [1, 1, 0, 2, 1]
    assert body["ces"]["answers"] == 4 and body["ces"]["mean"] == 5.25
    assert body["questions"][0]["options"][0] == {"option": "лично", "answers": 2}
    assert body["tags"] == [{"tag": "Долгое ожидание", "answers": 1}]
    assert sum(row["answers"] for row in body["trend"]) == 5 and body["trend_by"] == by
    if by == "month":
        assert len(body["trend"]) == 2
        assert body["trend"][0]["csat_mean"] == 1.5  # the earlier month: 1 and 2
    # the group's results, on its page and through the API, for the nationwide coordinator
    group = survey.group_id
    client.force_login(world.coordinator)
    page = client.get(reverse("segmentation:survey_group_results", args=[group]), {"by": by})
    api = as_user(world.coordinator)
    body = api.get(reverse("api:survey_group_results", args=[group]), {"by": by}).json()
    assert api_figures(body) == page_figures(page.context) and body["answers"] == 5


def test_no_answer_by_itself_and_no_contact(world, survey, as_user):
    api = as_user(world.officer)
    bodies = [
        api.get(reverse("api:survey-list")).content.decode(),
        api.get(reverse("api:survey-detail", args=[survey.pk])).content.decode(),
        api.get(reverse("api:survey-results", args=[survey.pk])).content.decode(),
        api.get(reverse("api:survey_group_results", args=[survey.group_id])).content.decode(),
    ]
    for body in bodies:
        assert CONTACT not in body and "Долго ждал ответа" not in body and "оценка 4" not in body
    [listed] = api.get(reverse("api:survey-list")).json()["results"]
    assert listed["answer_count"] == 5 and listed["state"] == "открыта" and listed["is_open"]
    assert listed["public_url"].endswith(f"/s/{survey.code}/")
    assert listed["results"].endswith(reverse("api:survey-results", args=[survey.pk]))
    assert listed["questions"][1] == {"text": "Получили ли вы результат?", "options": ["да", "нет"]}


def test_a_period_and_bad_parameters(world, survey, as_user):
    api = as_user(world.officer)
    url = reverse("api:survey-results", args=[survey.pk])
    today = timezone.localdate()
    recent = api.get(url, {"start": (today - timedelta(days=10)).isoformat()}).json()
    assert recent["answers"] == 3 and recent["period_start"] == str(today - timedelta(days=10))
    assert recent["satisfied_share"] == 100
    old = api.get(url, {"end": (today - timedelta(days=10)).isoformat()}).json()
    assert old["answers"] == 2 and old["tags"] == [{"tag": "Долгое ожидание", "answers": 1}]
    for params in (
        {"start": "01.12.2026"},
        {"by": "day"},
        {"start": "2026-12-02", "end": "2026-12-01"},
    ):
        refused = api.get(url, params)
        assert refused.status_code == 400, params
        assert not refused.json()["detail"].isascii()


def test_another_authority_reads_neither_the_survey_nor_its_answers(world, survey, as_user):
    api = as_user(world.city_officer)
    assert api.get(reverse("api:survey-detail", args=[survey.pk])).status_code == 404
    assert api.get(reverse("api:survey-results", args=[survey.pk])).status_code == 404
    assert api.get(reverse("api:survey-list")).json()["results"] == []
    group = api.get(reverse("api:survey_group_results", args=[survey.group_id])).json()
    assert group["answers"] == 0 and group["tags"] == []
    assert api.get(reverse("api:survey_group_results", args=[10**9])).status_code == 404


def test_a_regional_coordinator_reads_his_territorys_surveys(world, survey, as_user):
    city = make_survey(world, authority=world.city_authority, title="Анкета города")
    surveys.record_answer(city, csat=3)
    omsk = as_user(make_user("coordinator_omsk", Role.COORDINATOR, world.region))
    assert [s["id"] for s in omsk.get(reverse("api:survey-list")).json()["results"]] == [survey.pk]
    assert omsk.get(reverse("api:survey-results", args=[city.pk])).status_code == 404
    own = omsk.get(reverse("api:survey_group_results", args=[survey.group_id])).json()
    assert own["answers"] == 5
    theirs = omsk.get(reverse("api:survey_group_results", args=[city.group_id])).json()
    assert theirs["answers"] == 0


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_results_and_lists_cost_the_same_queries_whatever_the_answers(world, survey, as_user):
    api = as_user(world.coordinator)
    urls = [
        reverse("api:survey-list"),
        reverse("api:survey-results", args=[survey.pk]),
        reverse("api:survey_group_results", args=[survey.group_id]),
    ]
    queries(api, urls[0])  # the token's last use is written once
    few = [queries(api, url) for url in urls]
    for n in range(20):
        surveys.record_answer(survey, csat=1 + n % 5, ces=1 + n % 7, choices=(n % 3, n % 2))
    make_survey(world, authority=world.city_authority, title="Анкета города")
    assert [queries(api, url) for url in urls] == few
