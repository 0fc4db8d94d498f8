"""Evidence files leave MEDIA_ROOT: the fields of what the content showed (the name as
uploaded, the type, the size) and the storage's name length. The files saved before are copied
into the storage by 0007, outside this migration's transaction."""

from django.db import migrations, models

import roadmaps.models


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0005_one_plan_per_typical_plan"),
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
    ]
