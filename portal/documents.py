"""Documents people attach (evidence of a measure): the types allowed, recognised by their
content rather than by their name, and a Russian refusal naming the field and what is allowed.

PDF, JPEG and PNG are recognised by their first bytes. DOCX, XLSX and ODT are ZIP archives: the
archive's directory is read (never extracted) and only one small entry is opened — the OOXML
`[Content_Types].xml` (the type of the main part) or the ODF `mimetype`. An archive that would
unpack into more than the limit, or holds too many entries, is refused as a zip bomb.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class DocumentType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = DocumentType("PDF", "application/pdf", (".pdf",))
DOCX = DocumentType(
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = DocumentType(
    "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
ODT = DocumentType("ODT", "application/vnd.oasis.opendocument.text", (".odt",))
JPEG = DocumentType("JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = DocumentType("PNG", "image/png", (".png",))
ALLOWED = (PDF, DOCX, XLSX, ODT, JPEG, PNG)
BY_CONTENT_TYPE = {t.content_type: t for t in ALLOWED}
ACCEPT = ",".join(ext for t in ALLOWED for ext in t.extensions)  # for <input accept>

MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
ZIP_MAGIC = b"PK\x03\x04"
# The main part of an OOXML package says what it is; macro-enabled and template variants
# have other types and are refused with everything else.
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
ODF_MIMETYPE = {ODT.content_type.encode(): ODT}
MAX_ENTRIES = 10_000
MAX_SMALL_ENTRY = 1024 * 1024  # [Content_Types].xml, mimetype: a few kilobytes at most
# A DOCX of text compresses about 5-10 times; a bomb compresses thousands of times.
MAX_RATIO = 200


class Refused(Exception):
    """Why the content is not an allowed document (Russian, lower case)."""


def size_text(size: int) -> str:
    """ "20 МБ", "1,5 МБ", "12 КБ"."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0") + " МБ"
    return f"{max(round(size / 1024), 1)} КБ"


def allowed_text() -> str:
    labels = ", ".join(t.label for t in ALLOWED)
    return f"допустимы {labels} до {size_text(settings.EVIDENCE_MAX_BYTES)}"


def clean_name(name: str) -> str:
    """The name as uploaded, without folders and control characters (a line break would
    break the download's header), at most 255 characters."""
    name = "".join(ch for ch in PurePath(name or "").name if unicodedata.category(ch)[0] != "C")
    name = name.strip() or "файл"
    if len(name) > 255:
        suffix = PurePath(name).suffix[:10]
        name = name[: 255 - len(suffix)] + suffix
    return name


def check_document(upload, *, label: str = "Файл") -> DocumentType:
    """The type of an uploaded document by its content, or a ValidationError such as
    "Файл «x.exe»: допустимы PDF, DOCX, XLSX, ODT, JPEG, PNG до 20 МБ (…)"."""
    name = clean_name(getattr(upload, "name", "") or "")
    try:
        kind = _sniff(upload, name)
    except Refused as refused:
        shown = name if len(name) <= 100 else name[:97] + "…"
        raise ValidationError(
            f"{label} «{shown}»: {allowed_text()} ({refused}).", code="document_type"
        ) from None
    return kind


def _sniff(upload, name: str) -> DocumentType:
    size = upload.size
    if not size:
        raise Refused("файл пустой")
    if size > settings.EVIDENCE_MAX_BYTES:
        raise Refused(f"в файле {size_text(size)}")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = next((t for magic, t in MAGIC if head.startswith(magic)), None)
    if kind is None and head.startswith(ZIP_MAGIC):
        kind = _zip_document(upload)
        upload.seek(0)
    if kind is None:
        raise Refused("по содержимому это не документ ни одного из этих типов")
    extension = PurePath(name).suffix.lower()
    if extension not in kind.extensions:
        shown = f"«{extension}»" if extension else "нет"
        raise Refused(f"по содержимому это {kind.label}, а расширение {shown}")
    return kind


def _zip_document(upload) -> DocumentType:
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refused("архив поврежден") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise Refused("в архиве слишком много частей")
        unpacked = sum(e.file_size for e in entries)
        packed = sum(e.compress_size for e in entries)
        if unpacked > settings.EVIDENCE_MAX_UNPACKED_BYTES or (
            unpacked > MAX_SMALL_ENTRY and unpacked > MAX_RATIO * max(packed, 1)
        ):
            raise Refused("архив распаковывается в слишком большой объем")
        names = {e.filename for e in entries}
        if "mimetype" in names:
            kind = ODF_MIMETYPE.get(_small_entry(archive, "mimetype").strip())
            if kind is not None and "content.xml" in names:
                return kind
        elif "[Content_Types].xml" in names:
            kind = _ooxml_main(_small_entry(archive, "[Content_Types].xml"), names)
            if kind is not None:
                return kind
    raise Refused("это ZIP-архив, а не документ DOCX, XLSX или ODT")


def _small_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_SMALL_ENTRY or info.flag_bits & 0x1:  # too big, or encrypted
        raise Refused("архив поврежден")
    try:
        with archive.open(info) as entry:
            data = entry.read(MAX_SMALL_ENTRY + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        raise Refused("архив поврежден") from None
    if len(data) > MAX_SMALL_ENTRY:
        raise Refused("архив поврежден")
    return data


DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _ooxml_main(xml: bytes, names: set[str]) -> DocumentType | None:
    """The document type named by the package's main part, if that part is in the archive."""
    if DTD.search(xml):  # no entity expansion: a content-types file has no DTD
        return None
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return None
    for element in root:
        if element.tag.rpartition("}")[2] != "Override":
            continue
        kind = OOXML_MAIN.get(element.get("ContentType", ""))
        part = element.get("PartName", "").lstrip("/")
        if kind is not None and part in names:
            return kind
    return None
