from django.apps import AppConfig


class SegmentationConfig(AppConfig):
    """Client segmentation: segment profiles, touchpoints, satisfaction assessments."""

    name = "segmentation"
    verbose_name = "Сегментация клиентов"

    def ready(self):
        from segmentation import navigation

        navigation.register()
