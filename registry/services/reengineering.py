"""The reengineering plan of an authority (item 4.3 of the Procedure; measures 3.x.6): the
one writer of ReengineeringPlanEntry, and what its page, «Мои задачи» and the roadmap
measures read. An entry is done when its registry row's status is the edition's
«прошел реинжиниринг» (`ReengineeringStatus.is_reengineered`): the plan records the target,
the registry the outcome."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal.locking import UNCHECKED, claim
from registry.models import Organization, Process, ReengineeringPlanEntry

# Rows the plan page offers to add: the statuses of the catalogue that mean "queued for or
# undergoing reengineering" (codes of fixtures/catalogue.json, the same in both editions).
QUEUED_CODES = ("reengineering_queued", "reengineering")

DONE, OVERDUE, OPEN = "done", "overdue", "open"
STATES = {
    DONE: "прошел реинжиниринг",
    OVERDUE: "срок истек",
    OPEN: "в работе",
}


def state_of(entry: ReengineeringPlanEntry, today: date) -> str:
    if entry.process.status.is_reengineered:
        return DONE
    return OVERDUE if entry.target_date < today else OPEN


def plan_of(authority: Organization):
    """The entries in force of an authority's plan, with what the page shows of each row."""
    return (
        ReengineeringPlanEntry.objects.filter(authority=authority)
        .select_related("process__status", "process__group", "process__typical_process")
        .order_by("target_date", "process__identifier_number", "process__identifier")
    )


def queued_rows(authority: Organization):
    """The authority's rows queued for (or undergoing) reengineering that the plan lacks."""
    return (
        Process.objects.filter(
            authority=authority, is_excluded=False, status__code__in=QUEUED_CODES
        )
        .exclude(Exists(ReengineeringPlanEntry.objects.filter(process=OuterRef("pk"))))
        .select_related("typical_process")
        .order_by("identifier_number", "identifier")
    )


@dataclass
class PlanSummary:
    entries: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def open(self) -> int:
        return self.entries - self.done


def summary(entries, today: date) -> PlanSummary:
    counts = Counter(state_of(entry, today) for entry in entries)
    return PlanSummary(sum(counts.values()), counts[DONE], counts[OVERDUE])


def _check(process: Process, target_date: date, responsible: str) -> None:
    errors = {}
    if process.is_excluded:
        errors["process"] = "Строка исключена из реестра: в план реинжиниринга ее не включают."
    elif process.status.is_reengineered:
        errors["process"] = f"Процесс {process.identifier} уже прошел реинжиниринг."
    if not responsible.strip():
        errors["responsible"] = "Укажите ответственного: фамилию, имя, отчество и должность."
    if target_date is None:
        errors["target_date"] = "Укажите срок завершения реинжиниринга."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_entry(process: Process, target_date: date, responsible: str, user):
    """Puts a registry row into its authority's plan; a row already there is refused."""
    Process.objects.select_for_update().filter(pk=process.pk).first()
    # A past target is taken: an approved plan is often typed in after its first terms.
    _check(process, target_date, responsible)
    if ReengineeringPlanEntry.objects.filter(process=process).exists():
        raise ValidationError(
            {"process": f"Процесс {process.identifier} уже включен в план реинжиниринга."}
        )
    entry = ReengineeringPlanEntry(
        authority_id=process.authority_id,
        process=process,
        target_date=target_date,
        responsible=responsible.strip(),
        added_by=user,
    )
    entry._history_user = user
    entry._change_reason = "Включен в план реинжиниринга"
    entry.save()
    return entry


@transaction.atomic
def change_entry(
    entry: ReengineeringPlanEntry,
    target_date: date,
    responsible: str,
    user,
    reason: str = "",
    expected_version=UNCHECKED,
):
    """A new target date or responsible person; the earlier ones stay in the history."""
    _check(entry.process, target_date, responsible)
    claim(entry, expected_version, current=ReengineeringPlanEntry.all_objects)
    entry.target_date = target_date
    entry.responsible = responsible.strip()
    entry._history_user = user
    entry._change_reason = reason.strip() or "Изменены срок или ответственный"
    entry.save(update_fields=["target_date", "responsible", "version"])
    return entry


@transaction.atomic
def remove_entry(entry: ReengineeringPlanEntry, reason: str, user, expected_version=UNCHECKED):
    """Takes a row out of the plan (kept, with who and why); the registry row is unchanged."""
    if not reason.strip():
        raise ValidationError({"reason": "Укажите, почему строка исключается из плана."})
    claim(entry, expected_version, current=ReengineeringPlanEntry.all_objects)
    entry.removed_at = timezone.now()
    entry.removed_by = user
    entry.removed_reason = reason.strip()
    entry._history_user = user
    entry._change_reason = f"Исключен из плана реинжиниринга: {reason.strip()}"
    entry.save(update_fields=["removed_at", "removed_by", "removed_reason", "version"])
    return entry
