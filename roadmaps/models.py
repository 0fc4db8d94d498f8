"""Roadmaps (планы мероприятий): a plan of a region or an authority, its numbered items,
the legal acts that approve and amend it, and the evidence that closes a measure.

Nothing here is deleted: a measure that is dropped is "cancelled", a reorganized responsible
body keeps its row and names its successor (registry.Organization.successor).
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from portal.cells import cell_length_validator
from portal.documents import BY_CONTENT_TYPE, size_text
from portal.locking import Versioned
from portal.scoping import OFFICER, OFFICIAL, READ, VIEW, Reach, RestrictedQuerySet, Scope
from registry.models import Organization, OrganizationKind, normalize_text
from roadmaps.choices import DeadlineKind, ItemStatus, LegalActKind

# An authority also reads the plans of the region (or municipality) it belongs to.
PLAN_READ = {**READ, OFFICER: Reach.REGION, OFFICIAL: Reach.REGION}

OWNER_KINDS = (
    OrganizationKind.REGION,
    OrganizationKind.MUNICIPALITY,
    OrganizationKind.AUTHORITY,
)


def successor_note(organization: Organization | None) -> str:
    """ " (с 05.06.2024 — Министерство спорта Омской области)" for a reorganized body, as the
    footnotes of seed 000 say it; empty for a body that carries on itself."""
    if organization is None or not organization.successor_id:
        return ""
    since = organization.successor_since
    when = f"с {since:%d.%m.%Y} — " if since else ""
    return f" ({when}{organization.successor.display_name})"


class LegalAct(models.Model):
    """An act that approves or amends a roadmap: kind, number, date (and who issued it)."""

    kind = models.CharField("вид акта", max_length=20, choices=LegalActKind.choices)
    number = models.CharField("номер", max_length=50)
    date = models.DateField("дата")
    issued_by = models.CharField(
        "кем принят",
        max_length=300,
        blank=True,
        help_text="Как в реквизитах, в родительном падеже: «Правительства Омской области».",
    )
    title = models.TextField("наименование", blank=True)
    url = models.URLField("ссылка на текст", blank=True, max_length=500)

    class Meta:
        verbose_name = "правовой акт"
        verbose_name_plural = "правовые акты"
        ordering = ["date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number", "date", "issued_by"], name="unique_legal_act"
            )
        ]

    def __str__(self) -> str:
        issuer = f" {self.issued_by}" if self.issued_by else ""
        return f"{self.get_kind_display()}{issuer} от {self.date:%d.%m.%Y} № {self.number}"

    @property
    def previous_day(self) -> date:
        """The baseline that shows what this act changed."""
        return self.date - timedelta(days=1)


class Roadmap(models.Model):
    """A plan of measures of a region (or municipality) or of one authority.

    An authority's plan can be an appendix (№ N) of the regional plan; a typical plan
    (is_template) is the one every authority instantiates, its items named by template_item.
    """

    owner = models.ForeignKey(
        Organization,
        verbose_name="чей план",
        on_delete=models.PROTECT,
        related_name="roadmaps",
        limit_choices_to={"kind__in": OWNER_KINDS},
    )
    title = models.TextField("наименование")
    legal_act = models.ForeignKey(
        LegalAct,
        verbose_name="утвержден (правовой акт)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roadmaps",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="приложение к плану",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appendices",
    )
    appendix_number = models.CharField("номер приложения", max_length=20, blank=True)
    is_template = models.BooleanField("типовой план", default=False)
    template = models.ForeignKey(
        "self",
        verbose_name="по типовому плану",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instances",
        limit_choices_to={"is_template": True},
    )
    source_file = models.CharField("загружен из файла", max_length=300, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменен", auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(owner="owner", rules={VIEW: PLAN_READ})

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["owner__full_name", "appendix_number", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "appendix_number"],
                condition=~models.Q(appendix_number=""),
                name="unique_roadmap_appendix_number",
            ),
            models.CheckConstraint(
                condition=models.Q(appendix_number="") | models.Q(parent__isnull=False),
                name="roadmap_appendix_has_parent",
            ),
            models.UniqueConstraint(
                fields=["owner", "template"],
                condition=models.Q(template__isnull=False),
                name="one_plan_per_authority_and_typical_plan",
                violation_error_message="У органа власти уже есть план по этому типовому плану.",
            ),
        ]

    def __str__(self) -> str:
        if self.appendix_number:
            return f"Приложение № {self.appendix_number}: {self.title}"
        return self.title

    def clean(self):
        errors = {}
        if self.owner_id and self.owner.kind not in OWNER_KINDS:
            errors["owner"] = (
                "Дорожная карта принадлежит субъекту, муниципальному образованию или органу "
                "власти, а не структурному подразделению."
            )
        if self.appendix_number and not self.parent_id:
            errors["parent"] = "Укажите план, приложением к которому является эта карта."
        if self.template_id:
            if self.is_template:
                errors["template"] = "Типовой план не создается по другому типовому плану."
            elif not self.template.is_template:
                errors["template"] = "Выбранный план не является типовым."
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = "План не может быть приложением к самому себе."
        if errors:
            raise ValidationError(errors)

    @property
    def owner_display(self) -> str:
        return self.owner.full_name + successor_note(self.owner)


DATED_KINDS = (DeadlineKind.DATE, DeadlineKind.UNTIL)


NUMBER_PART = re.compile(r"\d+")


def number_sort_key(number: str) -> str:
    """ "3.10.2." -> "0003.0010.0002": sorts as the document numbers, 3.9 before 3.10."""
    return ".".join(f"{int(part):04d}" for part in NUMBER_PART.findall(number or ""))


class LegalActBasis(models.Model):
    """Fields of every saved state of an item: the act on whose basis it changed, and the day
    the change took effect (the act's date, or the day of an edit made without an act)."""

    legal_act = models.ForeignKey(
        LegalAct,
        verbose_name="основание (правовой акт)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_date = models.DateField("действует с", null=True, blank=True, db_index=True)

    class Meta:
        abstract = True


class RoadmapItem(Versioned):
    """A numbered row of a plan: a section ("2. Кадровый блок") or a measure."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name="дорожная карта", on_delete=models.PROTECT, related_name="items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="раздел",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    number = models.CharField("№ п/п", max_length=30)
    sort_key = models.CharField(max_length=120, editable=False, db_index=True)
    position = models.PositiveIntegerField("порядок", default=0)
    is_section = models.BooleanField("раздел", default=False)
    text = models.TextField("мероприятие", validators=[cell_length_validator()])
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
    responsible_text = models.TextField(
        "ответственный (как в документе)",
        blank=True,
        validators=[cell_length_validator()],
        help_text="Текст ячейки; найденные организации — в списке ответственных.",
    )
    document_type = models.TextField(
        "вид документа", blank=True, validators=[cell_length_validator()]
    )
    status = models.CharField(
        "статус", max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    template_item = models.ForeignKey(
        "self",
        verbose_name="пункт типового плана",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instances",
    )
    source_line = models.PositiveIntegerField("строка файла", null=True, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменен", auto_now=True)

    history = HistoricalRecords(
        bases=[LegalActBasis],
        excluded_fields=["sort_key", "updated_at", "version"],
        history_change_reason_field=models.TextField(null=True),
    )

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(owner="roadmap__owner", rules={VIEW: PLAN_READ})

    class Meta:
        verbose_name = "пункт дорожной карты"
        verbose_name_plural = "пункты дорожных карт"
        ordering = ["roadmap", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="unique_item_number"),
            models.CheckConstraint(
                condition=models.Q(deadline_kind__in=DATED_KINDS, deadline_date__isnull=False)
                | (~models.Q(deadline_kind__in=DATED_KINDS) & models.Q(deadline_date__isnull=True)),
                name="item_deadline_date_matches_kind",
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

    def matching_evidence(self):
        """Evidence whose document type is the one the plan names for this measure."""
        evidence = list(self.evidence.all()) if self.pk else []
        if not self.document_type.strip():
            return evidence
        wanted = normalize_text(self.document_type)
        return [e for e in evidence if normalize_text(e.document_type) == wanted]

    def done_refusal(self) -> str:
        """Why the measure cannot be done now (Russian), or "" when it can."""
        if self.is_section:
            return "Раздел плана не исполняется сам по себе: отмечайте исполненными мероприятия."
        if self.matching_evidence():
            return ""
        if self.document_type.strip():
            return (
                f"Мероприятие {self.number} нельзя отметить исполненным без подтверждающего "
                f"документа вида «{self.document_type}»: добавьте его реквизиты "
                "(номер и дату), ссылку или файл."
            )
        return (
            f"Мероприятие {self.number} нельзя отметить исполненным без подтверждающего "
            "документа: добавьте его реквизиты (номер и дату), ссылку или файл."
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

    def responsible_display(self) -> list[str]:
        """Each responsible body as the plan shows it, with successors of reorganized ones."""
        bodies = [r.display() for r in self.responsibles.all()]
        return bodies or ([self.responsible_text] if self.responsible_text else [])


class ItemResponsible(models.Model):
    """One responsible body of a measure: an organization of the portal, or (only for a body
    the portal does not know) the name as the document writes it."""

    item = models.ForeignKey(
        RoadmapItem, on_delete=models.PROTECT, related_name="responsibles", verbose_name="пункт"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="организация",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roadmap_responsibilities",
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


def evidence_upload_to(instance, filename: str) -> str:
    """A fresh name in the storage (the name as uploaded is kept in `file_name`): no two
    files share one and nothing of the uploader's name reaches the storage."""
    suffix = PurePath(instance.file_name or filename).suffix.lower()
    extension = re.sub(r"[^a-z0-9.]", "", suffix)[:10]
    return f"roadmaps/evidence/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


class Evidence(models.Model):
    """A document that shows a measure is done: its type, number and date, a link or a file.
    A file is kept with its name as uploaded and the type its content showed
    (portal.documents); it is served only by the evidence file view."""

    item = models.ForeignKey(
        RoadmapItem, on_delete=models.PROTECT, related_name="evidence", verbose_name="мероприятие"
    )
    document_type = models.TextField("вид документа")
    number = models.CharField("номер", max_length=100, blank=True)
    date = models.DateField("дата", null=True, blank=True)
    title = models.TextField("реквизиты / наименование", blank=True)
    url = models.URLField("ссылка", max_length=500, blank=True)
    file = models.FileField("файл", upload_to=evidence_upload_to, max_length=255, blank=True)
    file_name = models.CharField("имя файла", max_length=255, blank=True)
    content_type = models.CharField("тип файла по содержимому", max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField("размер файла, байт", null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="добавил",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField("добавлен", default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(owner="item__roadmap__owner", rules={VIEW: PLAN_READ})

    class Meta:
        verbose_name = "подтверждающий документ"
        verbose_name_plural = "подтверждающие документы"
        ordering = ["item", "added_at"]

    def __str__(self) -> str:
        parts = [self.document_type[:80]]
        if self.date:
            parts.append(f"от {self.date:%d.%m.%Y}")
        if self.number:
            parts.append(f"№ {self.number}")
        return " ".join(parts)

    def clean(self):
        errors = {}
        if not self.document_type.strip():
            errors["document_type"] = "Укажите вид документа."
        if not (self.number.strip() or self.title.strip() or self.url or self.file):
            errors["number"] = "Укажите реквизиты документа (номер и дату), ссылку или файл."
        if errors:
            raise ValidationError(errors)

    @property
    def download_name(self) -> str:
        """The name as uploaded; "….bin" added for a file whose content is not an allowed
        document (files copied by migration 0007), so nothing opens it by its name."""
        name = self.file_name or PurePath(self.file.name).name
        if self.content_type not in BY_CONTENT_TYPE and not name.lower().endswith(".bin"):
            name = name[:251] + ".bin"
        return name

    @property
    def file_label(self) -> str:
        """ "PDF, 1,2 МБ" for the page."""
        kind = BY_CONTENT_TYPE.get(self.content_type)
        parts = [kind.label] if kind else []
        if self.file_size:
            parts.append(size_text(self.file_size))
        return ", ".join(parts)


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


def _new_feed_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class CalendarFeedToken(models.Model):
    """The secret part of a user's iCalendar feed address: calendar programs subscribe
    without a session, so the address itself is the credential. Created on demand."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
    )
    token = models.CharField("ключ", max_length=64, unique=True, default=_new_feed_token)
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "ключ календаря сроков"
        verbose_name_plural = "ключи календаря сроков"

    def __str__(self) -> str:
        return f"Календарь сроков: {self.user}"


class RegistryTarget(models.Model):
    """A measure bound to a registry figure: the share of the authority's processes of a
    group that have a reengineering status ("Проведен реинжиниринг 10 % процессов …")."""

    item = models.OneToOneField(
        RoadmapItem, on_delete=models.CASCADE, related_name="registry_target"
    )
    group = models.ForeignKey(
        "registry.ProcessGroup", on_delete=models.PROTECT, verbose_name="группа процессов"
    )
    status = models.ForeignKey(
        "registry.ReengineeringStatus", on_delete=models.PROTECT, verbose_name="статус"
    )
    target_percent = models.DecimalField("целевая доля, %", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "показатель реестра для мероприятия"
        verbose_name_plural = "показатели реестра для мероприятий"

    def __str__(self) -> str:
        return f"{self.target_percent} % — {self.group}: {self.status}"
