"""The kernel's admin: django-axes for the portal's administrators (a role, not Django's
per-model permissions), who see the failed logins and unlock a user name or an address; the
jobs and the task queue, read-only; and no page of the file storage's own.

Every label of the axes pages is written here in Russian (columns, fields, filter, action,
messages): axes' own catalogue leaves many in English ("Attempt Remaining", "Locked Out",
"User Agent"...)."""

import dbfiles.admin  # noqa: F401  (registers the page first: "dbfiles" is after "portal")
from axes import utils as axes_utils
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from dbfiles.models import DBFile
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from portal.admin_access import AdministratorGatedMixin, RoleGatedMixin
from portal.locking import VersionedAdminMixin
from portal.models import CalendarCorrection, Job
from portal.scoping import CHANGE, VIEW, can, restrict

OUT_OF_REACH = (
    "Так запись выйдет за пределы того, что вы ведете: выберите редакцию или территорию, "
    "которую вы ведете."
)


class ScopedAdminMixin:
    """A scoped model's admin pages show and change what the model's Scope allows: staff who
    are not administrators (coordinators, officers) reach the rows of the portal's pages and
    no more. Put it before the role gate, which still decides whether the page opens."""

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user, VIEW)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class ScopedForm(form):
            def _post_clean(self):
                # The row as it will be saved stays in the user's reach: a coordinator's
                # group is not moved to (or added in) another territory's edition.
                super()._post_clean()
                if not can(user, CHANGE, self.instance):
                    self.add_error(None, OUT_OF_REACH)

        ScopedForm.__name__ = form.__name__
        return ScopedForm

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can(request.user, CHANGE, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can(request.user, CHANGE, obj))


def _column(attribute: str, description: str, *, sortable=False, dash=False, boolean=False):
    """A column (and read-only field) of an axes page: one attribute of the record under its
    Russian name, sorted by it when `sortable`; `dash` shows an empty one as "—"."""

    @admin.display(
        description=description,
        ordering=attribute if sortable else None,
        boolean=boolean or None,
    )
    def column(self, obj):
        value = getattr(obj, attribute)
        return (value or "—") if dash else value

    return column


class AxesAdmin(AdministratorGatedMixin, admin.ModelAdmin):
    """What every axes page shows, with Russian labels; administrators read only."""

    read_only = True
    search_fields = ("ip_address", "username", "user_agent", "path_info")
    date_hierarchy = "attempt_time"
    list_filter = ("attempt_time",)

    when = _column("attempt_time", "время", sortable=True)
    name = _column("username", "имя пользователя", sortable=True, dash=True)
    address = _column("ip_address", "адрес", sortable=True, dash=True)
    browser = _column("user_agent", "браузер", dash=True)
    page = _column("path_info", "страница входа")
    accepts = _column("http_accept", "принимаемые форматы")

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets


