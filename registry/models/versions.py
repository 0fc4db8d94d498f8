"""Published versions of an authority's registry: frozen, numbered, never changed."""

import uuid

from django.db import models
from django.utils import timezone

from portal import documents
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
    # The edition published in (the authority's territory's); empty for versions published
    # before editions belonged to territories: their level's template.
    catalogue_edition = models.ForeignKey(
        CatalogueEdition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="редакция перечня",
    )
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
        when the authority's edition changes later."""
        if self.catalogue_edition_id:
            return self.catalogue_edition
        return (
            CatalogueEdition.objects.filter(level=self.edition_level)
            .order_by("-is_template", "pk")
            .first()
        )


class VersionPlacement(models.Model):
    """Where and when the officer put a version's file on the official website (items 27-28
    of the Procedure). A correction is a new entry: the earlier ones stay as its history."""

    version = models.ForeignKey(
        RegistryVersion,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name="версия реестра",
    )
    url = models.URLField("адрес страницы на официальном сайте", max_length=500)
    placed_on = models.DateField("дата размещения")
    recorded_at = models.DateTimeField("записано", default=timezone.now)
    recorded_by = user_field("записал", optional=False)

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(owner="version__authority")

    class Meta:
        verbose_name = "размещение версии реестра на официальном сайте"
        verbose_name_plural = "размещения версий реестра на официальном сайте"
        ordering = ["version", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.url} ({self.placed_on:%d.%m.%Y})"


def act_upload_to(instance, filename: str) -> str:
    """A fresh storage name; the name as uploaded is kept in `file_name`."""
    return documents.fresh_storage_name("registry/acts", instance.file_name or filename)


class VersionApproval(models.Model):
    """The act approving a version of the registry (item 5 of the Procedure: the officer
    forms the registry «для утверждения его в установленном порядке»): its kind, number and
    date, and the document if attached. A correction is a new entry; earlier ones are kept."""

    version = models.ForeignKey(
        RegistryVersion,
        on_delete=models.PROTECT,
        related_name="approvals",
        verbose_name="версия реестра",
    )
    act_kind = models.CharField("вид акта", max_length=200)
    act_number = models.CharField("номер акта", max_length=100)
    act_date = models.DateField("дата акта")
    file = models.FileField("файл акта", upload_to=act_upload_to, max_length=255, blank=True)
    file_name = models.CharField("имя файла", max_length=255, blank=True)
    content_type = models.CharField("тип файла по содержимому", max_length=100, blank=True)
    recorded_at = models.DateTimeField("записано", default=timezone.now)
    recorded_by = user_field("записал", optional=False)

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(owner="version__authority")

    class Meta:
        verbose_name = "акт об утверждении версии реестра"
        verbose_name_plural = "акты об утверждении версий реестра"
        ordering = ["version", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.act_kind} от {self.act_date:%d.%m.%Y} № {self.act_number}"
