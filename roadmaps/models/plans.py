"""Plans and the legal acts that approve and amend them."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from portal.fields import reference
from portal.scoping import OFFICER, OFFICIAL, READ, VIEW, Reach, RestrictedQuerySet, Scope
from registry.models import Organization, OrganizationKind
from roadmaps.choices import LegalActKind

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


class PlanChangeBasis(models.Model):
    """Fields of every saved state of a plan: the act an amendment of its title or footnote
    rests on ("в названии слова … заменить", seed 000) and the day it took effect. Not
    `legal_act`: the plan's own `legal_act` is the act that approved it."""

    basis_act = reference(LegalAct, "основание (правовой акт)", optional=True, related_name="+")
    effective_date = models.DateField("действует с", null=True, blank=True)

    class Meta:
        abstract = True


class Roadmap(models.Model):
    """A plan of measures of a region (or municipality) or of one authority.

    An authority's plan can be an appendix (№ N) of the regional plan; a typical plan
    (is_template) is the one every authority instantiates, its items named by template_item.
    """

    owner = reference(
        Organization,
        "чей план",
        related_name="roadmaps",
        limit_choices_to={"kind__in": OWNER_KINDS},
    )
    title = models.TextField("наименование")
    legal_act = reference(
        LegalAct, "утвержден (правовой акт)", optional=True, related_name="roadmaps"
    )
    parent = reference("self", "приложение к плану", optional=True, related_name="appendices")
    appendix_number = models.CharField("номер приложения", max_length=20, blank=True)
    is_template = models.BooleanField("типовой план", default=False)
    template = reference(
        "self",
        "по типовому плану",
        optional=True,
        related_name="instances",
        limit_choices_to={"is_template": True},
    )
    # An authority's share of a plan's collective measures («Во всех ОИВ СО …», seed 002):
    # the plan of the region those measures belong to (services.collective).
    collective_of = reference(
        "self", "доля органа в плане", optional=True, related_name="share_plans"
    )
    # "после таблицы дополнить сноской" (seed 000): the plan's own footnotes under its table
    footnote = models.TextField("сноска после таблицы", blank=True)
    source_file = models.CharField("загружен из файла", max_length=300, blank=True)
    # The document's own words: the headers of its table (seed 002: «Ответственный
    # исполнитель», «Вид документа и характеристика результата»); the footnote is above.
    responsible_header = models.CharField(
        "заголовок графы ответственных", max_length=200, default="Ответственный"
    )
    document_header = models.CharField(
        "заголовок графы вида документа", max_length=200, default="Вид документа"
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменен", auto_now=True)
    # Who owned the plan before: a reorganized body's plan passes to its successor
    # (services.succession) and the earlier owner stays here.
    history = HistoricalRecords(
        bases=[PlanChangeBasis],
        excluded_fields=["updated_at"],
        history_change_reason_field=models.TextField(null=True),
    )

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
            models.UniqueConstraint(
                fields=["owner", "collective_of"],
                condition=models.Q(collective_of__isnull=False),
                name="one_share_plan_per_authority_and_plan",
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
    def footnote_lines(self) -> list[str]:
        return [line for line in self.footnote.splitlines() if line.strip()]

    @property
    def owner_display(self) -> str:
        return self.owner.full_name + successor_note(self.owner)


@receiver(pre_create_historical_record)
def _record_basis_act(sender, instance, history_instance, **kwargs):
    """A plan saved by services.amendments.words carries its act on the instance."""
    if not isinstance(history_instance, PlanChangeBasis):
        return
    act = getattr(instance, "_basis_act", None)
    history_instance.basis_act = act
    history_instance.effective_date = (act.date if act is not None else None) or (
        timezone.localdate(history_instance.history_date)
    )
