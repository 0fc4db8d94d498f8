"""The demo survey of seed_demo: one open survey of the demo regional authority (support
measures, group 2) with a few dozen answers over the last two months (made once)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from registry.models import ProcessGroup, User
from segmentation.models import AnswerTag, Survey, SurveyAnswer, SurveyTemplate, Touchpoint
from segmentation.services.surveys import save_survey

TITLE = "Оценка удовлетворенности получением мер поддержки"
TEXTS = [
    ("Долго ждали ответа по заявке", "Долгое ожидание"),
    ("Трудно найти на сайте форму сметы", "Сложно найти информацию"),
    ("Спасибо за консультацию!", "Благодарность"),
    ("Не сразу понятно, какие документы нужны", "Непонятные требования к документам"),
    ("Все понятно и быстро", ""),
]


def load_demo_survey(officer: User, answers: int = 36) -> Survey:
    authority = officer.organization
    existing = Survey.objects.filter(authority=authority, title=TITLE).first()
    if existing is not None:
        return existing
    group = ProcessGroup.objects.get(edition=authority.edition, code="2")
    template = SurveyTemplate.objects.filter(group_code="2").first()
    today = timezone.localdate()
    survey = save_survey(
        Survey(
            authority=authority,
            group=group,
            touchpoint=Touchpoint.objects.filter(authority=authority, group=group).first(),
            title=TITLE,
            purpose="Мы хотим, чтобы подать заявку на субсидию было проще: ваши ответы "
            "помогут понять, что мешает, и изменить порядок работы.",
            questions=template.questions if template else [],
            free_text_question=template.free_text_question if template else "Что улучшить?",
            ask_ces=True,
            offer_contact=True,
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=120),
        ),
        officer,
    )
    tags = {t.name: t for t in AnswerTag.objects.all()}
    rng = random.Random(16)  # the same demo every time
    rows = []
    for n in range(answers):
        text, tag = TEXTS[n % len(TEXTS)] if n % 3 == 0 else ("", "")
        rows.append(
            SurveyAnswer(
                survey=survey,
                submitted_at=timezone.now() - timedelta(days=rng.randint(0, 59)),
                csat=rng.choice((2, 3, 4, 4, 5, 5, 5)),
                ces=rng.randint(3, 7),
                choice_1=rng.randrange(len(survey.questions[0]["options"]))
                if survey.questions
                else None,
                text=text,
                tag=tags.get(tag),
            )
        )
    SurveyAnswer.objects.bulk_create(rows)
    return survey
