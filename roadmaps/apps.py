from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    """Roadmaps (планы мероприятий): plans, their items, legal acts and evidence."""

    name = "roadmaps"
    verbose_name = "Дорожные карты"
