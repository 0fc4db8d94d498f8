from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    """Roadmaps (планы мероприятий): plans, their items, legal acts and evidence."""

    name = "roadmaps"
    verbose_name = "Дорожные карты"

    def ready(self):
        from portal import tasks
        from roadmaps import navigation
        from roadmaps.services.tasks import KIND, roadmap_tasks

        tasks.register_kind(KIND, "Мероприятия дорожных карт")
        tasks.register(roadmap_tasks)
        navigation.register()
