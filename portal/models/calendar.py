"""Corrections of the production calendar, for a year the holidays package does not know yet."""

from django.db import models

from portal.locking import Versioned


class CalendarCorrection(Versioned):  # edited in the admin ("Справочники")
    date = models.DateField("дата", unique=True)
    is_working_day = models.BooleanField(
        "рабочий день", help_text="Отмечено — рабочий день (перенесенный), нет — выходной."
    )
    reason = models.CharField(
        "основание",
        max_length=300,
        help_text="Например: постановление Правительства РФ о переносе.",
    )

    class Meta:
        verbose_name = "поправка производственного календаря"
        verbose_name_plural = "поправки производственного календаря"
        ordering = ["date"]
        # The table registry's migrations made before the model moved to the kernel (kept:
        # moving a model must not copy or rename its data).
        db_table = "registry_calendarcorrection"

    def __str__(self) -> str:
        kind = "рабочий" if self.is_working_day else "выходной"
        return f"{self.date:%d.%m.%Y} — {kind}"
