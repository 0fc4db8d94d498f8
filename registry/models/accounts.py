"""Portal users and their roles. A role is tied to an organization: an official to a unit,
an authorized officer to an authority, a coordinator to his region or municipality (or its
coordinating body: an authority or a unit there), whose authorities he reads; a nationwide
coordinator (`whole_country`) and administrators read every authority."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from portal.fields import reference

from ..choices import OrganizationKind, Role
from .organizations import ROOT_KINDS

ROLE_ORGANIZATION_KIND = {
    Role.OFFICIAL: OrganizationKind.UNIT,
    Role.AUTHORIZED_OFFICER: OrganizationKind.AUTHORITY,
}


class User(AbstractUser):
    role = models.CharField("роль", max_length=30, choices=Role.choices, default=Role.OFFICIAL)
    organization = reference(
        "registry.Organization",
        "организация",
        optional=True,
        related_name="users",
        help_text="Структурное подразделение сотрудника или орган власти уполномоченного лица; "
        "у координатора — субъект, муниципальное образование или его координационный орган "
        "(орган власти, подразделение): координатор видит органы власти этого субъекта "
        "(муниципального образования).",
    )
    # Explicit, never implied by an empty organization: a forgotten field must not open the
    # whole country.
    whole_country = models.BooleanField(
        "все органы власти страны",
        default=False,
        help_text="Федеральный координатор: видит органы власти всех субъектов и "
        "муниципальных образований. Только для роли «координатор» без организации.",
    )
    patronymic = models.CharField("отчество", max_length=150, blank=True)
    position = models.CharField("должность", max_length=300, blank=True)

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def clean(self):
        super().clean()
        if self.role == Role.COORDINATOR:
            self._clean_coordinator()
        elif self.whole_country:
            raise ValidationError(
                {"whole_country": "Все органы власти страны видит только координатор."}
            )
        needed = ROLE_ORGANIZATION_KIND.get(self.role)
        if needed is None:
            return
        if self.organization_id is None or self.organization.kind != needed:
            raise ValidationError(
                {
                    "organization": f"Для роли «{self.get_role_display()}» укажите организацию "
                    f"вида «{OrganizationKind(needed).label}»."
                }
            )

    def _clean_coordinator(self):
        if self.whole_country and self.organization_id:
            raise ValidationError(
                {
                    "organization": "Координатор всей страны не привязан к организации: "
                    "уберите организацию или отметку «все органы власти страны»."
                }
            )
        if not self.whole_country and self.organization_id is None:
            raise ValidationError(
                {
                    "organization": "Укажите субъект, муниципальное образование или его "
                    "координационный орган — или отметьте «все органы власти страны»."
                }
            )

    def save(self, *args, **kwargs):
        # Coordinators maintain reference data in the admin; administrators manage everything.
        self.is_staff = self.is_superuser or self.role in (Role.COORDINATOR, Role.ADMINISTRATOR)
        super().save(*args, **kwargs)

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def scope_role(self) -> str:
        """The role portal.scoping reads (a superuser counts as an administrator)."""
        return Role.ADMINISTRATOR.value if self.is_administrator else self.role

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_authorized_officer(self) -> bool:
        return self.role == Role.AUTHORIZED_OFFICER

    @property
    def is_official(self) -> bool:
        return self.role == Role.OFFICIAL

    @property
    def sees_all_authorities(self) -> bool:
        return self.is_administrator or self.is_coordinator

    @property
    def maintains_reference_data(self) -> bool:
        return self.is_administrator or self.is_coordinator

    @cached_property
    def authority(self):
        """The authority whose registry this user works in (None for coordinators)."""
        if self.is_administrator or self.organization_id is None:
            return None
        if self.role == Role.AUTHORIZED_OFFICER:
            return self.organization if self.organization.is_authority else None
        if self.role == Role.OFFICIAL:
            return self.organization.authority if self.organization.is_unit else None
        return None

    @property
    def nationwide(self) -> bool:
        """A coordinator of the whole country (portal.scoping reads it)."""
        return self.role == Role.COORDINATOR and self.whole_country

    @cached_property
    def territory(self):
        """A coordinator's region or municipality: his organization if it is one, else the
        one his coordinating body (an authority or its unit) belongs to."""
        if self.role != Role.COORDINATOR or self.organization_id is None:
            return None
        org = self.organization
        if org.kind in ROOT_KINDS:
            return org
        authority = org if org.is_authority else org.authority
        return authority.parent if authority is not None else None

    @cached_property
    def territory_ids(self) -> list[int]:
        """The territory and its authorities (the rows a coordinator reads, portal.scoping):
        the authorities whose parent it is, so a region's coordinator does not read the
        municipalities under it (local self-government keeps its own coordinating body)."""
        territory = self.territory
        if territory is None:
            return []
        authorities = (
            type(territory)
            .objects.filter(kind=OrganizationKind.AUTHORITY, parent=territory)
            .values_list("pk", flat=True)
        )
        return [territory.pk, *authorities]

    @cached_property
    def edition(self):
        """The catalogue edition whose wording the user's pages use: his authority's, or his
        territory's for a coordinator (one territory, one edition); None for those who read
        several editions."""
        org = self.authority or self.territory
        return org.edition if org is not None else None

    @cached_property
    def unit_ids(self) -> list[int]:
        if self.role != Role.OFFICIAL or self.organization_id is None:
            return []
        return self.organization.unit_ids()

    @property
    def applies_changes_directly(self) -> bool:
        """The authorized officer (and an administrator) writes the registry; a unit's official
        proposes changes that the officer reviews (items 7 and 24-26 of the Procedure)."""
        return self.is_administrator or (self.is_authorized_officer and self.authority is not None)

    @property
    def works_on_a_registry(self) -> bool:
        """A role fact, not a row rule: an administrator, or a user of an authority (whose new
        rows portal.scoping then limits to his authority or units)."""
        return self.is_administrator or self.authority is not None
