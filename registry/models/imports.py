"""An uploaded registry spreadsheet and its preview, kept in the database so that the confirm
request may reach any gunicorn worker.

Only a preview waiting for its confirm keeps a payload (the rows as read; the file's bytes
are never needed again, so they are not kept). A refused file (unreadable, or with errors) is
not kept at all: its report is shown on the upload page. An applied, cancelled or expired one
keeps its report and metadata; `purge_uploads` (cron) expires previews after
UPLOAD_RETENTION_DAYS. The row itself stays, as a record."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from portal.fields import user_field
from portal.scoping import ADMINISTRATOR, OFFICER, OFFICIAL, VIEW, Reach, RestrictedQuerySet, Scope

from ..choices import ImportStatus
from .organizations import organization_field


def retention() -> timedelta:
    return timedelta(days=settings.UPLOAD_RETENTION_DAYS)


class JSONArrayLength(models.Func):
    """The length of a JSON array, counted by the database (SQLite's name; PostgreSQL's is
    jsonb_array_length): a preview of 20 000 rows is not sent over to be counted."""

    function = "json_array_length"
    output_field = models.IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra)


class ImportBatchQuerySet(RestrictedQuerySet):
    def with_rows_in_file(self):
        """`rows_in_file`: the rows of the stored preview (0 when it has none)."""
        rows = models.functions.Coalesce(
            JSONArrayLength(KeyTransform("rows", "report")), models.Value(0)
        )
        return self.annotate(rows_in_file=rows)

    def in_flight(self):
        """Previews that may still be confirmed."""
        return self.filter(
            status=ImportStatus.PREVIEW, created_at__gte=timezone.now() - retention()
        )


class ImportBatch(models.Model):
    authority = organization_field("орган власти")
    default_unit = organization_field("подразделение для новых строк", null=True, blank=True)
    uploaded_by = user_field("загрузил", optional=False)
    created_at = models.DateTimeField("загружен", auto_now_add=True)
    file_name = models.CharField("имя файла", max_length=255)
    file_size = models.PositiveIntegerField("размер, байт")
    file_sha256 = models.CharField("контрольная сумма файла", max_length=64, blank=True)
    # Uploads before the purge kept the file here; new ones leave it empty.
    file_data = models.BinaryField("файл", blank=True, default=b"")
    status = models.CharField(
        "состояние", max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    # The file as read (rows by column), so that the confirm need not read the file again.
    sheet = models.JSONField("прочитанные строки", default=dict, blank=True)
    report = models.JSONField("предпросмотр", default=dict)
    fingerprint = models.CharField(max_length=64, blank=True)
    applied_at = models.DateTimeField("применен", null=True, blank=True)
    purged_at = models.DateTimeField("данные файла удалены", null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    # An upload is seen by who uploaded it, the authority's officer and administrators.
    scoping = Scope(
        owner="authority",
        author="uploaded_by",
        rules={VIEW: {ADMINISTRATOR: Reach.ALL, OFFICER: Reach.AUTHORITY, OFFICIAL: Reach.OWN}},
    )

    class Meta:
        verbose_name = "загрузка реестра из файла"
        verbose_name_plural = "загрузки реестра из файлов"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d.%m.%Y %H:%M})"

    @property
    def expired(self) -> bool:
        return self.status == ImportStatus.EXPIRED or (
            self.status == ImportStatus.PREVIEW and self.created_at < timezone.now() - retention()
        )

    def purge(self, status: str | None = None, *, created_before=None) -> bool:
        """Clears the payload (the rows as read, a file kept by an older upload, the values of
        the report's rows); the record, its counts, errors and fingerprint stay.

        With `status` the batch leaves PREVIEW for it, by a conditional UPDATE (and only if it
        was created before `created_before`): a confirm committed meanwhile is not overwritten.
        Whether the row was updated."""
        fields = {
            "sheet": {},
            "file_data": b"",
            "purged_at": timezone.now(),
            "report": purged_report(self.report),
        }
        batches = ImportBatch.objects.filter(pk=self.pk)
        if status:
            fields["status"] = status
            batches = batches.filter(status=ImportStatus.PREVIEW)
        if created_before is not None:
            batches = batches.filter(created_at__lt=created_before)
        updated = batches.update(**fields)
        if updated:
            for name, value in fields.items():
                setattr(self, name, value)
        return bool(updated)


def purged_report(report: dict) -> dict:
    """The report without the file's content: each row's values (every cell as read) go; its
    number, identifier, action, errors, warnings and changed columns stay."""
    if not isinstance(report, dict) or "rows" not in report:
        return report
    return {**report, "rows": [{**row, "values": {}} for row in report["rows"]]}
