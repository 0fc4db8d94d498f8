"""An uploaded registry spreadsheet and its preview, kept in the database so that the confirm
request may reach any gunicorn worker."""

from django.conf import settings
from django.db import models

from .organizations import Organization


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", "предпросмотр"
    APPLIED = "applied", "применен"
    PROPOSED = "proposed", "направлен в предложение"
    CANCELLED = "cancelled", "отменен"


class ImportBatch(models.Model):
    authority = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="орган власти"
    )
    default_unit = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="подразделение для новых строк",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="загрузил",
    )
    created_at = models.DateTimeField("загружен", auto_now_add=True)
    file_name = models.CharField("имя файла", max_length=255)
    file_size = models.PositiveIntegerField("размер, байт")
    file_data = models.BinaryField("файл")
    status = models.CharField(
        "состояние", max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    # The file as read (rows by column), so that the confirm need not read the file again.
    sheet = models.JSONField("прочитанные строки", default=dict, blank=True)
    report = models.JSONField("предпросмотр", default=dict)
    fingerprint = models.CharField(max_length=64, blank=True)
    applied_at = models.DateTimeField("применен", null=True, blank=True)

    class Meta:
        verbose_name = "загрузка реестра из файла"
        verbose_name_plural = "загрузки реестра из файлов"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d.%m.%Y %H:%M})"
