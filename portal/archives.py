"""ZIP archives people upload (DOCX, XLSX, ODT are ZIP archives), read without trusting them.

`zipfile.ZipFile()` parses the whole central directory before anyone can count its entries: a
20 MB archive of 400,000 empty entries costs seconds of CPU and well over 100 MB of memory.
`open_zip` first reads only the end-of-central-directory record (the last 64 KB, the ZIP64 one
too), the way zipfile finds it, and refuses an archive that declares too many entries or a
central directory too big before zipfile reads it; then it opens the archive, counts again what
zipfile really found and compares the declared unpacked sizes with the limits. `read_entry`
reads one small entry with a bound. Every error zipfile and its decompressors raise on a damaged
archive becomes `ArchiveRefused` ("архив поврежден"), never a server error.

Used by portal.documents (evidence files); meant for any other reader of uploaded archives.
"""

from __future__ import annotations

import lzma
import struct
import zipfile
import zlib
from dataclasses import dataclass

MAX_ENTRIES = 2_000  # a DOCX or XLSX of hundreds of pages has a few dozen
MAX_DIRECTORY_BYTES = 1024 * 1024  # 2,000 entries with long names take about 200 KB
MAX_ENTRY_BYTES = 1024 * 1024  # for read_entry: [Content_Types].xml, _rels/.rels, mimetype
# Text in a DOCX compresses about 5-10 times; a bomb compresses thousands of times. The ratio
# is looked at only above 1 MB unpacked: small parts of nothing but markup compress well too.
MAX_RATIO = 200
RATIO_FROM_BYTES = 1024 * 1024

# What zipfile raises reading a damaged or crafted archive: BadZipFile for most damage,
# NotImplementedError for an unknown version or compression method, RuntimeError for an
# encrypted entry, zlib.error and lzma.LZMAError for garbage in compressed data, EOFError for
# compressed data cut short, struct.error for short records, OSError for a bad seek or BZIP2
# data, ValueError (UnicodeDecodeError among them) and OverflowError for impossible offsets
# and names.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    RuntimeError,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    struct.error,
    OSError,
    ValueError,
    OverflowError,
)

DAMAGED = "архив поврежден"
TOO_MANY_ENTRIES = "в архиве слишком много частей"
DIRECTORY_TOO_BIG = "оглавление архива слишком большое"
UNPACKS_TOO_BIG = "архив распаковывается в слишком большой объем"

# The records zipfile reads at the end of an archive (APPNOTE 4.3.14-4.3.16).
END = struct.Struct("<4s4H2LH")  # signature, disk, disk of directory, entries here, entries,
END_SIGNATURE = b"PK\x05\x06"  # directory size, directory offset, comment length
END64_LOCATOR = struct.Struct("<4sLQL")  # signature, disk, offset of the ZIP64 record, disks
END64_LOCATOR_SIGNATURE = b"PK\x06\x07"
END64 = struct.Struct("<4sQ2H2L4Q")  # signature, size, versions, disks, entries here, entries,
END64_SIGNATURE = b"PK\x06\x06"  # directory size, directory offset
MAX_COMMENT = 0xFFFF


