from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    """Roadmaps (планы мероприятий): built in a later issue."""

    name = "roadmaps"
    verbose_name = "Дорожные карты"
