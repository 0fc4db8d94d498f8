"""A published version's XLSX leaves its bytea column for the file storage (portal.storage: the
database in 1 MB parts, or S3), like every other file of the portal; downloads stream it.

Not one transaction for all (atomic = False): the versions are copied in batches, each batch
in a transaction of its own, one file in memory at a time, and only versions without a file
are taken, so a migration stopped halfway and run again goes on where it stopped. The bytes
are handed to the storage as they are (byte-identical); the rows, and so the content hash,
are not touched. The old column is dropped once every version has its file; going back
copies the files into it again (the stored files are kept)."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models, transaction

import registry.models.versions

BATCH = 100  # versions per transaction


def copy_to_storage(apps, schema_editor):
    Version = apps.get_model("registry", "RegistryVersion")
    versions = Version.objects.using(schema_editor.connection.alias)
    pending = list(versions.filter(xlsx_file="").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pending), BATCH):
        with transaction.atomic(using=schema_editor.connection.alias):
            for pk in pending[start : start + BATCH]:
                data, published_at = versions.values_list("xlsx", "published_at").get(pk=pk)
                # frozen copy of version_upload_to, by the year of the publication
                name = f"registry/versions/{published_at:%Y}/{uuid.uuid4().hex}.xlsx"
                name = default_storage.save(name, ContentFile(bytes(data), name=name))
                versions.filter(pk=pk).update(xlsx_file=name)


def copy_back(apps, schema_editor):
    Version = apps.get_model("registry", "RegistryVersion")
    versions = Version.objects.using(schema_editor.connection.alias)
    pending = versions.exclude(xlsx_file="").order_by("pk").values_list("pk", "xlsx_file")
    for pk, name in list(pending):
        with default_storage.open(name, "rb") as stream:
            versions.filter(pk=pk).update(xlsx=stream.read())


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("registry", "0022_history_authority_date_index"),
        ("portal", "0004_stored_file_parts"),
        ("dbfiles", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="registryversion",
            name="xlsx_file",
            field=models.FileField(
                blank=True,
                max_length=255,
                upload_to=registry.models.versions.version_upload_to,
                verbose_name="файл XLSX по типовой форме",
            ),
        ),
        migrations.RunPython(copy_to_storage, copy_back),
        # a default, so that going back can add the column to a table with rows
        migrations.AlterField(
            model_name="registryversion",
            name="xlsx",
            field=models.BinaryField(default=b"", verbose_name="файл XLSX по типовой форме"),
        ),
        migrations.RemoveField(model_name="registryversion", name="xlsx"),
        migrations.RenameField(model_name="registryversion", old_name="xlsx_file", new_name="xlsx"),
        migrations.AlterField(
            model_name="registryversion",
            name="xlsx",
            field=models.FileField(
                max_length=255,
                upload_to=registry.models.versions.version_upload_to,
                verbose_name="файл XLSX по типовой форме",
            ),
        ),
    ]
