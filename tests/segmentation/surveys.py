"""A survey of the world's authority, open today, for the survey tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from segmentation.models import Survey
from segmentation.services import surveys

QUESTIONS = [
    {"text": "Как вы обратились?", "options": ["лично", "через Госуслуги", "по телефону"]},
    {"text": "Получили ли вы результат?", "options": ["да", "нет"]},
]


def make_survey(world, authority=None, **extra) -> Survey:
    authority = authority or world.authority
    row = world.own_row if authority == world.authority else world.city_row
    officer = world.officer if authority == world.authority else world.city_officer
    today = timezone.localdate()
    values = {
        "authority": authority,
        "group": row.group,
        "title": "Оценка консультаций",
        "purpose": "Чтобы консультации стали понятнее.",
        "questions": QUESTIONS,
        "free_text_question": "Что улучшить?",
        "ask_ces": True,
        "offer_contact": True,
        "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=30),
    }
    values.update(extra)
    return surveys.save_survey(Survey(**values), officer)


def answer_data(csat=5, **extra) -> dict:
    return {"csat": str(csat), "ces": "6", "choice_1": "1", "text": "Все хорошо", **extra}
