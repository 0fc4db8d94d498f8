"""Evidence files saved under MEDIA_ROOT before 0006 are copied into the configured storage
(the database by default), under the same name; nothing is deleted from MEDIA_ROOT.

Not one transaction for all (atomic = False): the records are read with a cursor, each is
copied and updated in a transaction of its own, and the file is handed to the storage as an
open file, never read whole here (S3 streams it; the database storage reads it to write the
row). Only records without a type are taken, so a migration stopped halfway and run
again goes on where it stopped. A record whose file is found nowhere keeps its empty type (its
link answers 404); a file over EVIDENCE_MAX_BYTES × 5 is left where it is and named in the
output.

The type comes from a frozen copy of the simplest checks (PDF, PNG, JPEG by their first bytes,
with the matching extension), not from portal.documents, which may change after this migration
is written. Every other file, a legacy DOCX as well, is recorded as application/octet-stream:
it is served only as a download named "….bin" (Evidence.download_name)."""

from pathlib import PurePath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import migrations, transaction

OCTET_STREAM = "application/octet-stream"
FROZEN_MAGIC = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)


def frozen_content_type(head: bytes, name: str) -> str:
    extension = PurePath(name).suffix.lower()
    for magic, content_type, extensions in FROZEN_MAGIC:
        if head.startswith(magic) and extension in extensions:
            return content_type
    return OCTET_STREAM


def copy_legacy_files(apps, schema_editor):
    Evidence = apps.get_model("roadmaps", "Evidence")
    alias = schema_editor.connection.alias
    legacy = FileSystemStorage(location=settings.MEDIA_ROOT)
    cap = settings.EVIDENCE_MAX_BYTES * 5
    pending = (
        Evidence.objects.using(alias)
        .exclude(file="")
        .filter(content_type="")
        .order_by("pk")
        .values_list("pk", "file", "file_name")
    )
    for pk, name, file_name in pending.iterator(chunk_size=200):
        in_storage = default_storage.exists(name)
        source = default_storage if in_storage else legacy
        if not in_storage and not legacy.exists(name):
            continue
        size = source.size(name)
        if size > cap:
            print(f"\n  Evidence {pk}: {name} ({size} bytes, over {cap}) is not copied", end="")
            continue
        shown_name = file_name or PurePath(name).name
        with transaction.atomic(using=alias):
            with source.open(name, "rb") as handle:
                content_type = frozen_content_type(handle.read(16), shown_name)
                if not in_storage:
                    handle.seek(0)
                    name = default_storage.save(name, File(handle, name=name))
            Evidence.objects.using(alias).filter(pk=pk).update(
                file=name, file_name=shown_name, content_type=content_type, file_size=size
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("roadmaps", "0007_roadmap_item_version"),
        ("dbfiles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_legacy_files, migrations.RunPython.noop),
    ]
