"""The numbered items of a plan, their responsible bodies and registry targets; each saved
state of an item names the act it rests on."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from portal.cells import cell_text
from portal.fields import reference
from portal.locking import Versioned
from portal.scoping import (
    ADMINISTRATOR,
    COORDINATOR,
    READ,
    VIEW,
    Reach,
    RestrictedQuerySet,
    Scope,
)
from registry.models import normalize_text, organization_field
from roadmaps.choices import DeadlineKind, ItemStatus

from .plans import PLAN_READ, LegalAct, Roadmap, successor_note

# Splitting a collective measure into the authorities' shares is the coordinating body's
# work (seed 002: «Координационный орган; ОИВ СО»), over the authorities it reads.
SPLIT = "split"
SPLIT_REACH = {ADMINISTRATOR: Reach.ALL, COORDINATOR: READ[COORDINATOR]}

DATED_KINDS = (DeadlineKind.DATE, DeadlineKind.UNTIL)

# "до 01.09.2023" means the work is finished before 1 September: its last day is 31 August.
# A bare date ("31.12.2024") is itself the last day. One place to change if the coordinators
# read "до" inclusively (services.deadlines and the stored last_day follow; makemigrations
# then asks for the column's migration).
UNTIL_IS_EXCLUSIVE = True


class DeadlineGroup(models.IntegerChoices):
    """Where a measure stands whatever the day: the deadlines board's order is this group,
    then the last day (services.deadlines: an open measure with a date is overdue, due soon or
    later by its last day against today)."""

    DATED = 0, "открыто, со сроком"
    UNDATED = 1, "открыто, без срока"
    DONE = 2, "исполнено"
    CANCELLED = 3, "отменено"


class DayBefore(models.Func):
    """The date a day earlier, in an expression a stored column may hold (no interval)."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s - 1)", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="date(%(expressions)s, '-1 day')", **extra
        )


def _last_day():
    if not UNTIL_IS_EXCLUSIVE:
        return models.F("deadline_date")
    return models.Case(
        models.When(deadline_kind=DeadlineKind.UNTIL, then=DayBefore("deadline_date")),
        default=models.F("deadline_date"),
        output_field=models.DateField(),
    )


def _deadline_group():
    done = models.Q(status=ItemStatus.DONE) | models.Q(deadline_kind=DeadlineKind.DONE)
    return models.Case(
        models.When(done, then=models.Value(DeadlineGroup.DONE)),
        models.When(status=ItemStatus.CANCELLED, then=models.Value(DeadlineGroup.CANCELLED)),
        models.When(deadline_date__isnull=True, then=models.Value(DeadlineGroup.UNDATED)),
        default=models.Value(DeadlineGroup.DATED),
        output_field=models.SmallIntegerField(),
    )


NUMBER_PART = re.compile(r"\d+")


def number_sort_key(number: str) -> str:
    """ "3.10.2." -> "0003.0010.0002": sorts as the document numbers, 3.9 before 3.10."""
    return ".".join(f"{int(part):04d}" for part in NUMBER_PART.findall(number or ""))


# A cell of the document column may name several documents: seed 000's 3.1.1 writes
# "Распоряжение об утверждении порядка … Отчет о формировании перечня …" (one after the other),
# seed 002's 6.1 "Приказ (распоряжение) об утверждении …; отчет о формировании …".
DOCUMENT_BREAK = re.compile(
    r";|(?<=\S) (?=(?:Распоряжение|Приказ|Постановление|Отчет|Протокол|Доклад)\b)"
)


def split_documents(text: str) -> list[str]:
    """ "Распоряжение об … Отчет о …" -> ["Распоряжение об …", "Отчет о …"]."""
    parts = [part.strip(" .") for part in DOCUMENT_BREAK.split(text or "")]
    return [part[0].upper() + part[1:] for part in parts if part]


class LegalActBasis(models.Model):
    """Fields of every saved state of an item: the act on whose basis it changed, and the day
    the change took effect (the act's date, or the day of an edit made without an act)."""

    legal_act = reference(LegalAct, "основание (правовой акт)", optional=True, related_name="+")
    effective_date = models.DateField("действует с", null=True, blank=True, db_index=True)

    class Meta:
        abstract = True


