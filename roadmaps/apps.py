from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    """Roadmaps (планы мероприятий): plans, their items, legal acts and evidence."""

    name = "roadmaps"
    verbose_name = "Дорожные карты"

    def ready(self):
        from registry.services.tasks import TASK_SOURCES
        from roadmaps.services.tasks import roadmap_tasks

        if roadmap_tasks not in TASK_SOURCES:
            TASK_SOURCES.append(roadmap_tasks)
