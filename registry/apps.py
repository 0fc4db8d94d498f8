from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Реестр процессов"

    def ready(self):
        from portal import tasks
        from registry import navigation
        from registry.services.tasks import KINDS, SOURCES

        for kind, heading in KINDS:
            tasks.register_kind(kind, heading)
        tasks.register(*SOURCES)
        navigation.register()
