"""Django admin for reference data and users, scoped by role like every other page.

Coordinators and administrators maintain reference data and organizations; only
administrators manage users. Nothing here can be hard-deleted: rows are excluded or closed.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from portal.admin import ScopedAdminMixin
from portal.admin_access import AdministratorGatedMixin, RoleGatedMixin
from registry.models import (
    ActivityDirection,
    CatalogueEdition,
    CellVariant,
    DirectoryGroup,
    ExclusionGround,
    InclusionReason,
    LifeSituation,
    Organization,
    OrganizationAlias,
    PlacementPoint,
    Process,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    RegistryColumn,
    TypicalProcess,
    User,
    normalize_text,
)
from registry.models.organizations import ROOT_KINDS
from registry.services import editions, sort_keys


class ReferenceDataAdmin(RoleGatedMixin, admin.ModelAdmin):
    """Editable by coordinators and administrators, read by nobody else; a catalogue
    edition's pages (ScopedAdminMixin) by a coordinator of its territory only."""

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except sort_keys.CatalogueBusy as busy:  # its transaction is rolled back: nothing saved
            self.message_user(request, busy.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # a renamed or reordered entry reaches the rows' stored sort keys
        inline_rows = [f.instance for formset in formsets for f in formset.forms]
        sort_keys.entries_changed([form.instance, *inline_rows])


class ReferenceRowsInline(RoleGatedMixin, admin.TabularInline):
    """The rows of a reference record (an edition's columns, a group's processes): edited in
    place, none added blank, none deleted."""

    extra = 0
    can_delete = False


class RegistryColumnInline(ReferenceRowsInline):
    model = RegistryColumn


class CopyEditionForm(forms.Form):
    territory = forms.ModelChoiceField(
        label="Субъект или муниципальное образование",
        queryset=Organization.objects.filter(
            kind__in=ROOT_KINDS, catalogue_edition__isnull=True
        ).order_by("full_name"),
    )
    source = forms.CharField(
        label="Правовой акт территории",
        max_length=500,
        help_text="Например: «Распоряжение Правительства … области от … № …».",
    )
    name = forms.CharField(label="Наименование редакции", max_length=200, required=False)
    old_words = forms.CharField(
        label="Слова образца",
        max_length=200,
        required=False,
        help_text="Например, «Омской области»: во всех наименованиях и заголовках граф.",
    )
    new_words = forms.CharField(
        label="заменить словами", max_length=200, required=False, help_text="«Самарской области»"
    )


@admin.register(CatalogueEdition)
class CatalogueEditionAdmin(ScopedAdminMixin, ReferenceDataAdmin):
    list_display = ("name", "level", "territory", "is_template", "source")
    list_select_related = ("territory",)
    autocomplete_fields = ("territory",)
    inlines = [RegistryColumnInline]
    actions = ["copy_for_territory"]

    def has_add_permission(self, request, *args):
        return False  # a new territory's edition is a copy of a template (the action below)

    @admin.action(description="Создать редакцию для новой территории по образцу выбранной")
    def copy_for_territory(self, request, queryset):
        """Administrators only: the copy's form, then its edit page (wording as the act)."""
        if not request.user.is_administrator:
            self.message_user(
                request,
                "Редакции перечня для новых территорий создает администратор.",
                messages.ERROR,
            )
            return None
        if queryset.count() != 1:
            self.message_user(request, "Выберите одну редакцию-образец.", messages.ERROR)
            return None
        template = queryset.get()
        form = CopyEditionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                edition = editions.copy_edition(template, user=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as refused:
                form.add_error(
                    None, refused.messages if hasattr(refused, "messages") else str(refused)
                )
            else:
                self.message_user(
                    request,
                    f"Создана редакция «{edition}»: измените формулировки по акту территории.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:registry_catalogueedition_change", args=[edition.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Новая редакция по образцу «{template}»",
            "form": form,
            "template_edition": template,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/registry/copy_edition.html", context)


@admin.register(ActivityDirection)
class ActivityDirectionAdmin(ScopedAdminMixin, ReferenceDataAdmin):
    list_display = ("number", "name", "edition", "rule", "group")
    list_filter = ("edition",)
    list_select_related = ("edition", "group")


class TypicalProcessInline(ReferenceRowsInline):
    model = TypicalProcess


@admin.register(ProcessGroup)
class ProcessGroupAdmin(ScopedAdminMixin, ReferenceDataAdmin):
    list_display = ("code", "name", "edition")
    list_filter = ("edition",)
    inlines = [TypicalProcessInline]


@admin.register(TypicalProcess)
class TypicalProcessAdmin(ScopedAdminMixin, ReferenceDataAdmin):
    list_display = ("code", "name", "group")
    list_filter = ("group__edition", "group")
    search_fields = ("name", "code")
    list_select_related = ("group__edition",)


@admin.register(ReengineeringStatus)
class ReengineeringStatusAdmin(ScopedAdminMixin, ReferenceDataAdmin):
    list_display = ("order", "name", "edition", "is_reengineered")
    list_filter = ("edition",)


@admin.register(ProcessKind)
class ProcessKindAdmin(ScopedAdminMixin, ReferenceDataAdmin):
    list_display = ("name", "edition", "is_digital")
    list_filter = ("edition",)


@admin.register(PlacementPoint)
class PlacementPointAdmin(ReferenceDataAdmin):
    list_display = ("order", "name", "code")


@admin.register(CellVariant)
class CellVariantAdmin(ReferenceDataAdmin):
    list_display = ("text", "meaning", "placement_point", "order")
    list_filter = ("meaning", "placement_point")
    search_fields = ("text",)


@admin.register(ExclusionGround)
class ExclusionGroundAdmin(ReferenceDataAdmin):
    list_display = ("order", "name", "requires_text")


@admin.register(InclusionReason)
class InclusionReasonAdmin(ReferenceDataAdmin):
    list_display = ("order", "name")


class LifeSituationForm(forms.ModelForm):
    class Meta:
        model = LifeSituation
        fields = ["name"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = LifeSituation.objects.filter(normalized_name=normalize_text(name))
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                f"Такая жизненная ситуация уже есть: «{clash.first().name}»."
            )
        return name


@admin.register(LifeSituation)
class LifeSituationAdmin(ReferenceDataAdmin):
    form = LifeSituationForm
    search_fields = ("name",)


class OrganizationAliasInline(RoleGatedMixin, admin.TabularInline):
    model = OrganizationAlias
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(ReferenceDataAdmin):
    list_display = ("full_name", "short_name", "kind", "level", "parent", "valid_to", "successor")
    list_filter = ("kind", "level")
    search_fields = ("full_name", "short_name", "aliases__name")
    list_select_related = ("parent", "successor")
    autocomplete_fields = ("parent", "successor")
    inlines = [OrganizationAliasInline]


@admin.register(Process)
class ProcessAdmin(ScopedAdminMixin, AdministratorGatedMixin, admin.ModelAdmin):
    """Read-only here: rows are kept through the registry pages, where the workflow applies."""

    list_display = ("identifier", "authority", "unit", "function_name", "status", "is_excluded")
    list_filter = ("authority", "is_excluded")
    search_fields = ("identifier", "function_name", "process_name")
    list_select_related = ("authority", "unit", "status")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    read_only = True

    def admits(self, user) -> bool:
        return user.is_staff


@admin.register(User)
class UserAdmin(AdministratorGatedMixin, BaseUserAdmin):
    """Users are deactivated, not deleted; only administrators manage them."""

    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "organization",
        "directory",
        "is_active",
    )
    list_filter = ("role", "directory", "is_active")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            "Роль в портале",
            {
                "fields": (
                    "role",
                    "organization",
                    "whole_country",
                    "patronymic",
                    "position",
                    "directory",
                )
            },
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (
            "Роль в портале",
            {"fields": ("role", "organization", "whole_country", "last_name", "first_name")},
        ),
    )


@admin.register(DirectoryGroup)
class DirectoryGroupAdmin(AdministratorGatedMixin, admin.ModelAdmin):
    """Which directory group gets which role (registry.services.directory). Administrators
    only: the table decides who the portal's users are, as the users' own page does."""

    list_display = ("name", "directory", "role", "organization", "order", "is_active")
    list_filter = ("directory", "role", "is_active")
    search_fields = ("name", "organization__full_name", "organization__short_name")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
