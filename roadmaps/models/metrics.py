"""How a measure's wording names what the portal measures from its own data: reference data
(fixtures/roadmaps/measure_metrics.json, loaded by migration 0015, edited in «Справочники»),
not code. A MeasureMetric says which figure a wording asks for («Сформирован реестр …» — the
registry's first version); a MeasureArea narrows a figure to the measure's own process group,
or to the typical processes of an internal client's sub-area (IT, accounting, …)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models

from roadmaps.choices import Metric


def check_pattern(value: str) -> None:
    try:
        re.compile(value)
    except re.error as error:
        raise ValidationError(f"Выражение не читается: {error}.") from None


class WordingRule(models.Model):
    """A regular expression over a measure's text (case ignored), tried in `order`."""

    order = models.PositiveSmallIntegerField("порядок", default=0)
    pattern = models.CharField(
        "формулировка (регулярное выражение)",
        max_length=300,
        validators=[check_pattern],
        help_text="Проверяется без учета регистра, например «сформирован\\w* реестр».",
    )

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def matches(self, text: str) -> bool:
        return re.search(self.pattern, text or "", re.IGNORECASE) is not None


class MeasureMetric(WordingRule):
    code = models.SlugField("код", unique=True)
    metric = models.CharField("показатель", max_length=30, choices=Metric.choices)

    class Meta(WordingRule.Meta):
        verbose_name = "показатель мероприятия по данным портала"
        verbose_name_plural = "показатели мероприятий по данным портала"

    def __str__(self) -> str:
        return f"{self.pattern} → {self.get_metric_display()}"


class MeasureArea(WordingRule):
    """The process group of a measure (its own text, else its section's), and for the
    internal client's sub-areas the typical processes they consist of. Codes are the
    catalogue's, the same in both editions (a code an edition lacks is left out)."""

    code = models.SlugField("код", unique=True)
    name = models.CharField("область", max_length=300)
    group_codes = models.JSONField("коды групп процессов", default=list, blank=True)
    typical_codes = models.JSONField(
        "коды типовых процессов",
        default=list,
        blank=True,
        help_text='Пусто — вся группа; иначе только эти типовые процессы, например ["6.16"].',
    )

    class Meta(WordingRule.Meta):
        verbose_name = "область мероприятия (группа или типовые процессы)"
        verbose_name_plural = "области мероприятий (группы или типовые процессы)"

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if not self.group_codes and not self.typical_codes:
            raise ValidationError("Укажите коды групп процессов или типовых процессов.")
