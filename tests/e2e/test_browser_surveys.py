"""Issue 16 in Chromium: an anonymous visitor answers a survey on a 390-px phone (the page is
axe-core clean in both versions and does not scroll sideways); the officer then sees the
answer, tags it and turns the month into a satisfaction assessment."""

import pytest
from django.apps import apps
from playwright.sync_api import expect

from segmentation.models import SatisfactionAssessment, SurveyAnswer
from segmentation.services.survey_reference import load_survey_reference
from tests.conftest import World
from tests.e2e.test_browser_public import AXE, SERIOUS, fits
from tests.e2e.test_browser_registry import log_in
from tests.segmentation.surveys import make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def data():
    load_survey_reference(lambda name: apps.get_model("segmentation", name))  # flushed
    world = World()
    world.survey = make_survey(world)
    return world


@pytest.mark.parametrize("low_vision", [False, True], ids=["usual", "low vision"])
def test_the_public_page_is_axe_clean_on_a_phone_and_a_wide_screen(
    page, live_server, data, low_vision
):
    page.add_init_script(path=str(AXE))
    if low_vision:
        page.context.add_cookies([{"name": "low_vision", "value": "1", "url": live_server.url}])
    problems = []
    for size in (PHONE, {"width": 1366, "height": 768}):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/s/{data.survey.code}/")
        problems += [f"{size['width']}: {v}" for v in page.evaluate(SERIOUS)]
        if not fits(page):
            problems.append(f"{size['width']}: the page scrolls sideways")
        # a form with mistakes is clean too
        page.get_by_role("button", name="Отправить ответ").click()
        expect(page.get_by_test_id("survey-errors")).to_be_visible()
        problems += [f"{size['width']}, errors: {v}" for v in page.evaluate(SERIOUS)]
    assert not problems, "\n".join(problems)


def test_a_visitor_answers_on_a_phone_and_the_officer_makes_the_assessment(
    browser, page, live_server, data
):
    visitor = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = visitor.new_page()
    phone.goto(f"{live_server.url}/s/{data.survey.code}/")
    expect(phone.get_by_test_id("survey-collector")).to_contain_text(data.authority.full_name)
    assert fits(phone)
    phone.get_by_label("4", exact=True).first.check()  # CSAT 4
    phone.get_by_test_id("question-ces").get_by_label("6", exact=True).check()
    phone.get_by_label("через Госуслуги").check()
    phone.get_by_label("Что улучшить?").fill("Долго ждал ответа на заявление")
    phone.get_by_role("button", name="Отправить ответ").click()
    expect(phone.get_by_test_id("survey-thanks")).to_contain_text("Ваш ответ учтен")
    visitor.close()
    answer = SurveyAnswer.objects.get()
    assert (answer.csat, answer.ces, answer.choice_1) == (4, 6, 1)

    log_in(page, live_server, data.officer.username)
    page.goto(f"{live_server.url}/segmentation/surveys/")
    page.get_by_role("link", name="Оценка консультаций").click()
    expect(page.get_by_test_id("answer-count")).to_have_text("1")
    answers = page.get_by_test_id("free-answers")
    expect(answers).to_contain_text("Долго ждал ответа на заявление")
    answers.get_by_label("Метка ответа").select_option(label="Долгое ожидание")
    answers.get_by_role("button", name="Отметить").click()
    expect(page.get_by_test_id("tag-counts")).to_contain_text("Долгое ожидание — 1")
    page.get_by_label("Принятые меры (необязательно)").fill("Ответ на заявление — за 5 дней")
    page.get_by_role("button", name="Записать оценку за месяц").click()
    expect(page.get_by_role("alert").first).to_contain_text("Записана оценка удовлетворенности")
    expect(page.get_by_test_id("assessments")).to_contain_text("анкетирование, 1 чел.")
    made = SatisfactionAssessment.objects.get()
    assert (made.sample_size, made.satisfied_share) == (1, 100)
    assert made.problems == "Долгое ожидание — 1"