def _failures_within_cool_off(field: str):
    """The failures of the row's user name (or address) that still count: attempts within
    the cool-off, summed over every row of that name (or address)."""
    recent = AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME, **{field: OuterRef(field)}
    )
    total = recent.values(field).annotate(total=Sum("failures_since_start")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def _locked(prefix=""):
    limit = settings.AXES_FAILURE_LIMIT
    return Q(**{f"{prefix}name_failures__gte": limit}) | Q(
        **{f"{prefix}address_failures__gte": limit}
    )


class LockedFilter(admin.SimpleListFilter):
    title = "блокировка"
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return (("yes", "заблокированы"), ("no", "не заблокированы"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(_locked())
        if self.value() == "no":
            return queryset.exclude(_locked())
        return queryset


class PortalAccessAttemptAdmin(AxesAdmin):
    list_display = ("when", "name", "address", "failures", "status", "browser", "page")
    list_filter = (LockedFilter, "attempt_time")
    fieldsets = (
        (None, {"fields": ("name", "address", "when", "failures", "status", "page")}),
        ("Данные запроса", {"fields": ("get_parameters", "post_parameters")}),
        ("Сведения о браузере", {"fields": ("browser", "accepts")}),
    )
    readonly_fields = (
        "name",
        "address",
        "when",
        "failures",
        "status",
        "page",
        "get_parameters",
        "post_parameters",
        "browser",
        "accepts",
    )
    actions = ["unlock"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                name_failures=_failures_within_cool_off("username"),
                address_failures=_failures_within_cool_off("ip_address"),
            )
        )

    failures = _column("failures_since_start", "неудачных попыток", sortable=True)
    get_parameters = _column("get_data", "параметры адреса")
    post_parameters = _column("post_data", "данные формы (пароль скрыт)")

    @admin.display(description="состояние")
    def status(self, obj):
        """Locked by the user name's or the address's total within the cool-off (either
        alone locks, AXES_LOCKOUT_PARAMETERS); else the attempts left before a lock."""
        limit = settings.AXES_FAILURE_LIMIT
        by_name = obj.username and obj.name_failures >= limit
        by_address = obj.ip_address and obj.address_failures >= limit
        if by_name and by_address:
            return "заблокированы имя и адрес"
        if by_name:
            return "заблокировано имя"
        if by_address:
            return "заблокирован адрес"
        used = max(obj.name_failures if obj.username else 0, obj.address_failures)
        return f"осталось попыток: {max(limit - used, 0)}"

    @admin.action(description="Разблокировать имена и адреса выбранных записей")
    def unlock(self, request, queryset):
        names = {n for n in queryset.values_list("username", flat=True) if n}
        addresses = {a for a in queryset.values_list("ip_address", flat=True) if a}
        # Logged before the reset (it deletes every failure of those names and addresses).
        gone = AccessAttempt.objects.filter(Q(username__in=names) | Q(ip_address__in=addresses))
        content_type = ContentType.objects.get_for_model(AccessAttempt)
        LogEntry.objects.bulk_create(
            LogEntry(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=str(attempt.pk),
                object_repr=str(attempt)[:200],
                action_flag=DELETION,
                change_message="Разблокировано: неудачные попытки входа забыты.",
            )
            for attempt in gone
        )
        count = 0
        for name in sorted(names):
            count += axes_utils.reset(username=name)
        for address in sorted(addresses):
            count += axes_utils.reset(ip=address)
        self.message_user(
            request,
            f"Разблокировано имен: {len(names)}, адресов: {len(addresses)}; "
            f"забыто записей о неудачных попытках: {count}.",
        )


def _access_record_layout(event: str):
    """The page of one record of axes, read-only: who, from where, when, what happened (`event`)
    and on which page; then the browser."""
    main = ("name", "address", "when", event, "page")
    browser = ("browser", "accepts")
    return (
        ((None, {"fields": main}), ("Сведения о браузере", {"fields": browser})),
        (*main, *browser),
    )


class PortalAccessLogAdmin(AxesAdmin):
    list_display = ("when", "logout", "name", "address", "browser", "page")
    list_filter = ("attempt_time", "logout_time")
    fieldsets, readonly_fields = _access_record_layout("logout")

    logout = _column("logout_time", "время выхода", sortable=True, dash=True)


class PortalAccessFailureLogAdmin(AxesAdmin):
    list_display = ("when", "name", "address", "during_lockout", "browser", "page")
    list_filter = ("attempt_time", "locked_out")
    fieldsets, readonly_fields = _access_record_layout("during_lockout")

    during_lockout = _column("locked_out", "во время блокировки", sortable=True, boolean=True)


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


@admin.register(CalendarCorrection)
class CalendarCorrectionAdmin(VersionedAdminMixin, RoleGatedMixin, admin.ModelAdmin):
    """Reference data: coordinators and administrators edit it, nobody else reads it."""

    list_display = ("date", "is_working_day", "reason")
    date_hierarchy = "date"


class JobAdmin(AdministratorGatedMixin, admin.ModelAdmin):
    """Every user's jobs, for administrators, read-only: state, counters, the message. Never
    the file: it belongs to the user who asked for it."""

    read_only = True
    list_display = ("pk", "title", "user", "state", "done", "total", "created_at", "finished_at")
    list_filter = ("state", "kind", "created_at")
    search_fields = ("title", "user__username", "user__last_name")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    exclude = ("result",)
    readonly_fields = (
        "user",
        "kind",
        "title",
        "state",
        "params",
        "done",
        "total",
        "counted",
        "task_id",
        "created_at",
        "started_at",
        "finished_at",
        "summary",
        "message",
        "result_name",
        "result_type",
        "result_size",
        "purged_at",
    )


class TaskResultAdmin(AdministratorGatedMixin, DBTaskResultAdmin):
    """The task queue's own records (arguments, tracebacks of failures) for administrators."""

    read_only = True


admin.site.register(Job, JobAdmin)
import portal.api.admin  # noqa: E402, F401  (the API tokens page)

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
