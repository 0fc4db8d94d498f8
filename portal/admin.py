"""The kernel's admin: django-axes for the portal's administrators (a role, not Django's
per-model permissions), who see the failed logins and unlock a user or an address; and no
page of the file storage's own."""

import dbfiles.admin  # noqa: F401  (registers the page first: "dbfiles" is after "portal")
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from dbfiles.models import DBFile
from django.contrib import admin


def _administrator(request) -> bool:
    user = request.user
    return user.is_active and getattr(user, "is_administrator", user.is_superuser)


class AdministratorsOnly:
    def has_module_permission(self, request):
        return _administrator(request)

    def has_view_permission(self, request, obj=None):
        return _administrator(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PortalAccessAttemptAdmin(AdministratorsOnly, AccessAttemptAdmin):
    actions = ["unlock", *AccessAttemptAdmin.actions]

    def has_delete_permission(self, request, obj=None):
        return _administrator(request)  # deleting the failures is the unlock

    @admin.action(description="Разблокировать: забыть неудачные попытки входа")
    def unlock(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(request, f"Разблокировано записей о неудачных попытках: {count}.")


class PortalAccessLogAdmin(AdministratorsOnly, AccessLogAdmin):
    pass


class PortalAccessFailureLogAdmin(AdministratorsOnly, AccessFailureLogAdmin):
    pass


for model, model_admin in (
    (AccessAttempt, PortalAccessAttemptAdmin),
    (AccessLog, PortalAccessLogAdmin),
    (AccessFailureLog, PortalAccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


# Stored files are reached through the records they belong to (with those records' rights);
# the library's own page would list every file and delete them for good.
if admin.site.is_registered(DBFile):
    admin.site.unregister(DBFile)
