"""The documents that show a measure is done."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from portal import documents
from portal.documents import BY_CONTENT_TYPE, size_text
from portal.fields import reference, user_field
from portal.scoping import VIEW, RestrictedQuerySet, Scope

from .items import RoadmapItem
from .plans import PLAN_READ


def evidence_upload_to(instance, filename: str) -> str:
    """A fresh name in the storage (the name as uploaded is kept in `file_name`): no two
    files share one and nothing of the uploader's name reaches the storage."""
    return documents.fresh_storage_name("roadmaps/evidence", instance.file_name or filename)


class Evidence(models.Model):
    """A document that shows a measure is done: its type, number and date, a link or a file.
    A file is kept with its name as uploaded and the type its content showed
    (portal.documents); it is served only by the evidence file view."""

    item = reference(RoadmapItem, "мероприятие", related_name="evidence")
    document_type = models.TextField("вид документа")
    number = models.CharField("номер", max_length=100, blank=True)
    date = models.DateField("дата", null=True, blank=True)
    title = models.TextField("реквизиты / наименование", blank=True)
    url = models.URLField("ссылка", max_length=500, blank=True)
    file = models.FileField("файл", upload_to=evidence_upload_to, max_length=255, blank=True)
    file_name = models.CharField("имя файла", max_length=255, blank=True)
    content_type = models.CharField("тип файла по содержимому", max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField("размер файла, байт", null=True, blank=True)
    added_by = user_field("добавил")
    added_at = models.DateTimeField("добавлен", default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(owner="item__roadmap__owner", rules={VIEW: PLAN_READ})

    class Meta:
        verbose_name = "подтверждающий документ"
        verbose_name_plural = "подтверждающие документы"
        ordering = ["item", "added_at"]

    def __str__(self) -> str:
        parts = [self.document_type[:80]]
        if self.date:
            parts.append(f"от {self.date:%d.%m.%Y}")
        if self.number:
            parts.append(f"№ {self.number}")
        return " ".join(parts)

    def clean(self):
        errors = {}
        if not self.document_type.strip():
            errors["document_type"] = "Укажите вид документа."
        if not (self.number.strip() or self.title.strip() or self.url or self.file):
            errors["number"] = "Укажите реквизиты документа (номер и дату), ссылку или файл."
        if errors:
            raise ValidationError(errors)

    @property
    def download_name(self) -> str:
        """The name as uploaded; "….bin" added for a file whose content is not an allowed
        document (files copied by migration 0007), so nothing opens it by its name."""
        name = self.file_name or PurePath(self.file.name).name
        if self.content_type not in BY_CONTENT_TYPE and not name.lower().endswith(".bin"):
            name = name[:251] + ".bin"
        return name

    @property
    def file_label(self) -> str:
        """ "PDF, 1,2 МБ" for the page."""
        kind = BY_CONTENT_TYPE.get(self.content_type)
        parts = [kind.label] if kind else []
        if self.file_size:
            parts.append(size_text(self.file_size))
        return ", ".join(parts)
