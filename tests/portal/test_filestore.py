"""portal.filestore: a file over FILE_PART_BYTES is kept in parts and read back a part at a
time, byte for byte; a small file stays one dbfiles row as before."""

from __future__ import annotations

import io

import pytest
from dbfiles.models import DBFile
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from portal import filestore
from portal.models import StoredFilePart

pytestmark = pytest.mark.django_db

DATA = bytes(range(256)) * 3 + b"tail"  # 772 bytes


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(filestore, "FILE_PART_BYTES", 100)


def test_the_default_storage_is_the_portals():
    assert isinstance(default_storage, filestore.DatabaseStorage)


def test_a_large_file_is_kept_in_parts_and_read_back_whole(small_parts):
    name = default_storage.save("jobs/big.bin", ContentFile(DATA))
    assert StoredFilePart.objects.filter(name=name).count() == 8  # 772 bytes in parts of 100
    assert bytes(DBFile.objects.get(name=name).content) == b""
    assert default_storage.size(name) == len(DATA)
    with default_storage.open(name) as stream:
        assert stream.read() == DATA


def test_a_stored_file_reads_in_pieces_and_seeks(small_parts):
    name = default_storage.save("jobs/big.bin", ContentFile(DATA))
    stream = default_storage.open(name)
    assert stream.read(150) == DATA[:150]  # across a part's end
    stream.seek(-4, io.SEEK_END)
    assert stream.read() == b"tail"
    stream.seek(99)
    assert stream.read(2) == DATA[99:101]
    pieces = []
    stream.seek(0)
    for chunk in stream.chunks(64):
        pieces.append(chunk)
    assert b"".join(pieces) == DATA


def test_deleting_a_file_drops_its_parts(small_parts):
    name = default_storage.save("jobs/big.bin", ContentFile(DATA))
    default_storage.delete(name)
    assert not default_storage.exists(name)
    assert not StoredFilePart.objects.filter(name=name).exists()


def test_a_small_file_stays_one_row(small_parts):
    name = default_storage.save("jobs/small.bin", ContentFile(DATA[:100]))
    assert not StoredFilePart.objects.exists()
    assert bytes(DBFile.objects.get(name=name).content) == DATA[:100]
    assert default_storage.open(name).read() == DATA[:100]
