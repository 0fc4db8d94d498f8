"""Documents people attach (evidence of a measure): the types allowed, recognised by their
content rather than by their name, and a Russian refusal naming the field and what is allowed.

PDF, JPEG and PNG are recognised by their first bytes. DOCX, XLSX and ODT are ZIP archives,
opened by portal.archives (its end record checked before zipfile reads the directory, zip bombs
and damaged archives refused) and never extracted; only small entries are read. An OOXML
package's main part is the one `_rels/.rels` names as the office document, and its type in
`[Content_Types].xml` must be a DOCX or XLSX one; an ODF package says what it is in `mimetype`.
Macros are refused: a VBA project (part or content type) in OOXML, Basic or scripts in ODF.
Those XML files are read with any DTD refused."""

from __future__ import annotations

import posixpath
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import unquote
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal import archives


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
# The main part is the one `_rels/.rels` names as the office document (transitional, strict).
OFFICE_DOCUMENT = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
}
# Macros: a VBA project in an OOXML package (its part, or a content type of one: .docm, .xlsm,
# .dotm and the like), Basic or script libraries in an ODF package.
MACROS = "в документе есть макросы"
MACRO_TYPE = re.compile(r"macroEnabled|vbaProject", re.IGNORECASE)
VBA_PROJECT = re.compile(r"(^|/)vbaProject\.bin$", re.IGNORECASE)
ODF_SCRIPTS = re.compile(r"(Basic|Scripts)/", re.IGNORECASE)
MAX_ENTRIES = archives.MAX_ENTRIES
MAX_RATIO = archives.MAX_RATIO


class Refused(Exception):
    """Why the content is not an allowed document (Russian, lower case)."""


def size_text(size: int) -> str:
    """ "20 МБ", "1,5 МБ", "12 КБ"."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0") + " МБ"
    return f"{max(round(size / 1024), 1)} КБ"


def allowed_text() -> str:
    """ "допустимы PDF, … до 20 МБ": the part of a refusal that says what is allowed."""
    labels = ", ".join(t.label for t in ALLOWED)
    return f"допустимы {labels} до {size_text(settings.EVIDENCE_MAX_BYTES)}"


def allowed_sentence() -> str:
    """ "Допустимы PDF, … до 20 МБ.": the help text of every document's file field."""
    allowed = allowed_text()
    return f"{allowed[0].upper()}{allowed[1:]}."


def clean_name(name: str) -> str:
    """The name as uploaded, without folders and control characters (a line break would
    break the download's header), at most 255 characters."""
    name = "".join(ch for ch in PurePath(name or "").name if unicodedata.category(ch)[0] != "C")
    name = name.strip() or "файл"
    if len(name) > 255:
        suffix = PurePath(name).suffix[:10]
        name = name[: 255 - len(suffix)] + suffix
    return name


def fresh_storage_name(folder: str, name: str) -> str:
    """A new name in the storage under `folder/<year>/` for an attached document: no two
    files share one and nothing of the uploader's name reaches the storage but its
    extension (the name as uploaded is kept on the record)."""
    extension = re.sub(r"[^a-z0-9.]", "", PurePath(name).suffix.lower())[:10]
    return f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


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
        with archives.open_zip(
            upload,
            max_entries=MAX_ENTRIES,
            max_unpacked_bytes=settings.EVIDENCE_MAX_UNPACKED_BYTES,
            max_ratio=MAX_RATIO,
        ) as archive:
            names = set(archive.namelist())
            if any(VBA_PROJECT.search(name) for name in names):
                raise Refused(MACROS)
            if "mimetype" in names:
                kind = ODF_MIMETYPE.get(archives.read_entry(archive, "mimetype").strip())
                if kind is not None and "content.xml" in names:
                    if any(ODF_SCRIPTS.match(name) for name in names):
                        raise Refused(MACROS)
                    return kind
            elif "[Content_Types].xml" in names:
                kind = _ooxml_main(archive, names)
                if kind is not None:
                    return kind
    except archives.ArchiveRefused as refused:
        raise Refused(str(refused)) from None
    raise Refused("это ZIP-архив, а не документ DOCX, XLSX или ODT")


class _DTDFound(Exception):
    pass


def _refuse_dtd(*args):
    raise _DTDFound


def _xml_children(data: bytes) -> list[tuple[str, dict[str, str]]] | None:
    """The local names and attributes of the root's children, or None if this is not XML.
    Parsed by expat with any DTD refused (whatever the encoding), so no entity is expanded."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    children: list[tuple[str, dict[str, str]]] = []
    depth = 0

    def start(name, attributes):
        nonlocal depth
        if depth == 1:
            children.append((name.rpartition("}")[2], attributes))
        depth += 1

    def end(name):
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _DTDFound:
        raise Refused("в описании частей документа есть DTD") from None
    except (expat.ExpatError, ValueError):
        return None
    return children


def _part(name: str) -> str:
    """A part name (percent-decoded) or an entry's name as a key: without the leading slash,
    in lower case (OPC part names are compared case-insensitively)."""
    return name.lstrip("/").lower()


def _ooxml_main(archive: zipfile.ZipFile, names: set[str]) -> DocumentType | None:
    """The document type of the package's main part: the part `_rels/.rels` names as the
    office document, which must be in the archive and have one of the allowed types."""
    types = _xml_children(archives.read_entry(archive, "[Content_Types].xml"))
    if types is None or "_rels/.rels" not in names:
        return None
    defaults, overrides = {}, {}
    for tag, attributes in types:
        content_type = attributes.get("ContentType", "")
        if MACRO_TYPE.search(content_type):
            raise Refused(MACROS)
        if tag == "Default":
            defaults[attributes.get("Extension", "").lower()] = content_type
        elif tag == "Override":
            overrides[_part(unquote(attributes.get("PartName", "")))] = content_type
    relationships = _xml_children(archives.read_entry(archive, "_rels/.rels"))
    if relationships is None:
        return None
    targets = [
        attributes
        for tag, attributes in relationships
        if tag == "Relationship" and attributes.get("Type") in OFFICE_DOCUMENT
    ]
    if len(targets) != 1 or targets[0].get("TargetMode", "Internal") != "Internal":
        return None
    main = _part(posixpath.normpath("/" + unquote(targets[0].get("Target", ""))))
    if not main or main not in {_part(name) for name in names}:
        return None
    content_type = overrides.get(main, defaults.get(PurePath(main).suffix.lstrip(".")))
    return OOXML_MAIN.get(content_type or "")
