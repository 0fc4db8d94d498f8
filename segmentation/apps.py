from django.apps import AppConfig


class SegmentationConfig(AppConfig):
    """Client segmentation (профили клиентских сегментов): built in a later issue."""

    name = "segmentation"
    verbose_name = "Сегментация клиентов"
