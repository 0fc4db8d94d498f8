"""Touchpoints with clients and assessments of their satisfaction."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from segmentation.choices import Channel

from .records import ScopedToService


class Touchpoint(ScopedToService):
    channel = models.CharField("канал взаимодействия", max_length=30, choices=Channel.choices)
    place = models.CharField("место или информационная система", max_length=500)
    description = models.TextField("что происходит в точке контакта", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "точка взаимодействия с клиентом"
        verbose_name_plural = "точки взаимодействия с клиентами"
        ordering = ["authority__full_name", "group__order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.place}"


class SatisfactionAssessment(ScopedToService):
    period_start = models.DateField("период: с")
    period_end = models.DateField("период: по")
    method = models.CharField(
        "метод оценки", max_length=300, help_text="Например, анкетирование, интервью, отзывы."
    )
    sample_size = models.PositiveIntegerField("размер выборки (респондентов)")
    result = models.TextField("результат оценки")
    satisfied_share = models.DecimalField(
        "доля удовлетворенных, %", max_digits=5, decimal_places=2, null=True, blank=True
    )
    problems = models.TextField("выявленные проблемы", blank=True)
    actions = models.TextField("принятые меры", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "оценка удовлетворенности клиентов"
        verbose_name_plural = "оценки удовлетворенности клиентов"
        ordering = ["authority__full_name", "-period_end"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="assessment_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(satisfied_share__isnull=True)
                | models.Q(satisfied_share__gte=0, satisfied_share__lte=100),
                name="satisfied_share_is_a_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method}, {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "Конец периода раньше его начала."})
