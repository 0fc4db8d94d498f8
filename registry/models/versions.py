"""Published versions of an authority's registry: frozen, numbered, never changed."""

from django.conf import settings
from django.db import models

from .organizations import Organization


class RegistryVersion(models.Model):
    authority = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="registry_versions",
        verbose_name="орган власти",
    )
    number = models.PositiveIntegerField("номер версии")
    published_at = models.DateTimeField("опубликована")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="опубликовал",
    )
    # The rows as the published form shows them: [{"identifier", "values": [14 texts]}].
    rows = models.JSONField("строки реестра")
    row_count = models.PositiveIntegerField("строк")
    xlsx = models.BinaryField("файл XLSX по типовой форме")
    edition_level = models.CharField(max_length=20)

    class Meta:
        verbose_name = "опубликованная версия реестра"
        verbose_name_plural = "опубликованные версии реестра"
        ordering = ["authority", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.authority} — версия {self.number} от {self.published_at:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Опубликованная версия реестра не изменяется.")
        super().save(*args, **kwargs)
