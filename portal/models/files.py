"""Parts of a large file kept in the database storage (portal.filestore.DatabaseStorage)."""

from __future__ import annotations

from django.db import models


class StoredFilePart(models.Model):
    """One part (at most FILE_PART_BYTES) of a file whose dbfiles row holds no bytes itself:
    a million-row export is written and read a part at a time, never whole in memory."""

    name = models.CharField("файл", max_length=255)
    number = models.PositiveIntegerField("номер части")
    data = models.BinaryField("данные")

    class Meta:
        verbose_name = "часть файла"
        verbose_name_plural = "части файлов"
        constraints = [
            models.UniqueConstraint(fields=["name", "number"], name="stored_file_part_unique")
        ]

    def __str__(self):
        return f"{self.name} ({self.number})"
