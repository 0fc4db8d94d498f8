from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig


class PortalConfig(AppConfig):
    default = True  # the module also holds LoginProtectionConfig
    name = "portal"
    verbose_name = "Ядро портала"

    def ready(self):
        from portal import checks  # noqa: F401  (registers the deploy checks)


class LoginProtectionConfig(AxesConfig):
    """django-axes itself (label "axes"), under a Russian name in the admin."""

    default = False
    verbose_name = "Защита входа"
