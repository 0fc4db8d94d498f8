"""Evidence files leave MEDIA_ROOT: the fields of what the content showed, and the files
saved there before copied into the configured storage (the database by default).

Copies are made only of files the storage does not have yet, under the same name; nothing is
deleted from MEDIA_ROOT. A file whose content is not an allowed document keeps its record and
is served as application/octet-stream (always a download); a file found nowhere keeps its
record and its link answers 404."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import migrations, models

import roadmaps.models
from portal.documents import check_document


def copy_legacy_files(apps, schema_editor):
    Evidence = apps.get_model("roadmaps", "Evidence")
    legacy = FileSystemStorage(location=settings.MEDIA_ROOT)
    for evidence in Evidence.objects.exclude(file="").filter(content_type=""):
        name = evidence.file.name
        if not default_storage.exists(name):
            if not legacy.exists(name):
                continue
            with legacy.open(name, "rb") as handle:
                data = handle.read()
            name = default_storage.save(name, ContentFile(data))
        else:
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
        try:
            content_type = check_document(ContentFile(data, name=name)).content_type
        except ValidationError:
            content_type = "application/octet-stream"
        evidence.file.name = name
        evidence.file_name = evidence.file_name or PurePath(name).name
        evidence.content_type = content_type
        evidence.file_size = len(data)
        evidence.save(update_fields=["file", "file_name", "content_type", "file_size"])


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0005_one_plan_per_typical_plan"),
        ("dbfiles", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="content_type",
            field=models.CharField(
                blank=True, max_length=100, verbose_name="тип файла по содержимому"
            ),
        ),
        migrations.AddField(
            model_name="evidence",
            name="file_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="имя файла"),
        ),
        migrations.AddField(
            model_name="evidence",
            name="file_size",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="размер файла, байт"
            ),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="file",
            field=models.FileField(
                blank=True,
                max_length=255,
                upload_to=roadmaps.models.evidence_upload_to,
                verbose_name="файл",
            ),
        ),
        migrations.RunPython(copy_legacy_files, migrations.RunPython.noop),
    ]
