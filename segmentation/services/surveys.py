"""Surveys (issue 16): saving a survey, writing a visitor's answer, tagging a free-text
answer, and a period's results as a SatisfactionAssessment. An answer is one INSERT in one
short transaction: nothing is counted on write (results are aggregated on read,
services/survey_results.py)."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal.locking import UNCHECKED
from portal.scoping import CHANGE, can
from segmentation.models import SatisfactionAssessment, Survey, SurveyAnswer, SurveyContact
from segmentation.models.surveys import MAX_OPTIONS, MAX_QUESTIONS
from segmentation.services import survey_results
from segmentation.services.records import save_record

METHOD = "анкетирование"
# no 0/o, 1/l/i: a short link read from a poster is typed by hand
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 8


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Survey.objects.filter(code=code).exists():
            return code


def check_questions(questions) -> list[dict]:
    """Up to three closed questions, each with 2-6 distinct options."""
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(f"Не больше {MAX_QUESTIONS} вопросов с вариантами ответа.")
    for number, question in enumerate(questions, start=1):
        options = question["options"]
        if not question["text"].strip():
            raise ValidationError(f"Вопрос {number}: напишите сам вопрос.")
        if not 2 <= len(options) <= MAX_OPTIONS or len(set(options)) != len(options):
            raise ValidationError(
                f"Вопрос {number}: от 2 до {MAX_OPTIONS} разных вариантов ответа."
            )
    return questions


def check_links(survey: Survey) -> None:
    """The touchpoint and the segment are the survey's authority's own."""
    for name, label in (("touchpoint", "Точка взаимодействия"), ("segment", "Сегмент")):
        linked = getattr(survey, name)
        if linked is not None and linked.authority_id != survey.authority_id:
            raise ValidationError(f"{label} другого органа власти.")


@transaction.atomic
def save_survey(survey: Survey, user, expected_version=UNCHECKED) -> Survey:
    if survey.process_id and not survey.group_id:
        survey.group_id = survey.process.group_id  # results per group find it
    check_questions(survey.questions)
    check_links(survey)
    if not survey.code:
        survey.code = new_code()
    return save_record(survey, user, expected_version)


def record_answer(
    survey: Survey,
    *,
    csat: int,
    ces: int | None = None,
    choices: tuple = (),
    text: str = "",
    contact: str = "",
    consent_text: str = "",
) -> SurveyAnswer:
    """One visitor's answer; a contact (with the consent shown) goes to its own table."""
    if not survey.is_open():
        raise ValidationError("Анкета закрыта и ответы не принимает.")
    choice_1, choice_2, choice_3 = (list(choices) + [None] * MAX_QUESTIONS)[:MAX_QUESTIONS]
    with transaction.atomic():
        answer = SurveyAnswer.objects.create(
            survey=survey,
            csat=csat,
            ces=ces if survey.ask_ces else None,
            choice_1=choice_1,
            choice_2=choice_2,
            choice_3=choice_3,
            text=text.strip(),
        )
        if contact.strip() and survey.offer_contact:
            SurveyContact.objects.create(
                survey=survey,
                contact=contact.strip(),
                consent_text=consent_text,
                given_on=timezone.localdate(),
            )
    return answer


def tag_answer(answer: SurveyAnswer, tag, user) -> SurveyAnswer:
    if not can(user, CHANGE, answer):
        raise PermissionDenied("Ответ на анкету другого органа власти.")
    SurveyAnswer.objects.filter(pk=answer.pk).update(tag=tag)
    answer.tag = tag
    return answer


def _problems(results) -> str:
    return "; ".join(f"{name} — {count}" for name, count in results.tags)


def decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")  # the Russian decimal comma


def _result_text(results) -> str:
    text = f"Средняя оценка удовлетворенности {decimal(results.csat_mean)} из 5"
    if results.ces_mean is not None:
        text += f", легкости получения {decimal(results.ces_mean)} из 7"
    return f"{text}; ответов: {results.count}."


@transaction.atomic
def make_assessment(
    user, *, authority, group, process, answers, start: date, end: date, actions: str = ""
) -> SatisfactionAssessment:
    """The answers of a period as a satisfaction assessment («анкетирование»), written through
    the records service (coverage and the roadmap measures 3.x.3 count it as any other)."""
    results = survey_results.results(survey_results.in_period(answers, start, end))
    if not results.count:
        raise ValidationError("За выбранный период ответов нет: оценку не из чего составить.")
    # The fields that say which assessment this is: the duplicate's check and the new row's.
    which = {
        "authority": authority,
        "group": group,
        "process": process,
        "period_start": start,
        "period_end": end,
        "method": METHOD,
    }
    same = SatisfactionAssessment.objects.filter(**which, is_archived=False).first()
    if same is not None:
        raise ValidationError(
            f"Оценка за {start:%d.%m.%Y}–{end:%d.%m.%Y} уже записана (№ {same.pk}); "
            "чтобы записать заново, перенесите прежнюю в архив."
        )
    assessment = SatisfactionAssessment(
        **which,
        sample_size=results.count,
        result=_result_text(results),
        satisfied_share=results.satisfied_share,
        problems=_problems(results),
        actions=actions.strip(),
    )
    return save_record(assessment, user)
