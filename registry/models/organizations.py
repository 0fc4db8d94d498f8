"""Organizations: region or municipality -> authority -> structural unit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from portal.fields import reference
from portal.scoping import COORDINATOR, KEEP, Reach, RestrictedQuerySet, Scope

from ..choices import Level, OrganizationKind
from .catalogue import CatalogueEdition

ROOT_KINDS = (OrganizationKind.REGION, OrganizationKind.MUNICIPALITY)
# Which kinds of parent each kind may have (None: a root).
ALLOWED_PARENTS = {
    OrganizationKind.REGION: (None,),
    OrganizationKind.MUNICIPALITY: (None, OrganizationKind.REGION),
    OrganizationKind.AUTHORITY: ROOT_KINDS,
    OrganizationKind.UNIT: (OrganizationKind.AUTHORITY, OrganizationKind.UNIT),
}


class OrganizationQuerySet(RestrictedQuerySet):
    def authorities(self):
        return self.filter(kind=OrganizationKind.AUTHORITY)

    def units(self):
        return self.filter(kind=OrganizationKind.UNIT)

    def active_on(self, day):
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class Organization(models.Model):
    kind = models.CharField("вид", max_length=20, choices=OrganizationKind.choices)
    parent = reference("self", "вышестоящая организация", optional=True, related_name="children")
    # Denormalized: the authority a unit belongs to (an authority points to itself), so that
    # scoping by authority is one indexed comparison instead of a walk up the tree.
    authority = reference(
        "self", "орган власти", optional=True, editable=False, related_name="members"
    )
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField(
        "сокращенное наименование",
        max_length=200,
        blank=True,
        help_text="Как его называют документы, например «ОПФО Главного управления».",
    )
    level = models.CharField(
        "уровень",
        max_length=20,
        choices=Level.choices,
        help_text="Определяет редакцию перечня типовых процессов; наследуется от вышестоящей.",
    )
    valid_from = models.DateField("действует с", null=True, blank=True)
    valid_to = models.DateField("действует по", null=True, blank=True)
    successor = reference("self", "правопреемник", optional=True, related_name="predecessors")
    successor_since = models.DateField("правопреемник с", null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    # Units point to their authority, an authority to itself: one path for both.
    scoping = Scope(
        owner="authority",
        rules={"publish": KEEP, "open_campaign": {**KEEP, COORDINATOR: Reach.TERRITORY}},
    )

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["kind", "full_name"]
        indexes = [
            models.Index(fields=["kind", "authority"]),
            # the registry list sorted by authority or unit walks organizations in name order
            models.Index(fields=["full_name", "id"], name="organization_name_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(successor__isnull=True)
                | models.Q(successor_since__isnull=False),
                name="organization_successor_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="organization_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.full_name

    def save(self, *args, **kwargs):
        if self.parent_id:
            self.level = self.parent.level
        if self.kind == OrganizationKind.AUTHORITY:
            self.authority_id = self.pk  # set again below for a new row
        elif self.kind == OrganizationKind.UNIT and self.parent_id:
            self.authority_id = self.parent.authority_id
        else:
            self.authority_id = None
        super().save(*args, **kwargs)
        if self.kind == OrganizationKind.AUTHORITY and self.authority_id != self.pk:
            Organization.objects.filter(pk=self.pk).update(authority=self.pk)
            self.authority_id = self.pk

    def clean(self):
        errors = {}
        parent_kind = self.parent.kind if self.parent_id else None
        allowed = ALLOWED_PARENTS.get(self.kind, ())
        if parent_kind not in allowed:
            names = ", ".join(OrganizationKind(k).label if k else "нет" for k in allowed)
            errors["parent"] = (
                f"Для вида «{self.get_kind_display()}» вышестоящей может быть: {names}."
            )
        if self.parent_id and self.level and self.parent.level != self.level:
            errors["level"] = (
                f"Уровень должен совпадать с уровнем вышестоящей организации "
                f"(«{self.parent.get_level_display()}»)."
            )
        if self.successor_id:
            if self.successor_id == self.pk:
                errors["successor"] = "Организация не может быть правопреемником самой себя."
            elif self.successor.kind != self.kind:
                errors["successor"] = "Правопреемник должен быть организацией того же вида."
            if not self.successor_since:
                errors["successor_since"] = "Укажите дату, с которой действует правопреемник."
        if self.pk:
            # Moving a unit between authorities would leave its rows and users behind:
            # close it (valid_to) and create a new one instead.
            stored = Organization.objects.filter(pk=self.pk).values("kind", "authority_id").first()
            if stored and stored["kind"] != self.kind:
                errors["kind"] = "Вид существующей организации не меняется."
            elif (
                stored
                and self.kind == OrganizationKind.UNIT
                and self.parent_id
                and self.parent.authority_id != stored["authority_id"]
            ):
                errors["parent"] = (
                    "Подразделение нельзя перенести в другой орган власти: закройте его "
                    "(«действует по») и создайте новое в нужном органе власти."
                )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "Дата окончания не может быть раньше даты начала."
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return self.short_name or self.full_name

    @property
    def is_authority(self) -> bool:
        return self.kind == OrganizationKind.AUTHORITY

    @property
    def is_unit(self) -> bool:
        return self.kind == OrganizationKind.UNIT

    def is_active_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def unit_ids(self) -> list[int]:
        """This unit and every unit nested under it."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                Organization.objects.filter(
                    parent__in=frontier, kind=OrganizationKind.UNIT
                ).values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids

    @property
    def territory_id(self) -> int | None:
        """The region or municipality the organization belongs to (itself for one)."""
        if self.kind in ROOT_KINDS:
            return self.pk
        if self.kind == OrganizationKind.AUTHORITY:
            return self.parent_id
        if self.authority_id is None:
            return None
        return (
            Organization.objects.filter(pk=self.authority_id)
            .values_list("parent_id", flat=True)
            .first()
        )

    @property
    def edition(self):
        """The catalogue edition of the territory's act, else the template of its level."""
        return edition_of(self.territory_id, self.level)


