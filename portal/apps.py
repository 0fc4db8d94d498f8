from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig


class PortalConfig(AppConfig):
    default = True  # the module also holds LoginProtectionConfig
    name = "portal"
    verbose_name = "Ядро портала"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal import checks, tablecells  # noqa: F401  (checks: registers the deploy checks)
        from portal.middleware import SessionIdleMiddleware

        tablecells.install()

        # Login saves the session with its new end: the refresh interval starts there.
        user_logged_in.connect(SessionIdleMiddleware.logged_in, dispatch_uid="portal.session")


class LoginProtectionConfig(AxesConfig):
    """django-axes itself (label "axes"), under a Russian name in the admin."""

    default = False
    verbose_name = "Защита входа"

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django.utils import timezone
        from django.utils.formats import date_format

        def when(obj):
            if obj.attempt_time is None:
                return "—"
            return date_format(timezone.localtime(obj.attempt_time), "DATETIME_FORMAT")

        # The records' titles (admin page titles, breadcrumbs, the admin log) in Russian
        # instead of axes' English ("Attempted Access: …"); the tables are untouched.
        AccessAttempt.__str__ = lambda obj: (
            f"Неудачные входы: {obj.username or '—'} с адреса {obj.ip_address or '—'}, "
            f"последний {when(obj)}"
        )
        AccessLog.__str__ = lambda obj: f"Вход: {obj.username or '—'}, {when(obj)}"
        AccessFailureLog.__str__ = lambda obj: (
            f"Неудачный вход: {obj.username or '—'} с адреса {obj.ip_address or '—'}, {when(obj)}"
        )
