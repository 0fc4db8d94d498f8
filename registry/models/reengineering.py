"""An authority's plan of reengineering (item 4.3 of the Procedure, 320-рп; roadmap measures
3.x.6 «Утвержден план мероприятий по реинжинирингу процессов …»): the registry rows queued
for reengineering, each with a target date and the person responsible, tracked until the
row's own status (column 9, the edition's catalogue) says «прошел реинжиниринг»."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.fields import reference, user_field
from portal.locking import Versioned
from portal.models import NotRemovedManager, Removable
from portal.scoping import RestrictedQuerySet, Scope

from .organizations import organization_field
from .processes import Process


class PlanEntryQuerySet(RestrictedQuerySet):
    def not_reengineered(self):
        return self.exclude(process__status__is_reengineered=True)

    def overdue(self, today):
        """Open entries whose target date has passed (the row has not passed reengineering)."""
        return self.not_reengineered().filter(target_date__lt=today)


class ReengineeringPlanEntry(Versioned, Removable):
    """One row of an authority's plan. Taken out of the plan, it is kept (`removed_at`) with
    its history; the row itself is the registry's and stays as it is."""

    authority = organization_field("орган власти", related_name="reengineering_plan")
    process = reference(Process, "процесс", related_name="reengineering_entries")
    target_date = models.DateField("срок завершения реинжиниринга")
    responsible = models.CharField(
        "ответственный",
        max_length=500,
        help_text="Фамилия, имя, отчество и должность лица, ответственного за реинжиниринг.",
    )
    added_at = models.DateTimeField("включен в план", default=timezone.now)
    added_by = user_field("включил")
    removed_at = models.DateTimeField("исключен из плана", null=True, blank=True)
    removed_by = user_field("исключил")
    removed_reason = models.TextField("основание исключения из плана", blank=True)

    history = HistoricalRecords(
        excluded_fields=["version"], history_change_reason_field=models.TextField(null=True)
    )

    all_objects = models.Manager.from_queryset(PlanEntryQuerySet)()
    objects = NotRemovedManager.from_queryset(PlanEntryQuerySet)()
    scoping = Scope(owner="authority")

    class Meta(Removable.Meta):
        verbose_name = "строка плана реинжиниринга"
        verbose_name_plural = "план реинжиниринга"
        ordering = ["authority", "target_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["process"],
                condition=models.Q(removed_at__isnull=True),
                name="one_plan_entry_per_process",
            )
        ]
        indexes = [models.Index(fields=["authority", "target_date"])]

    def __str__(self) -> str:
        return f"{self.process.identifier}: до {self.target_date:%d.%m.%Y}"