class ArchiveRefused(Exception):
    """Why an archive is not read: the message in Russian (lower case), `code` for callers
    that word it their own way ("damaged", "too_many_entries", "directory_too_big",
    "unpacks_too_big")."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def damaged() -> ArchiveRefused:
    return ArchiveRefused(DAMAGED, "damaged")


@dataclass(frozen=True)
class ZipDirectory:
    """What the end of an archive declares about its central directory."""

    entries: int
    size: int
    zip64: bool


def zip_directory(stream) -> ZipDirectory:
    """The end-of-central-directory record of a seekable binary stream, found the way zipfile
    finds it (the last 22 bytes, else the last occurrence of the signature in the last 64 KB;
    a ZIP64 record just before it replaces its numbers). Reads at most about 64 KB."""
    try:
        stream.seek(0, 2)
        file_size = stream.tell()
        if file_size < END.size:
            raise damaged()
        stream.seek(file_size - END.size)
        tail = stream.read(END.size)
        if tail[:4] == END_SIGNATURE and tail[-2:] == b"\x00\x00":
            tail_start, at = file_size - END.size, 0
        else:
            tail_start = max(file_size - MAX_COMMENT - END.size, 0)
            stream.seek(tail_start)
            tail = stream.read(MAX_COMMENT + END.size)
            at = tail.rfind(END_SIGNATURE)
            if at < 0 or len(tail) - at < END.size:
                raise damaged()
        end = END.unpack_from(tail, at)
        entries, size = max(end[3], end[4]), end[5]
        end_offset = tail_start + at
        zip64 = False
        if end_offset >= END64_LOCATOR.size + END64.size:
            stream.seek(end_offset - END64_LOCATOR.size - END64.size)
            records = stream.read(END64.size + END64_LOCATOR.size)
            locator = END64_LOCATOR.unpack_from(records, END64.size)
            if locator[0] == END64_LOCATOR_SIGNATURE:
                record = END64.unpack_from(records, 0)
                if record[0] == END64_SIGNATURE:
                    entries, size, zip64 = max(record[6], record[7]), record[8], True
    except ZIP_ERRORS:
        raise damaged() from None
    return ZipDirectory(entries=entries, size=size, zip64=zip64)


def check_zip_directory(
    stream, *, max_entries: int = MAX_ENTRIES, max_directory_bytes: int = MAX_DIRECTORY_BYTES
) -> ZipDirectory:
    """The declared directory, or ArchiveRefused if it is over the limits, without building
    a ZipFile."""
    directory = zip_directory(stream)
    if directory.entries > max_entries:
        raise ArchiveRefused(TOO_MANY_ENTRIES, "too_many_entries")
    if directory.size > max_directory_bytes:
        raise ArchiveRefused(DIRECTORY_TOO_BIG, "directory_too_big")
    return directory


def open_zip(
    stream,
    *,
    max_entries: int = MAX_ENTRIES,
    max_directory_bytes: int = MAX_DIRECTORY_BYTES,
    max_unpacked_bytes: int | None = None,
    max_ratio: int = MAX_RATIO,
) -> zipfile.ZipFile:
    """The archive, opened for reading after check_zip_directory; with max_unpacked_bytes,
    also refused if its entries declare more than that unpacked, or (above 1 MB) more than
    max_ratio times their packed size. Close it (or use it in a `with`)."""
    check_zip_directory(stream, max_entries=max_entries, max_directory_bytes=max_directory_bytes)
    try:
        stream.seek(0)
        archive = zipfile.ZipFile(stream)
    except ZIP_ERRORS:
        raise damaged() from None
    try:
        entries = archive.infolist()
        if len(entries) > max_entries:  # the count in the end record may lie
            raise ArchiveRefused(TOO_MANY_ENTRIES, "too_many_entries")
        if max_unpacked_bytes is not None:
            unpacked = sum(e.file_size for e in entries)
            packed = sum(e.compress_size for e in entries)
            if unpacked > max_unpacked_bytes or (
                unpacked > RATIO_FROM_BYTES and unpacked > max_ratio * max(packed, 1)
            ):
                raise ArchiveRefused(UNPACKS_TOO_BIG, "unpacks_too_big")
    except BaseException:
        archive.close()
        raise
    return archive


def read_entry(archive: zipfile.ZipFile, name: str, *, limit: int = MAX_ENTRY_BYTES) -> bytes:
    """One entry's bytes, at most `limit` of them (whatever its header declares), or
    ArchiveRefused as damaged if it is bigger, encrypted or unreadable."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise damaged() from None
    if info.file_size > limit or info.flag_bits & 0x1:  # too big, or encrypted
        raise damaged()
    try:
        with archive.open(info) as entry:
            data = entry.read(limit + 1)
    except ZIP_ERRORS:
        raise damaged() from None
    if len(data) > limit:
        raise damaged()
    return data
