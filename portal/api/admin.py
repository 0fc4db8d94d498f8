"""Every API token for administrators: who, what for, until when, last use; revoked by an
action (a token is never deleted, and its key is not kept)."""

from django.contrib import admin, messages

from portal.admin_access import AdministratorGatedMixin
from portal.api.tokens import revoke_token
from portal.models import APIToken

FIELDS = (
    "user",
    "name",
    "prefix",
    "writable",
    "created_at",
    "expires_at",
    "last_used_at",
    "revoked_at",
    "revoked_by",
)


@admin.action(description="Отозвать выбранные ключи")
def revoke(modeladmin, request, queryset):
    for token in queryset.filter(revoked_at__isnull=True):
        revoke_token(token, request.user)
    messages.success(request, "Выбранные ключи отозваны.")


@admin.register(APIToken)
class APITokenAdmin(AdministratorGatedMixin, admin.ModelAdmin):
    list_display = (
        "prefix",
        "user",
        "name",
        "writable",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("writable", "revoked_at", "expires_at")
    search_fields = ("prefix", "name", "user__username", "user__last_name")
    list_select_related = ("user",)
    readonly_fields = FIELDS
    fields = FIELDS
    actions = [revoke]

    def has_add_permission(self, request, *args):
        return False  # made on «Мои ключи API» or by create_api_token: the key is shown once
