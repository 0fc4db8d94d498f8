"""The survey kit (issue 16): the public page takes an answer once per browser, refuses robots,
floods, closed surveys and bad input in Russian; the results become an assessment that the
coverage counts; another authority's officer gets 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from segmentation.models import (
    AnswerTag,
    SatisfactionAssessment,
    Survey,
    SurveyAnswer,
    SurveyContact,
)
from segmentation.services import surveys
from segmentation.services.coverage import authority_coverage
from tests.segmentation.surveys import answer_data, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    return make_survey(world)


def public(survey):
    return reverse("survey_public", args=[survey.code])


def test_the_public_page_says_who_collects_and_asks_no_personal_data(client, survey):
    response = client.get(public(survey))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ответы собирает <strong>Главное управление молодежной политики Омской области" in page
    assert "Анкета анонимная" in page
    assert "Как вы обратились?" in page and "152-ФЗ" in page


def test_an_answer_is_written_once_per_browser(client, survey):
    response = client.post(public(survey), answer_data(csat=4))
    assert response.status_code == 200
    assert "Ваш ответ учтен" in response.content.decode()
    answer = SurveyAnswer.objects.get()
    assert (answer.csat, answer.ces, answer.choice_1, answer.choice_2) == (4, 6, 1, None)
    again = client.post(public(survey), answer_data(csat=1))
    assert "уже был учтен" in again.content.decode()
    assert SurveyAnswer.objects.count() == 1
    Client().post(public(survey), answer_data(csat=2))  # another browser counts
    assert SurveyAnswer.objects.count() == 2


def test_a_forged_cookie_does_not_hide_an_answer(client, survey):
    client.cookies[f"survey_{survey.code}"] = "1"
    client.post(public(survey), answer_data())
    assert SurveyAnswer.objects.count() == 1


def test_the_honeypot_takes_nothing(client, survey):
    response = client.post(public(survey), answer_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "Спасибо" in response.content.decode()
    assert SurveyAnswer.objects.count() == 0


def test_rate_limit_per_address(settings, survey):
    settings.SURVEY_ANSWERS_PER_ADDRESS = 2
    codes = [
        Client(REMOTE_ADDR="10.0.0.7").post(public(survey), answer_data()).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    refused = Client(REMOTE_ADDR="10.0.0.7").post(public(survey), answer_data())
    assert "слишком много ответов" in refused.content.decode()
    assert Client(REMOTE_ADDR="10.0.0.8").post(public(survey), answer_data()).status_code == 200
    assert SurveyAnswer.objects.count() == 3


def test_rate_limit_per_survey(settings, world, survey):
    settings.SURVEY_ANSWERS_PER_SURVEY = 2
    codes = [
        Client(REMOTE_ADDR=f"10.0.1.{n}").post(public(survey), answer_data()).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
    other = make_survey(world, title="Другая анкета")
    assert Client(REMOTE_ADDR="10.0.1.9").post(public(other), answer_data()).status_code == 200


def test_a_closed_survey_refuses_answers(client, survey):
    today = timezone.localdate()
    Survey.objects.filter(pk=survey.pk).update(
        starts_on=today - timedelta(days=60), ends_on=today - timedelta(days=1)
    )
    response = client.post(public(survey), answer_data())
    assert response.status_code == 410
    assert "Анкета закрыта" in response.content.decode()
    assert client.get(public(survey)).status_code == 410
    assert SurveyAnswer.objects.count() == 0
    survey.refresh_from_db()
    with pytest.raises(ValidationError):
        surveys.record_answer(survey, csat=5)


def test_a_survey_not_yet_open_says_when_it_opens(client, survey):
    tomorrow = timezone.localdate() + timedelta(days=1)
    Survey.objects.filter(pk=survey.pk).update(starts_on=tomorrow)
    response = client.post(public(survey), answer_data())
    assert response.status_code == 410
    assert "Анкета еще не открыта" in response.content.decode()
    assert SurveyAnswer.objects.count() == 0


def test_bad_input_gets_a_russian_message_and_nothing_is_written(client, survey):
    response = client.post(public(survey), {"text": "без оценки"})
    assert response.status_code == 400
    assert "Выберите оценку от 1 до 5." in response.content.decode()
    long = client.post(public(survey), answer_data(text="а" * 1001))
    assert long.status_code == 400
    assert "Ответ длиннее 1000 знаков" in long.content.decode()
    wrong = client.post(public(survey), answer_data(csat="9", choice_1="7"))
    assert wrong.status_code == 400
    assert SurveyAnswer.objects.count() == 0


def test_the_form_is_csrf_protected(survey):
    response = Client(enforce_csrf_checks=True).post(public(survey), answer_data())
    assert response.status_code == 403
    assert SurveyAnswer.objects.count() == 0


def test_a_contact_needs_consent_and_is_kept_apart(client, survey):
    refused = client.post(public(survey), answer_data(contact="+7 900 000-00-00"))
    assert refused.status_code == 400
    assert "отметьте согласие" in refused.content.decode()
    client.post(public(survey), answer_data(contact="+7 900 000-00-00", consent="on"))
    contact = SurveyContact.objects.get()
    assert contact.contact == "+7 900 000-00-00" and "152-ФЗ" in contact.consent_text
    assert contact.given_on == timezone.localdate()
    assert not hasattr(SurveyAnswer.objects.get(), "contact")


def test_an_unknown_or_archived_survey_is_404(client, survey):
    assert client.get("/s/nosuchcode/").status_code == 404
    Survey.objects.filter(pk=survey.pk).update(is_archived=True)
    assert client.get(public(survey)).status_code == 404


def test_another_authoritys_officer_gets_404(client, world, survey):
    surveys.record_answer(survey, csat=3, text="Долго ждал")
    answer = SurveyAnswer.objects.get()
    client.force_login(world.city_officer)
    for name in ("survey_detail", "survey_print", "survey_edit"):
        assert client.get(reverse(f"segmentation:{name}", args=[survey.pk])).status_code == 404
    assess = reverse("segmentation:survey_assess", args=[survey.pk])
    assert client.post(assess, {"month": "2026-12"}).status_code == 404
    tag = AnswerTag.objects.first()
    assert (
        client.post(
            reverse("segmentation:survey_tag", args=[answer.pk]), {"tag": tag.pk}
        ).status_code
        == 404
    )
    # his overview and group results do not count the other authority's answer
    overview = client.get(reverse("segmentation:survey_overview"))
    assert "Оценка консультаций" not in overview.content.decode()
    group = client.get(reverse("segmentation:survey_group_results", args=[survey.group_id]))
    assert group.context["results"].count == 0


def test_results_and_a_month_become_an_assessment_the_coverage_counts(client, world, survey):
    for csat in (5, 4, 4, 2):
        surveys.record_answer(survey, csat=csat, ces=5, choices=(0, 1), text=f"оценка {csat}")
    waiting = AnswerTag.objects.get(name="Долгое ожидание")
    client.force_login(world.officer)
    low = SurveyAnswer.objects.get(csat=2)
    client.post(reverse("segmentation:survey_tag", args=[low.pk]), {"tag": waiting.pk})
    page = client.get(reverse("segmentation:survey_detail", args=[survey.pk]))
    results = page.context["results"]
    assert (results.count, results.csat_counts, results.satisfied_share) == (4, [0, 1, 0, 2, 1], 75)
    assert page.context["questions"][0][1] == [
        ("лично", 4),
        ("через Госуслуги", 0),
        ("по телефону", 0),
    ]
    assert results.tags == [("Долгое ожидание", 1)]
    group = world.own_row.group
    assert authority_coverage(world.authority)[group.order - 1].missing["assessment"]
    month = timezone.localdate().strftime("%Y-%m")
    assess = reverse("segmentation:survey_assess", args=[survey.pk])
    response = client.post(assess, {"month": month, "actions": "Добавлен второй консультант"})
    assert response.status_code == 302
    made = SatisfactionAssessment.objects.get()
    assert (made.method, made.sample_size, made.satisfied_share) == ("анкетирование", 4, 75)
    assert (
        made.result
        == "Средняя оценка удовлетворенности 3,8 из 5, легкости получения 5,0 из 7; ответов: 4."
    )
    assert made.problems == "Долгое ожидание — 1"
    assert made.group == group and made.created_by == world.officer
    entry = next(e for e in authority_coverage(world.authority) if e.group == group)
    assert not entry.missing["assessment"]
    # the same month twice is refused in Russian
    again = client.post(assess, {"month": month}, follow=True)
    assert "уже записана" in again.content.decode()
    assert SatisfactionAssessment.objects.count() == 1


def test_a_month_without_answers_is_refused(client, world, survey):
    client.force_login(world.officer)
    assess = reverse("segmentation:survey_assess", args=[survey.pk])
    assert client.post(assess, {"month": "2020-01"}).status_code == 400
    assert SatisfactionAssessment.objects.count() == 0


def test_the_officer_makes_a_survey_from_a_template(client, world):
    client.force_login(world.officer)
    template = world_template()
    page = client.get(reverse("segmentation:survey_add") + f"?template={template.pk}")
    assert template.questions[0]["text"] in page.content.decode()
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        authority=world.authority.pk,
        group=world.own_row.group.pk,
        purpose="Чтобы знать, что улучшить.",
        starts_on=data["starts_on"].isoformat(),
        ends_on=data["ends_on"].isoformat(),
        version=0,
    )
    response = client.post(reverse("segmentation:survey_add"), data)
    assert response.status_code == 302, response.context["form"].errors
    survey = Survey.objects.get()
    assert survey.questions == [
        {"text": q["text"], "options": q["options"]} for q in template.questions
    ]
    assert len(survey.code) == 8
    poster = client.get(reverse("segmentation:survey_print", args=[survey.pk]))
    assert "<svg" in poster.content.decode() and f"/s/{survey.code}/" in poster.content.decode()
    svg = client.get(reverse("segmentation:survey_print", args=[survey.pk]) + "?format=svg")
    assert svg["Content-Type"].startswith("image/svg+xml")


def world_template():
    from segmentation.models import SurveyTemplate

    return SurveyTemplate.objects.get(group_code="1")


def test_too_many_questions_or_options_are_refused(world):
    with pytest.raises(ValidationError, match="Не больше 3"):
        make_survey(world, questions=[{"text": f"В{n}", "options": ["а", "б"]} for n in range(4)])
    with pytest.raises(ValidationError, match="от 2 до 6"):
        make_survey(world, questions=[{"text": "В", "options": ["а"]}])


def test_the_coordinator_sees_every_authority_lowest_first(client, world, survey):
    city = make_survey(world, authority=world.city_authority, title="Анкета города")
    surveys.record_answer(survey, csat=5)
    surveys.record_answer(city, csat=2)
    client.force_login(world.coordinator)
    page = client.get(reverse("segmentation:survey_overview"))
    titles = [row["survey__title"] for row in page.context["by_survey"]]
    assert titles == ["Анкета города", "Оценка консультаций"]
    xlsx = client.get(reverse("segmentation:survey_overview") + "?export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_seed_demo_makes_one_open_survey_with_answers_and_prints_its_path(capsys, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")
    survey = Survey.objects.get()
    assert survey.is_open() and survey.answers.count() == 36
    assert f"Анкета: /s/{survey.code}/" in capsys.readouterr().out
    call_command("seed_demo")  # again: the same survey, no more answers
    assert Survey.objects.get().answers.count() == 36
    assert Client().get(f"/s/{survey.code}/").status_code == 200