class RoadmapItem(Versioned):
    """A numbered row of a plan: a section ("2. Кадровый блок") or a measure."""

    roadmap = reference(Roadmap, "дорожная карта", related_name="items")
    parent = reference("self", "раздел", optional=True, related_name="children")
    number = models.CharField("№ п/п", max_length=30)
    sort_key = models.CharField(max_length=120, editable=False, db_index=True)
    position = models.PositiveIntegerField("порядок", default=0)
    is_section = models.BooleanField("раздел", default=False)
    text = cell_text("мероприятие")
    footnotes = models.CharField(
        "сноски", max_length=50, blank=True, help_text="Номера сносок документа: «1, 3»."
    )
    deadline_text = models.CharField(
        "срок реализации (как в документе)", max_length=200, blank=True
    )
    deadline_kind = models.CharField(
        "вид срока", max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    deadline_date = models.DateField("срок (дата)", null=True, blank=True, db_index=True)
    responsible_text = cell_text(
        "ответственный (как в документе)",
        blank=True,
        help_text="Текст ячейки; найденные организации — в списке ответственных.",
    )
    document_type = cell_text("вид документа", blank=True)
    status = models.CharField(
        "статус", max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    template_item = reference(
        "self", "пункт типового плана", optional=True, related_name="instances"
    )
    # One authority's task of a measure addressed to several («все ОИВ СО»): its own status,
    # evidence and deadline state; the measure rolls them up (services.collective).
    share_of = reference("self", "доля органа в мероприятии", optional=True, related_name="shares")
    source_line = models.PositiveIntegerField("строка файла", null=True, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменен", auto_now=True)
    # Computed by the database from the columns above (whatever writes them, an import's
    # INSERT … SELECT too), so the board orders and filters by an index.
    last_day = models.GeneratedField(
        expression=_last_day(), output_field=models.DateField(null=True), db_persist=True
    )
    deadline_group = models.GeneratedField(
        expression=_deadline_group(), output_field=models.SmallIntegerField(), db_persist=True
    )

    history = HistoricalRecords(
        bases=[LegalActBasis],
        excluded_fields=["sort_key", "updated_at", "version", "last_day", "deadline_group"],
        history_change_reason_field=models.TextField(null=True),
    )

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(owner="roadmap__owner", rules={VIEW: PLAN_READ, SPLIT: SPLIT_REACH})

    class Meta:
        verbose_name = "пункт дорожной карты"
        verbose_name_plural = "пункты дорожных карт"
        ordering = ["roadmap", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="unique_item_number"),
            models.UniqueConstraint(
                fields=["roadmap", "share_of"],
                condition=models.Q(share_of__isnull=False),
                name="one_share_per_plan_and_measure",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline_kind__in=DATED_KINDS, deadline_date__isnull=False)
                | (~models.Q(deadline_kind__in=DATED_KINDS) & models.Q(deadline_date__isnull=True)),
                name="item_deadline_date_matches_kind",
            ),
        ]
        indexes = [
            # The deadlines board's order and its state filters (a range of last_day).
            models.Index(
                fields=["deadline_group", "last_day", "roadmap", "sort_key"],
                condition=models.Q(is_section=False),
                name="item_board_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:80]}"

    def save(self, *args, **kwargs):
        self.sort_key = number_sort_key(self.number)
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return max(len(NUMBER_PART.findall(self.number)) - 1, 0)

    @property
    def is_measure(self) -> bool:
        return not self.is_section

    def named_documents(self) -> list[str]:
        """The documents the plan names for this measure (one for most; several in one cell)."""
        return split_documents(self.document_type)

    def document_checklist(self) -> list[tuple[str, list]]:
        """Each named document with the evidence that provides it (empty: still missing)."""
        evidence = list(self.evidence.all()) if self.pk else []
        whole = normalize_text(self.document_type)
        checklist = []
        for name in self.named_documents():
            wanted = normalize_text(name)
            # Evidence typed as the whole cell (one record for the whole cell, as the portal
            # took it before documents were named one by one) provides every document in it.
            provided = [e for e in evidence if normalize_text(e.document_type) in (wanted, whole)]
            checklist.append((name, provided))
        return checklist

    def missing_documents(self) -> list[str]:
        return [name for name, provided in self.document_checklist() if not provided]

    def matching_evidence(self):
        """Evidence of a document the plan names for this measure (any, when it names none)."""
        if not self.document_type.strip():
            return list(self.evidence.all()) if self.pk else []
        seen = {}
        for _name, provided in self.document_checklist():
            seen.update((e.pk, e) for e in provided)
        return list(seen.values())

    def done_refusal(self) -> str:
        """Why the measure cannot be done now (Russian), or "" when it can: every document the
        plan names for it needs its evidence."""
        if self.is_section:
            return "Раздел плана не исполняется сам по себе: отмечайте исполненными мероприятия."
        if not self.document_type.strip():
            if self.matching_evidence():
                return ""
            return (
                f"Мероприятие {self.number} нельзя отметить исполненным без подтверждающего "
                "документа: добавьте его реквизиты (номер и дату), ссылку или файл."
            )
        missing = self.missing_documents()
        if not missing:
            return ""
        if len(missing) == 1 and len(self.named_documents()) == 1:
            return (
                f"Мероприятие {self.number} нельзя отметить исполненным без подтверждающего "
                f"документа вида «{self.document_type}»: добавьте его реквизиты "
                "(номер и дату), ссылку или файл."
            )
        names = ", ".join(f"«{name}»" for name in missing)
        kinds = (
            "подтверждающего документа вида"
            if len(missing) == 1
            else "подтверждающих документов видов"
        )
        return (
            f"Мероприятие {self.number} нельзя отметить исполненным без {kinds} {names} "
            "(план называет для него несколько документов): добавьте реквизиты (номер и дату), "
            "ссылку или файл каждого."
        )

    def clean(self):
        errors = {}
        if self.status == ItemStatus.DONE:
            refusal = self.done_refusal()
            if refusal:
                errors["status"] = refusal
        if self.deadline_kind in DATED_KINDS and self.deadline_date is None:
            errors["deadline_date"] = "Для срока-даты укажите дату."
        if self.deadline_kind not in DATED_KINDS and self.deadline_date is not None:
            errors["deadline_date"] = "Дата указывается только для срока-даты."
        if self.parent_id and self.parent.roadmap_id != self.roadmap_id:
            errors["parent"] = "Раздел должен быть из той же дорожной карты."
        if errors:
            raise ValidationError(errors)

    def responsible_display(self, responsibles=None) -> list[str]:
        """Each responsible body as the plan shows it, with successors of reorganized ones;
        `responsibles`: the item's ItemResponsible rows when read apart (board_export)."""
        rows = self.responsibles.all() if responsibles is None else responsibles
        bodies = [r.display() for r in rows]
        return bodies or ([self.responsible_text] if self.responsible_text else [])


class ItemResponsible(models.Model):
    """One responsible body of a measure: an organization of the portal, or (only for a body
    the portal does not know) the name as the document writes it."""

    item = reference(RoadmapItem, "пункт", related_name="responsibles")
    organization = organization_field(
        "организация", null=True, blank=True, related_name="roadmap_responsibilities"
    )
    name = models.CharField(
        "как в документе", max_length=500, blank=True, help_text="Например, «АГ СО»."
    )
    position = models.PositiveSmallIntegerField("порядок", default=0)
    # An amendment that rewrites the responsible column replaces the links: the replaced ones
    # stay in history (who answered for the measure before the act).
    history = HistoricalRecords()

    scoping = Scope(owner="item__roadmap__owner", rules={VIEW: PLAN_READ})

    class Meta:
        verbose_name = "ответственный"
        verbose_name_plural = "ответственные"
        ordering = ["item", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False) | ~models.Q(name=""),
                name="responsible_org_or_name",
            )
        ]

    def __str__(self) -> str:
        return self.display()

    def display(self) -> str:
        if self.organization_id is None:
            return self.name
        return self.organization.display_name + successor_note(self.organization)


@receiver(pre_create_historical_record)
def _record_legal_act(sender, instance, history_instance, **kwargs):
    """A change made through services.items carries its act on the instance (_legal_act)."""
    if not isinstance(history_instance, LegalActBasis):
        return
    act = getattr(instance, "_legal_act", None)
    history_instance.legal_act = act
    history_instance.effective_date = (
        getattr(instance, "_effective_date", None)
        or (act.date if act is not None else None)
        or timezone.localdate(history_instance.history_date)
    )


class RegistryTarget(models.Model):
    """A measure bound to a registry figure: the share of the authority's processes of a
    group that have a reengineering status ("Проведен реинжиниринг 10 % процессов …")."""

    item = models.OneToOneField(
        RoadmapItem, on_delete=models.CASCADE, related_name="registry_target"
    )
    group = reference("registry.ProcessGroup", "группа процессов")
    status = reference("registry.ReengineeringStatus", "статус")
    target_percent = models.DecimalField("целевая доля, %", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "показатель реестра для мероприятия"
        verbose_name_plural = "показатели реестра для мероприятий"

    def __str__(self) -> str:
        return f"{self.target_percent} % — {self.group}: {self.status}"
