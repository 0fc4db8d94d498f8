"""Admin for roadmaps: coordinators read, administrators also correct, nobody deletes (a
measure that is dropped is cancelled). A plan's authority changes it through its own pages
(status, evidence, amendments by a legal act); coordinators read every plan and change none,
here as on those pages."""

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import ScopedAdminMixin
from portal.admin_access import AdministratorGatedMixin, RoleGatedMixin
from portal.locking import VersionedAdminMixin
from roadmaps.models import (
    CalendarFeedToken,
    Evidence,
    ItemResponsible,
    LegalAct,
    MeasureArea,
    MeasureMetric,
    Roadmap,
    RoadmapItem,
)
from roadmaps.services import feeds

URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class CoordinatorsReadMixin(RoleGatedMixin):
    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and request.user.is_administrator

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and request.user.is_administrator


@admin.register(LegalAct)
class LegalActAdmin(CoordinatorsReadMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("__str__", "kind", "number", "date")
    list_filter = ("kind",)
    search_fields = ("number", "title", "issued_by")


@admin.register(Roadmap)
class RoadmapAdmin(ScopedAdminMixin, CoordinatorsReadMixin, admin.ModelAdmin):
    list_display = ("title", "owner", "appendix_number", "is_template", "legal_act")
    list_filter = ("is_template",)
    search_fields = ("title", "owner__full_name", "owner__short_name")
    raw_id_fields = ("owner", "parent", "template", "collective_of", "legal_act")


class ItemResponsibleInline(CoordinatorsReadMixin, admin.TabularInline):
    model = ItemResponsible
    extra = 0
    can_delete = False
    raw_id_fields = ("organization",)


class EvidenceFileMixin:
    """Files come in through the measure's page, where their content is checked; here they
    are only downloaded, through the same protected view."""

    @admin.display(description="файл")
    def download(self, obj):
        if not obj or not obj.file:
            return "—"
        url = reverse("roadmaps:evidence_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a> {}', url, obj.download_name, obj.file_label)


class EvidenceInline(EvidenceFileMixin, CoordinatorsReadMixin, admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = Evidence
    extra = 0
    can_delete = False
    fields = ("document_type", "number", "date", "title", "url", "download", "added_by", "added_at")
    readonly_fields = ("download", "added_by", "added_at")


@admin.register(RoadmapItem)
class RoadmapItemAdmin(
    ScopedAdminMixin, VersionedAdminMixin, CoordinatorsReadMixin, SimpleHistoryAdmin
):
    list_display = ("number", "short_text", "roadmap", "deadline_text", "status")
    list_filter = ("status", "deadline_kind", "is_section", "roadmap")
    search_fields = ("number", "text", "responsible_text", "document_type")
    raw_id_fields = ("roadmap", "parent", "template_item", "share_of")
    readonly_fields = ("deadline_kind", "deadline_date", "source_line")
    inlines = [ItemResponsibleInline, EvidenceInline]

    @admin.display(description="мероприятие")
    def short_text(self, obj):
        return obj.text[:100]

    def save_model(self, request, obj, form, change):
        # the deadline as written decides its kind and date, as on import
        from roadmaps.services.items import apply_deadline

        apply_deadline(obj, obj.deadline_text)
        super().save_model(request, obj, form, change)


@admin.register(Evidence)
class EvidenceAdmin(ScopedAdminMixin, EvidenceFileMixin, CoordinatorsReadMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("__str__", "item", "added_by", "added_at")
    raw_id_fields = ("item",)
    exclude = ("file", "file_name", "content_type", "file_size")
    readonly_fields = ("download", "added_by", "added_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(AdministratorGatedMixin, admin.ModelAdmin):
    """Administrators see who has a calendar address (not the secret) and revoke any."""

    list_display = ("user", "created_at")
    search_fields = ("user__username", "user__last_name", "user__first_name")
    fields = ("user", "created_at")
    readonly_fields = fields
    actions = ["revoke"]

    read_only = True

    @admin.action(description="Отозвать ссылки на календарь (прежние адреса перестают работать)")
    def revoke(self, request, queryset):
        count = feeds.revoke(queryset)
        self.message_user(request, f"Отозвано ссылок на календарь: {count}.")


class MeasureRuleAdmin(RoleGatedMixin, admin.ModelAdmin):
    """Which wording asks for which figure (services.measured): reference data, kept by
    coordinators and administrators in «Справочники»."""

    ordering = ("order", "pk")
    search_fields = ("pattern", "code")


@admin.register(MeasureMetric)
class MeasureMetricAdmin(MeasureRuleAdmin):
    list_display = ("order", "pattern", "metric", "code")
    list_filter = ("metric",)


@admin.register(MeasureArea)
class MeasureAreaAdmin(MeasureRuleAdmin):
    list_display = ("order", "name", "pattern", "group_codes", "typical_codes")
