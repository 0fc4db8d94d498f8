"""Surveys of clients at a touchpoint (issue 16): a short questionnaire per registry row or
process group, answered on a public page without sign-in. Answers are rows written once and
aggregated on read (the (survey, submitted_at) index); a contact offered for a reply is kept
apart from the answers, with the consent text the visitor agreed to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.fields import reference
from portal.scoping import CHANGE, KEEP, OFFICIAL, VIEW, Reach, RestrictedQuerySet, Scope

from .profiles import SegmentProfile
from .records import ScopedToService
from .touchpoints import Touchpoint

CSAT_SCALE = range(1, 6)
CES_SCALE = range(1, 8)
MAX_QUESTIONS = 3
MAX_OPTIONS = 6
TEXT_LIMIT = 1000  # a free-text answer, characters
CONTACT_LIMIT = 200
SATISFIED_FROM = 4  # CSAT 4 and 5 count as satisfied

# An answer's tag is set by the authority's users, as its other records are.
KEEPERS = {**KEEP, OFFICIAL: Reach.AUTHORITY}


class AnswerTag(models.Model):
    """A problem found in a free-text answer («Долгое ожидание»): reference data."""

    name = models.CharField("метка", max_length=100, unique=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "метка ответа анкеты"
        verbose_name_plural = "метки ответов анкет"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SurveyTemplate(models.Model):
    """Questions offered for a new survey of a process group (by the group's code, the same in
    both editions of the catalogue): reference data, editable in «Справочники»."""

    group_code = models.CharField("код группы процессов", max_length=10, blank=True)
    title = models.CharField("название анкеты", max_length=300)
    questions = models.JSONField(
        "вопросы с вариантами ответа",
        default=list,
        help_text='Список: [{"text": "вопрос", "options": ["вариант", …]}], не больше трех.',
    )
    free_text_question = models.CharField("вопрос со свободным ответом", max_length=300)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "шаблон анкеты"
        verbose_name_plural = "шаблоны анкет"
        ordering = ["group_code", "order"]

    def __str__(self) -> str:
        return self.title


class Survey(ScopedToService):
    code = models.CharField("код короткой ссылки", max_length=16, unique=True, editable=False)
    title = models.CharField("название анкеты", max_length=300)
    purpose = models.TextField(
        "зачем собираются ответы",
        help_text="Показывается на странице анкеты: кто собирает ответы и зачем.",
    )
    touchpoint = reference(Touchpoint, "точка взаимодействия", optional=True, related_name="+")
    segment = reference(SegmentProfile, "клиентский сегмент", optional=True, related_name="+")
    ask_ces = models.BooleanField("спрашивать, легко ли было (шкала 1–7)", default=False)
    questions = models.JSONField("вопросы с вариантами ответа", default=list, blank=True)
    free_text_question = models.CharField("вопрос со свободным ответом", max_length=300, blank=True)
    offer_contact = models.BooleanField("предлагать оставить контакт для ответа", default=False)
    starts_on = models.DateField("принимает ответы с")
    ends_on = models.DateField("принимает ответы по")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "анкета"
        verbose_name_plural = "анкеты"
        ordering = ["authority__full_name", "-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="survey_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return not self.is_archived and self.starts_on <= day <= self.ends_on

    def state(self, day=None) -> str:
        """As the list of surveys says it."""
        if self.is_archived:
            return "в архиве"
        day = day or timezone.localdate()
        if day < self.starts_on:
            return "еще не начата"
        return "открыта" if self.is_open(day) else "закрыта"

    def get_public_url(self) -> str:
        """The short link printed at the touchpoint, under PORTAL_URL."""
        return settings.PORTAL_URL + reverse("survey_public", args=[self.code])


class SurveyAnswer(models.Model):
    """One visitor's answer. No personal data: no address, no browser, no contact."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="answers")
    submitted_at = models.DateTimeField("получен", default=timezone.now)
    csat = models.PositiveSmallIntegerField("удовлетворенность (1–5)")
    ces = models.PositiveSmallIntegerField("легкость (1–7)", null=True, blank=True)
    choice_1 = models.PositiveSmallIntegerField("ответ на вопрос 1", null=True, blank=True)
    choice_2 = models.PositiveSmallIntegerField("ответ на вопрос 2", null=True, blank=True)
    choice_3 = models.PositiveSmallIntegerField("ответ на вопрос 3", null=True, blank=True)
    text = models.TextField("свободный ответ", blank=True)
    tag = reference(AnswerTag, "метка", optional=True, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(owner="survey__authority", rules={CHANGE: KEEPERS})

    class Meta:
        verbose_name = "ответ на анкету"
        verbose_name_plural = "ответы на анкеты"
        indexes = [models.Index(fields=["survey", "submitted_at"], name="answer_survey_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(csat__gte=1, csat__lte=5), name="answer_csat_1_to_5"
            ),
            models.CheckConstraint(
                condition=models.Q(ces__isnull=True) | models.Q(ces__gte=1, ces__lte=7),
                name="answer_ces_1_to_7",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.csat}"


class SurveyContact(models.Model):
    """A contact left for a reply, with the consent to its processing (152-ФЗ). Apart from the
    answers: no link to an answer, and only the day it was left, so it names no answer."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="contacts")
    contact = models.CharField("контакт для ответа", max_length=CONTACT_LIMIT)
    consent_text = models.TextField("текст согласия на обработку персональных данных")
    given_on = models.DateField("дата согласия")

    objects = RestrictedQuerySet.as_manager()
    # Personal data: only those who keep the authority's records read it (no coordinator).
    scoping = Scope(owner="survey__authority", rules={VIEW: KEEPERS, CHANGE: KEEP})

    class Meta:
        verbose_name = "контакт для ответа"
        verbose_name_plural = "контакты для ответа"

    def __str__(self) -> str:
        return self.contact
