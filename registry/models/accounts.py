"""Portal users and their roles. A role is tied to an organization: an official to a unit,
an authorized officer to an authority, a coordinator to his region or municipality (or its
coordinating body: an authority or a unit there), whose authorities he reads; a nationwide
coordinator (`whole_country`) and administrators read every authority. A directory's groups
(LDAP / Active Directory, OpenID Connect) are mapped to those roles by `DirectoryGroup`
(registry.services.directory signs their members in)."""

from __future__ import annotations

import re
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from portal.fields import reference

from ..choices import Directory, OrganizationKind, Role
from .organizations import ROOT_KINDS

ROLE_ORGANIZATION_KIND = {
    Role.OFFICIAL: OrganizationKind.UNIT,
    Role.AUTHORIZED_OFFICER: OrganizationKind.AUTHORITY,
}


def role_organization_error(role, organization) -> None:
    """The organization a role needs (a unit, an authority, none for the others), as the
    ValidationError of the form's organization field."""
    needed = ROLE_ORGANIZATION_KIND.get(role)
    if needed is None:
        return
    if organization is None or organization.kind != needed:
        raise ValidationError(
            {
                "organization": f"Для роли «{Role(role).label}» укажите организацию "
                f"вида «{OrganizationKind(needed).label}»."
            }
        )


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
    directory = models.CharField(
        "источник учетной записи",
        max_length=10,
        choices=Directory.choices,
        blank=True,
        help_text="Пусто — локальная учетная запись портала (вход по паролю портала). "
        "Учетная запись каталога входит только через каталог, ее роль и организация "
        "обновляются при каждом входе по таблице «Группы каталога».",
    )
    # OpenID Connect's `sub`: the provider may give a user name to someone else later, the
    # subject stays the account's (registry.services.directory).
    directory_subject = models.CharField(
        "идентификатор в каталоге",
        max_length=255,
        blank=True,
        help_text="Для OpenID Connect — неизменный идентификатор учетной записи у провайдера "
        "(sub). По нему портал узнает пользователя при входе, даже если имя у провайдера "
        "сменилось.",
    )

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["directory", "directory_subject"],
                condition=~models.Q(directory_subject=""),
                name="user_unique_directory_subject",
            )
        ]

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
        role_organization_error(self.role, self.organization)

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


def group_key(directory: str, name: str) -> str:
    """How a group's name is compared: an LDAP DN without the spaces around its separators
    and case-insensitively (as LDAP compares DNs); a claim value as it is, bar outer spaces."""
    name = name.strip()
    if directory == Directory.LDAP:
        return re.sub(r"\s*([,=+])\s*", r"\1", name).casefold()
    return name


# Administrators keep local accounts: a directory group may not make anyone one (whoever
# manages the directory's groups would otherwise manage the portal's users too).
DIRECTORY_ROLES = [(r.value, r.label) for r in Role if r != Role.ADMINISTRATOR]


class DirectoryGroup(models.Model):
    """A group of the organization's directory and the portal role its members get: an LDAP
    group's DN or a value of the OpenID Connect groups claim. A user in several mapped
    groups gets the first by `order`. Switched off, not deleted."""

    directory = models.CharField("каталог", max_length=10, choices=Directory.choices)
    name = models.CharField(
        "группа в каталоге",
        max_length=500,
        help_text="LDAP / Active Directory — DN группы (cn=portal-officers,ou=groups,dc=…); "
        "OpenID Connect — значение из списка групп в данных пользователя.",
    )
    role = models.CharField("роль", max_length=30, choices=DIRECTORY_ROLES)
    organization = reference(
        "registry.Organization",
        "организация",
        optional=True,
        related_name="+",
        help_text="Структурное подразделение — для сотрудника, орган власти — для "
        "уполномоченного лица; для координатора пусто.",
    )
    order = models.PositiveIntegerField(
        "порядок",
        default=100,
        help_text="Если пользователь состоит в нескольких группах, действует группа с "
        "меньшим порядком.",
    )
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "группа каталога"
        verbose_name_plural = "группы каталога"
        ordering = ["directory", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["directory", "name"], name="directory_group_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.get_role_display()}"

    def clean(self):
        super().clean()
        # A directory's coordinator reads his territory only: nationwide is an administrator's
        # explicit choice on the user's page, as the administrator role is.
        if self.role == Role.COORDINATOR and self.organization_id is None:
            raise ValidationError(
                {
                    "organization": "Для координатора укажите субъект, муниципальное образование "
                    "или его координационный орган: координатор всей страны назначается "
                    "администратором на странице пользователя."
                }
            )
        role_organization_error(self.role, self.organization)
        key = group_key(self.directory, self.name)
        others = DirectoryGroup.objects.filter(directory=self.directory).exclude(pk=self.pk)
        if any(
            group_key(self.directory, other) == key
            for other in others.values_list("name", flat=True)
        ):
            raise ValidationError({"name": "Эта группа каталога уже есть в справочнике."})
