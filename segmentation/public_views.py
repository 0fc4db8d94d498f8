"""A survey's public page (/s/<code>/): no sign-in, no personal data asked. Refusals in plain
Russian: a closed survey (410), too many answers from one address or to one survey (429), a
form with mistakes (400). A robot that fills the hidden field and a browser that has already
answered within SURVEY_REPEAT_DAYS get the thanks, and nothing is written."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views import View

from portal import ratelimit
from portal.auth import client_ip
from portal.views.scoped import UnscopedViewMixin
from segmentation.forms import AnswerForm
from segmentation.models import Survey
from segmentation.services import surveys

COOKIE_SALT = "segmentation.survey-answered"
BUSY = (
    "Сейчас отправлено слишком много ответов. Подождите несколько минут и отправьте ответ "
    "еще раз — выбранные оценки сохранятся на странице."
)


def consent_text(survey: Survey) -> str:
    return (
        f"Я согласен(на) на обработку моего контакта органом власти «{survey.authority.full_name}» "
        "только для ответа на этот отзыв (Федеральный закон от 27.07.2006 № 152-ФЗ «О "
        "персональных данных»). Контакт хранится отдельно от ответов анкеты и не передается "
        "другим лицам; согласие можно отозвать, обратившись в этот орган власти."
    )


def cookie_name(survey: Survey) -> str:
    return f"survey_{survey.code}"


def answered_before(request, survey: Survey) -> bool:
    value = request.get_signed_cookie(
        cookie_name(survey),
        default=None,
        salt=COOKIE_SALT,
        max_age=settings.SURVEY_REPEAT_DAYS * 86400,
    )
    return value is not None


def within_limits(request, survey: Survey) -> bool:
    window = settings.SURVEY_RATE_WINDOW_SECONDS
    per_address = ratelimit.hit(
        "survey-address", client_ip(request), settings.SURVEY_ANSWERS_PER_ADDRESS, window
    )
    per_survey = ratelimit.hit("survey", survey.code, settings.SURVEY_ANSWERS_PER_SURVEY, window)
    return per_address and per_survey


class SurveyPublicView(UnscopedViewMixin, View):
    unscoped_because = "a survey's public page: anyone answers it, it shows no records"
    template_name = "segmentation/survey_public.html"

    def get_survey(self, code) -> Survey:
        surveys_in_force = Survey.objects.filter(is_archived=False).select_related("authority")
        return get_object_or_404(surveys_in_force, code=code)

    def page(self, survey, form=None, status=200, **extra):
        today = timezone.localdate()
        context = {
            "survey": survey,
            "form": form,
            "is_open": survey.is_open(today),
            "not_started": today < survey.starts_on,
            **extra,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, code):
        survey = self.get_survey(code)
        form = AnswerForm(survey=survey, consent_text=consent_text(survey))
        return self.page(survey, form, status=200 if survey.is_open() else 410)

    def post(self, request, code):
        survey = self.get_survey(code)
        if not survey.is_open():
            return self.page(survey, status=410)
        form = AnswerForm(request.POST, survey=survey, consent_text=consent_text(survey))
        if not within_limits(request, survey):
            return self.page(survey, form, status=429, busy=BUSY)
        if form.is_robot() or answered_before(request, survey):
            return self.page(survey, thanks=True, repeated=not form.is_robot())
        if not form.is_valid():
            return self.page(survey, form, status=400)
        surveys.record_answer(survey, **form.answer())
        response = self.page(survey, thanks=True)
        response.set_signed_cookie(
            cookie_name(survey),
            "1",
            salt=COOKIE_SALT,
            max_age=settings.SURVEY_REPEAT_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
