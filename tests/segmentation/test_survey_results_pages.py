"""The results pages' free-text answers filtered by tag (a survey's and a process group's),
tagging that returns to the page it was done on, and «Сводка по анкетам» of a regional
coordinator: his territory's authorities only (portal.scoping, Reach.TERRITORY)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from registry.models import Role
from segmentation.models import AnswerTag, SurveyAnswer
from segmentation.services import surveys
from tests.conftest import make_user
from tests.segmentation.surveys import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    survey = make_survey(world)
    for text in ("Долго ждал", "Не нашел форму", "Все понятно"):
        surveys.record_answer(survey, csat=3, text=text)
    surveys.record_answer(survey, csat=5)  # no text: never among the free-text answers
    waiting = AnswerTag.objects.get(name="Долгое ожидание")
    surveys.tag_answer(SurveyAnswer.objects.get(text="Долго ждал"), waiting, world.officer)
    return survey


def shown(response) -> list[str]:
    return [answer.text for answer in response.context["texts"]]


@pytest.mark.parametrize("page", ["survey_detail", "survey_group_results"])
def test_free_text_answers_are_filtered_by_tag(client, world, survey, page):
    client.force_login(world.officer)
    url = reverse(
        f"segmentation:{page}", args=[survey.pk if page == "survey_detail" else survey.group_id]
    )
    waiting = AnswerTag.objects.get(name="Долгое ожидание")
    assert sorted(shown(client.get(url))) == ["Все понятно", "Долго ждал", "Не нашел форму"]
    tagged = client.get(url, {"tag": waiting.pk, "by": "week"})
    assert shown(tagged) == ["Долго ждал"]
    html = tagged.content.decode()
    assert f'<option value="{waiting.pk}" selected>' in html
    assert f"by=month&tag={waiting.pk}" in html  # the trend's other view keeps the filter
    assert sorted(shown(client.get(url, {"tag": "none"}))) == ["Все понятно", "Не нашел форму"]
    # the figures are of every answer whatever the filter
    assert tagged.context["results"].count == 4
    other = AnswerTag.objects.exclude(pk=waiting.pk).first()
    empty = client.get(url, {"tag": other.pk})
    assert shown(empty) == [] and "Свободных ответов с этой меткой нет." in empty.content.decode()
    refused = client.get(url, {"tag": "abc"})
    assert refused.status_code == 400 and "Параметр «tag»" in refused.content.decode()


def test_tagging_returns_to_the_page_it_was_done_on(client, world, survey):
    client.force_login(world.officer)
    answer = SurveyAnswer.objects.get(text="Не нашел форму")
    tag = reverse("segmentation:survey_tag", args=[answer.pk])
    found = AnswerTag.objects.get(name="Сложно найти информацию")
    group_page = reverse("segmentation:survey_group_results", args=[survey.group_id]) + "?tag=none"
    response = client.post(tag, {"tag": found.pk, "next": group_page})
    assert response["Location"] == f"{group_page}#answers"
    assert SurveyAnswer.objects.get(pk=answer.pk).tag == found
    # another site, or nothing: the survey's own page
    detail = reverse("segmentation:survey_detail", args=[survey.pk]) + "#answers"
    for back in ("https://example.com/", ""):
        assert client.post(tag, {"tag": "", "next": back})["Location"] == detail


def test_a_regional_coordinator_sees_his_territorys_authorities_only(client, world, survey):
    city = make_survey(world, authority=world.city_authority, title="Анкета города")
    surveys.record_answer(city, csat=2)
    for user, own, foreign in (
        (make_user("coordinator_omsk", Role.COORDINATOR, world.region), survey, city),
        (make_user("coordinator_city", Role.COORDINATOR, world.city_unit), city, survey),
    ):
        client.force_login(user)
        overview = reverse("segmentation:survey_overview")
        page = client.get(overview)
        assert [row["survey__title"] for row in page.context["by_survey"]] == [own.title]
        html = page.content.decode()
        assert own.authority.full_name in html and foreign.authority.full_name not in html
        # the chart's figures and the XLSX hold the same rows
        chart = page.context["chart"]
        assert len(chart.labels) == 1 and own.authority.full_name in chart.labels[0]
        xlsx = b"".join(client.get(overview, {"export": "xlsx"}).streaming_content)
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx))
        cells = [str(c) for row in sheet.active.iter_rows(values_only=True) for c in row if c]
        assert own.authority.full_name in cells and foreign.authority.full_name not in cells
        # a group's results count his territory's answers only
        group = client.get(reverse("segmentation:survey_group_results", args=[foreign.group_id]))
        assert group.context["results"].count == 0
        assert (
            client.get(reverse("segmentation:survey_detail", args=[foreign.pk])).status_code == 404
        )
