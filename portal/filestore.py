"""The database storage (DJANGO_FILE_STORAGE=database, the default): django-dbfiles' DBStorage,
with a large file kept in parts.

DBStorage reads a whole upload into memory to save it and a whole file to open it: a million-
row export (over 100 MB) would cost a task worker and then a web worker several times that.
A file up to FILE_PART_BYTES (1 MB) stays one dbfiles row, as before; a larger one gets a
dbfiles row with its name and size and no bytes, the bytes in StoredFilePart rows written and
read a part at a time, so memory holds about one part.
"""

from __future__ import annotations

import io

from dbfiles.models import DBFile
from dbfiles.storage import DBStorage
from django.core.files import File
from django.db import transaction

from portal.models import StoredFilePart

FILE_PART_BYTES = 1024 * 1024  # psycopg sends a part as hex: a few MB in flight


class PartReader(io.RawIOBase):
    """A stored file's parts as one seekable binary stream, read a part at a time."""

    def __init__(self, name: str, size: int, part_bytes: int = FILE_PART_BYTES):
        self.name, self.size, self.part_bytes = name, size, part_bytes
        self.position = 0
        self._part: tuple[int, bytes] = (-1, b"")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer) -> int:
        if self.position >= self.size:
            return 0
        number, start = divmod(self.position, self.part_bytes)
        if self._part[0] != number:
            data = StoredFilePart.objects.values_list("data", flat=True).get(
                name=self.name, number=number
            )
            self._part = (number, bytes(data))
        piece = self._part[1][start : start + len(buffer)]
        buffer[: len(piece)] = piece
        self.position += len(piece)
        return len(piece)


class DatabaseStorage(DBStorage):
    def _save(self, name, content):
        if content.size <= FILE_PART_BYTES:
            return super()._save(name, content)
        name = self.get_available_name(name, max_length=255)
        with transaction.atomic():
            record = DBFile.objects.create(name=name, content=b"")
            size = 0
            for number, data in enumerate(content.chunks(FILE_PART_BYTES)):
                StoredFilePart.objects.create(name=name, number=number, data=data)
                size += len(data)
            DBFile.objects.filter(pk=record.pk).update(size=size)
        return name

    def _open(self, name, mode="rb"):
        record = DBFile.objects.only("size").get(name=name)
        if not StoredFilePart.objects.filter(name=name, number=0).exists():
            return super()._open(name, mode)
        reader = PartReader(name, record.size, FILE_PART_BYTES)
        stream = io.BufferedReader(reader, buffer_size=256 * 1024)
        return File(stream, name=name)

    def delete(self, name):
        with transaction.atomic():
            StoredFilePart.objects.filter(name=name).delete()
            super().delete(name)
