"""Published versions of an authority's registry: frozen, numbered, never changed."""

import uuid

from django.db import models
from django.utils import timezone

from portal.fields import user_field
from portal.scoping import RestrictedQuerySet, Scope

from .catalogue import CatalogueEdition
from .organizations import organization_field


def version_upload_to(instance, filename: str) -> str:
    """A fresh storage name: nothing is overwritten, the download name is built apart."""
    return f"registry/versions/{timezone.now():%Y}/{uuid.uuid4().hex}.xlsx"


class RegistryVersion(models.Model):
    authority = organization_field("орган власти", related_name="registry_versions")
    number = models.PositiveIntegerField("номер версии")
    published_at = models.DateTimeField("опубликована")
    published_by = user_field("опубликовал", optional=False)
    # The rows as the published form shows them: [{"identifier", "values": [14 texts]}].
    rows = models.JSONField("строки реестра")
    row_count = models.PositiveIntegerField("строк")
    # The typical form as published, in the file storage (portal.storage: the database in
    # parts, or S3), streamed to a download; the bytes never change once written.
    xlsx = models.FileField(
        "файл XLSX по типовой форме", upload_to=version_upload_to, max_length=255
    )
    edition_level = models.CharField(max_length=20)
    # SHA-256 of the frozen rows and that of the version before (empty for the first): a
    # version repeating the one before it is refused by the database too, and two racing
    # publications of one change would both take the same number (unique_version_number).
    # Not unique per authority: a registry changed back to an earlier content is published.
    content_hash = models.CharField("отпечаток содержания", max_length=64)
    previous_hash = models.CharField(max_length=64, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(owner="authority")

    class Meta:
        verbose_name = "опубликованная версия реестра"
        verbose_name_plural = "опубликованные версии реестра"
        ordering = ["authority", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="unique_version_number"),
            models.CheckConstraint(
                condition=~models.Q(content_hash=models.F("previous_hash")),
                name="version_differs_from_previous",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority} — версия {self.number} от {self.published_at:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Опубликованная версия реестра не изменяется.")
        super().save(*args, **kwargs)

    @property
    def edition(self) -> CatalogueEdition:
        """The catalogue edition the version was published in: its headers stay the version's
        when the authority's level (and so its edition) changes later."""
        return CatalogueEdition.objects.get(level=self.edition_level)
