"""A published version's XLSX lives in the file storage (portal.storage), not in a bytea column:
written there by the publication, streamed from it by both downloads with the same name and
type, and moved there byte for byte by migration 0023 with the content hash kept."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pytest
from dbfiles.models import DBFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import FileResponse
from django.urls import reverse

from portal import filestore
from portal.downloads import XLSX_CONTENT_TYPE
from portal.models import StoredFilePart
from registry.models import RegistryVersion
from registry.services import publication

pytestmark = pytest.mark.django_db


def stored_bytes(version) -> bytes:
    with version.xlsx.open("rb") as stream:
        return stream.read()


def downloaded(response) -> bytes:
    assert isinstance(response, FileResponse) and response.streaming
    return b"".join(response.streaming_content)


def test_a_publication_writes_its_xlsx_to_the_storage(world):
    version = publication.publish(world.authority, world.officer)
    assert version.xlsx.name.startswith("registry/versions/")
    assert version.xlsx.name.endswith(".xlsx")
    assert default_storage.exists(version.xlsx.name)
    assert stored_bytes(version)[:2] == b"PK"
    columns = [f.column for f in RegistryVersion._meta.concrete_fields]
    assert "xlsx" in columns and "xlsx_file" not in columns  # a name, not the bytes


def test_both_downloads_stream_the_stored_file_with_its_name_and_type(client, world):
    version = publication.publish(world.authority, world.officer)
    stored = stored_bytes(version)
    name = f"Реестр процессов — {world.authority.display_name} — версия 1.xlsx"
    client.force_login(world.officer)
    inside = client.get(reverse("registry:version_xlsx", args=[version.pk]))
    client.logout()
    public = client.get(reverse("public_file", args=[world.authority.pk, 1, "xlsx"]))
    for response in (inside, public):
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        assert response["Content-Disposition"].startswith("attachment")
        assert "filename*=utf-8''" in response["Content-Disposition"]
        assert response["Content-Length"] == str(len(stored))
        assert downloaded(response) == stored
    assert inside["Content-Disposition"] == public["Content-Disposition"]
    assert quote(name) in public["Content-Disposition"]


def test_a_large_version_is_written_and_read_in_parts(client, world, monkeypatch):
    monkeypatch.setattr(filestore, "FILE_PART_BYTES", 1000)
    version = publication.publish(world.authority, world.officer)
    parts = StoredFilePart.objects.filter(name=version.xlsx.name).count()
    assert parts > 1
    assert bytes(DBFile.objects.get(name=version.xlsx.name).content) == b""
    client.logout()
    body = downloaded(client.get(reverse("public_file", args=[world.authority.pk, 1, "xlsx"])))
    assert body[:2] == b"PK" and len(body) == default_storage.size(version.xlsx.name)
    assert len(body) > 1000 * (parts - 1)


def test_a_file_gone_from_the_storage_is_a_russian_404(client, world):
    version = publication.publish(world.authority, world.officer)
    DBFile.objects.filter(name=version.xlsx.name).update(name="elsewhere")
    response = client.get(reverse("public_file", args=[world.authority.pk, 1, "xlsx"]))
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


BEFORE = ("registry", "0022_history_authority_date_index")
AFTER = ("registry", "0023_registry_version_xlsx_in_storage")


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_bytes_unchanged_and_keeps_the_hash(world, monkeypatch):
    """Versions published with the bytea column get their bytes into the storage, one in
    parts, one small; the rows and their content hash are not touched; going back restores
    the column byte for byte."""
    monkeypatch.setattr(filestore, "FILE_PART_BYTES", 1000)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old_apps = executor.loader.project_state([BEFORE]).apps
    OldVersion = old_apps.get_model("registry", "RegistryVersion")
    big, small = b"PK\x03\x04" + bytes(range(256)) * 20, b"PK\x03\x04 small"
    rows = [{"identifier": "1", "values": ["1"] + [""] * 13}]
    made = []
    for number, data in ((1, big), (2, small)):
        made.append(
            OldVersion.objects.create(
                authority_id=world.authority.pk,
                number=number,
                published_at="2025-03-01T10:00:00+03:00",
                published_by_id=world.officer.pk,
                rows=rows,
                row_count=1,
                xlsx=data,
                edition_level="regional",
                content_hash=publication.fingerprint(rows) if number == 1 else "b" * 64,
                previous_hash="" if number == 1 else publication.fingerprint(rows),
            ).pk
        )

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])

    # at AFTER: without the columns later migrations add (0030's catalogue_edition)
    at_after = RegistryVersion.objects.defer("catalogue_edition")
    first, second = (at_after.get(pk=pk) for pk in made)
    assert hashlib.sha256(stored_bytes(first)).digest() == hashlib.sha256(big).digest()
    assert stored_bytes(second) == small
    assert first.xlsx.name.startswith("registry/versions/2025/")
    assert StoredFilePart.objects.filter(name=first.xlsx.name).count() == 6  # 5124 bytes
    assert (first.rows, first.content_hash) == (rows, publication.fingerprint(rows))
    assert second.previous_hash == first.content_hash

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    OldVersion = executor.loader.project_state([BEFORE]).apps.get_model(
        "registry", "RegistryVersion"
    )
    assert [bytes(v.xlsx) for v in OldVersion.objects.order_by("number")] == [big, small]
    assert default_storage.exists(first.xlsx.name)  # nothing stored is deleted going back
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