def edition_of(territory_id: int | None, level: str):
    """One query: the territory's own edition, else the template of its level."""
    templates = CatalogueEdition.objects.filter(level=level, is_template=True)
    if not territory_id:
        return templates.order_by("pk").first()
    return (
        CatalogueEdition.objects.filter(
            models.Q(territory_id=territory_id) | models.Q(pk__in=templates)
        )
        .annotate(own=models.Case(models.When(territory_id=territory_id, then=0), default=1))
        .order_by("own", "pk")
        .first()
    )


def editions_by_authority(authorities) -> dict[int, int]:
    """Each authority's edition id (as Organization.edition), in one query for any number."""
    authorities = list(authorities)
    territories = {a.parent_id for a in authorities if a.parent_id}
    editions = CatalogueEdition.objects.filter(
        models.Q(territory_id__in=territories) | models.Q(is_template=True)
    ).order_by("pk")
    own, templates = {}, {}
    for edition in editions.values("pk", "territory_id", "level", "is_template"):
        if edition["territory_id"] in territories:
            own[edition["territory_id"]] = edition["pk"]
        if edition["is_template"]:
            templates.setdefault(edition["level"], edition["pk"])
    return {a.pk: own.get(a.parent_id) or templates.get(a.level) for a in authorities}


class OrganizationAlias(models.Model):
    """Another name the documents use for an organization ("АГ СО", "Главное управление")."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="aliases", verbose_name="организация"
    )
    name = models.CharField("наименование", max_length=300)

    class Meta:
        verbose_name = "другое наименование"
        verbose_name_plural = "другие наименования"
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_alias_per_org")
        ]

    def __str__(self) -> str:
        return self.name


def organization_field(verbose_name: str, *, related_name: str = "+", **options):
    """A record's authority or unit (or another organization): kept while the record is."""
    return reference(Organization, verbose_name, related_name=related_name, **options)
