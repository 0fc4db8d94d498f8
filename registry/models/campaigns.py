"""Actualization campaigns: a quarter's actualization (item 24 of the Procedure) or a one-off
collection by a fixed date (seed 004 item 4). Every participating unit answers with a
proposal or an explicit "no changes"."""

from django.conf import settings
from django.db import models

from portal.fields import reference, user_field
from portal.locking import Versioned
from portal.scoping import (
    ADMINISTRATOR,
    COORDINATOR,
    KEEP,
    OFFICER,
    OFFICIAL,
    READ,
    VIEW,
    Reach,
    RestrictedQuerySet,
    Scope,
)

from ..choices import AnswerState, CampaignKind
from .organizations import organization_field
from .proposals import Proposal


class Campaign(Versioned):
    title = models.CharField("название", max_length=300)
    kind = models.CharField("вид", max_length=20, choices=CampaignKind.choices)
    year = models.PositiveSmallIntegerField("год", null=True, blank=True)
    quarter = models.PositiveSmallIntegerField("квартал", null=True, blank=True)
    due_date = models.DateField("срок представления сведений")
    basis = models.TextField(
        "основание", blank=True, help_text="Например, реквизиты распоряжения о сборе сведений."
    )
    opened_by = user_field("открыл", optional=False)
    opened_at = models.DateTimeField("открыта", auto_now_add=True)
    closed_at = models.DateTimeField("закрыта", null=True, blank=True)
    closed_by = user_field("закрыл")

    objects = RestrictedQuerySet.as_manager()
    # A campaign belongs to the authorities and units it asks.
    # Closed by the coordinators (and administrators), or by the officer who opened it.
    scoping = Scope(
        owner="participants__authority",
        unit="participants__unit",
        author="opened_by",
        rules={
            VIEW: {**READ, OFFICIAL: Reach.UNITS},
            "close": {ADMINISTRATOR: Reach.ALL, COORDINATOR: Reach.TERRITORY, OFFICER: Reach.OWN},
        },
        distinct=True,
    )

    class Meta:
        verbose_name = "кампания актуализации"
        verbose_name_plural = "кампании актуализации"
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="one_off")
                | models.Q(year__isnull=False, quarter__gte=1, quarter__lte=4),
                name="quarterly_campaign_has_quarter",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CampaignParticipant(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="participants", verbose_name="кампания"
    )
    authority = organization_field("орган власти")
    unit = organization_field("подразделение")
    answer = models.CharField(
        "ответ", max_length=20, choices=AnswerState.choices, default=AnswerState.WAITING
    )
    proposal = reference(Proposal, "предложение", optional=True, related_name="campaign_answers")
    answered_at = models.DateTimeField("дата ответа", null=True, blank=True)
    answered_by = user_field("ответил")

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(
        owner="authority",
        unit="unit",
        rules={VIEW: {**READ, OFFICIAL: Reach.UNITS}, "answer": {**KEEP, OFFICIAL: Reach.UNITS}},
    )

    class Meta:
        verbose_name = "участник кампании"
        verbose_name_plural = "участники кампании"
        ordering = ["campaign", "authority__full_name", "unit__full_name"]
        # the dashboard counts a campaign's answers per authority from the index alone
        indexes = [
            models.Index(fields=["campaign", "authority", "answer"], name="participant_answers")
        ]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="one_answer_per_unit"),
            models.CheckConstraint(
                condition=models.Q(answer="proposal", proposal__isnull=False)
                | (~models.Q(answer="proposal") & models.Q(proposal__isnull=True)),
                name="proposal_answer_names_proposal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.unit}"


class ReminderSent(models.Model):
    """One reminder e-mail per user and day, so a cron job may run more often safely."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    task_count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="one_reminder_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.sent_on:%d.%m.%Y}"
