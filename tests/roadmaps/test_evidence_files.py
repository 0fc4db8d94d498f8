"""Evidence files (issue 11, items 7 and 10): only PDF, DOCX, XLSX, ODT, JPEG and PNG by
their content and within the size limit, kept in the database storage, served only to those
who may see the measure and only as a sandboxed download."""

from __future__ import annotations

import importlib
import io
import struct
import zipfile
import zlib

import pytest
from dbfiles.models import DBFile
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from portal.storage import storage_from_env
from roadmaps.models import Evidence

ALLOWED = "допустимы PDF, DOCX, XLSX, ODT, JPEG, PNG до 20 МБ"
OOXML_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
OOXML_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1×1, 8-bit grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def zipped(entries: dict[str, bytes | str], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(stored_first, entries.pop(stored_first), zipfile.ZIP_STORED)
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    return zipped(
        {
            "[Content_Types].xml": OOXML_TYPES,
            "_rels/.rels": OOXML_RELS,
            "word/document.xml": "<w:document/>",
        }
    )


def xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "Исполнено"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def odt() -> bytes:
    return zipped(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": "<office:document-content/>",
            "META-INF/manifest.xml": "<manifest:manifest/>",
        },
        stored_first="mimetype",
    )


def zip_bomb() -> bytes:
    """A valid XLSX package with one more entry, 60 MB of zeros packed about a thousand times:
    under the unpacked-size limit (200 MB), refused by the ratio rule."""
    book = zipfile.ZipFile(io.BytesIO(xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in book.infolist():
            archive.writestr(info.filename, book.read(info))
        with archive.open("xl/media/zeros.bin", "w", force_zip64=True) as entry:
            block = bytes(1024 * 1024)
            for _ in range(60):
                entry.write(block)
    return buffer.getvalue()


def central_headers(data: bytes):
    """(offset, name) of each central directory header."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        yield at, data[at + 46 : at + 46 + length].decode()
        at = data.find(b"PK\x01\x02", at + 46 + length)


def patched(data: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    """The archive with one field of `name`'s central directory header replaced."""
    data = bytearray(data)
    at = next(at for at, entry in central_headers(bytes(data)) if entry == name)
    struct.pack_into(fmt, data, at + offset, value)
    return bytes(data)


def bumped_version() -> bytes:
    """The version needed to extract raised past what zipfile knows (NotImplementedError)."""
    return patched(docx(), "word/document.xml", 6, "<H", 99)


def garbage_in_compressed_data() -> bytes:
    """The deflated [Content_Types].xml (the first entry) overwritten (zlib.error)."""
    data = bytearray(docx())
    start = 30 + len("[Content_Types].xml")
    data[start : start + 8] = b"\xff" * 8
    return bytes(data)


def stored_past_the_end() -> bytes:
    """A stored [Content_Types].xml whose declared packed size runs past the end (EOFError)."""
    data = zipped(
        {
            "[Content_Types].xml": OOXML_TYPES,
            "_rels/.rels": OOXML_RELS,
            "word/document.xml": "<w:document/>",
        },
        stored_first="[Content_Types].xml",
    )
    data = patched(data, "[Content_Types].xml", 20, "<L", len(data) * 2)  # packed
    return patched(data, "[Content_Types].xml", 24, "<L", len(data) * 2)  # unpacked


def with_zip64_end(data: bytes, *, entries: int | None = None) -> bytes:
    """The archive with a ZIP64 end record (as writers of big archives add), declaring
    `entries` entries, the classic end record pointing to it."""
    end = data.rindex(b"PK\x05\x06")
    _, _, _, here, total, size, offset, _ = struct.unpack_from("<4s4H2LH", data, end)
    entries = total if entries is None else entries
    record = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, size, offset
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    classic = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0
    )
    return data[:end] + record + locator + classic


def docx_with(extra: dict[str, bytes | str], *, types: str = OOXML_TYPES, rels: str = OOXML_RELS):
    return zipped(
        {
            "[Content_Types].xml": types,
            "_rels/.rels": rels,
            "word/document.xml": "<w:document/>",
            **extra,
        }
    )


def many_entries(count: int, *, name_length: int = 8) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", OOXML_TYPES)
        archive.writestr("_rels/.rels", OOXML_RELS)
        archive.writestr("word/document.xml", "<w:document/>")
        for number in range(count):
            archive.writestr(f"word/media/{number:0{name_length}}.xml", b"")
    return buffer.getvalue()


MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOTX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def content_types(*overrides: tuple[str, str], default_bin: str = "") -> str:
    parts = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    extra = f'<Default Extension="bin" ContentType="{default_bin}"/>' if default_bin else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>' + extra + parts + "</Types>"
    )


def disguised_docm() -> bytes:
    """A macro-enabled document: its main part (the one _rels/.rels names) of the .docm type,
    its VBA project beside it, and a dummy part of the DOCX type to pass for a DOCX."""
    return docx_with(
        {"word/dummy.xml": "<w:document/>", "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"},
        types=content_types(("/word/document.xml", MACRO_MAIN), ("/word/dummy.xml", DOCX_MAIN)),
    )


def odt_with(extra: dict[str, str]) -> bytes:
    return zipped(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": "<office:document-content/>",
            "META-INF/manifest.xml": "<manifest:manifest/>",
            **extra,
        },
        stored_first="mimetype",
    )


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
)


GOOD = [
    ("Распоряжение № 15-р.pdf", pdf, "application/pdf"),
    ("скан.png", png, "image/png"),
    ("фото.JPG", jpeg, "image/jpeg"),
    ("Отчет.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Сведения.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("Порядок.odt", odt, "application/vnd.oasis.opendocument.text"),
]


def upload(client, item, name: str, data: bytes, **fields):
    return client.post(
        reverse("roadmaps:item_evidence", args=[item.pk]),
        {
            "document_type": item.document_type,
            "number": "15-р",
            "file": SimpleUploadedFile(name, data, content_type="application/octet-stream"),
            **fields,
        },
    )


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.mark.parametrize(("name", "build", "content_type"), GOOD, ids=[g[0] for g in GOOD])
def test_allowed_type_is_accepted_and_downloaded_by_who_sees_the_measure(
    client, world, board, media_root, name, build, content_type
):
    data = build()
    client.force_login(world.officer)
    answer = upload(client, board.overdue, name, data)
    assert answer.status_code == 302
    evidence = board.overdue.evidence.get()
    assert (evidence.file_name, evidence.content_type, evidence.file_size) == (
        name,
        content_type,
        len(data),
    )
    url = reverse("roadmaps:evidence_file", args=[evidence.pk])
    page = client.get(reverse("roadmaps:item_detail", args=[board.overdue.pk])).content.decode()
    assert f'href="{url}"' in page
    plan = client.get(reverse("roadmaps:roadmap_detail", args=[board.appendix.pk]))
    assert f'href="{url}"' in plan.content.decode()

    client.force_login(world.official)  # reads the plan, edits nothing
    answer = client.get(url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == data
    assert answer["Content-Type"] == content_type
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Content-Security-Policy"] == "default-src 'none'; sandbox"
    disposition = answer["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition  # RFC 5987 for the Cyrillic name
    from urllib.parse import quote

    assert quote(name) in disposition
    assert not any(media_root.iterdir())


def test_file_bytes_are_in_the_database_not_on_disk(client, world, board, media_root):
    client.force_login(world.officer)
    upload(client, board.overdue, "report.pdf", pdf())
    evidence = board.overdue.evidence.get()
    stored = DBFile.objects.get(name=evidence.file.name)
    assert bytes(stored.content) == pdf()
    assert evidence.file.name.startswith("roadmaps/evidence/")
    assert "report" not in evidence.file.name  # a fresh name; the uploader's is in file_name
    assert list(media_root.rglob("*")) == []


def test_another_authoritys_user_gets_404_and_anonymous_is_sent_to_login(
    client, world, board, media_root
):
    client.force_login(world.officer)
    upload(client, board.overdue, "report.pdf", pdf())
    url = reverse("roadmaps:evidence_file", args=[board.overdue.evidence.get().pk])
    client.force_login(world.city_officer)
    assert client.get(url).status_code == 404
    client.logout()
    answer = client.get(url)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("login"))


def test_evidence_without_a_file_has_no_download(client, world, board):
    client.force_login(world.officer)
    evidence = board.done.evidence.get()
    assert client.get(reverse("roadmaps:evidence_file", args=[evidence.pk])).status_code == 404


REFUSED = [
    ("big.pdf", lambda: pdf() + bytes(30 * 1024 * 1024), "в файле 30 МБ"),
    ("setup.pdf", lambda: b"MZ\x90\x00\x03" + bytes(200), "не документ ни одного из этих типов"),
    ("page.html", lambda: b"<!DOCTYPE html><script>alert(1)</script>", "не документ"),
    (
        "logo.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "не документ",
    ),
    ("letter.docx", lambda: b"<html><body onload=alert(1)>", "не документ"),
    ("archive.docx", lambda: zipped({"a.txt": "text"}), "ZIP-архив, а не документ"),
    ("empty.pdf", lambda: b"", "файл пустой"),
    ("bomb.xlsx", zip_bomb, "слишком большой объем"),
    ("picture.pdf", png, "по содержимому это PNG, а расширение «.pdf»"),
    ("report.xlsx", docx, "по содержимому это DOCX, а расширение «.xlsx»"),
    ("setup.exe", pdf, "по содержимому это PDF, а расширение «.exe»"),
    ("broken.docx", lambda: b"PK\x03\x04" + bytes(100), "архив поврежден"),
    ("version.docx", bumped_version, "архив поврежден"),
    ("garbage.docx", garbage_in_compressed_data, "архив поврежден"),
    ("cut.docx", stored_past_the_end, "архив поврежден"),
    ("truncated.docx", lambda: docx()[: len(docx()) // 2], "архив поврежден"),
    ("entries.docx", lambda: many_entries(2_001), "в архиве слишком много частей"),
    (
        "zip64.docx",
        lambda: with_zip64_end(docx(), entries=500_000),
        "в архиве слишком много частей",
    ),
    (
        "directory.docx",
        lambda: many_entries(1_500, name_length=700),
        "оглавление архива слишком большое",
    ),
    ("macros.docx", disguised_docm, "в документе есть макросы"),
    (
        "template.docx",  # the part .rels names is a template, whatever else is in the package
        lambda: docx_with(
            {"word/dummy.xml": "<w:document/>"},
            types=content_types(("/word/document.xml", DOTX_MAIN), ("/word/dummy.xml", DOCX_MAIN)),
        ),
        "ZIP-архив, а не документ",
    ),
    (
        "vba.docx",  # a VBA project however it is typed
        lambda: docx_with({"word/vbaProject.bin": b"\xd0\xcf"}),
        "в документе есть макросы",
    ),
    (
        "vba-type.docx",
        lambda: docx_with(
            {},
            types=content_types(
                ("/word/document.xml", DOCX_MAIN),
                default_bin="application/vnd.ms-office.vbaProject",
            ),
        ),
        "в документе есть макросы",
    ),
    (
        "basic.odt",
        lambda: odt_with({"Basic/Standard/Module1.xml": "<script:module/>"}),
        "в документе есть макросы",
    ),
    (
        "script.odt",
        lambda: odt_with({"Scripts/python/run.py": "import os"}),
        "в документе есть макросы",
    ),
    (
        "dtd.docx",
        lambda: docx_with(
            {},
            types=OOXML_TYPES.replace(
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', BILLION_LAUGHS
            ),
        ),
        "в описании частей документа есть DTD",
    ),
    (
        "dtd-rels.docx",
        lambda: docx_with(
            {}, rels=BILLION_LAUGHS.replace("Types", "Relationships") + OOXML_RELS[55:]
        ),
        "в описании частей документа есть DTD",
    ),
    (
        "dtd-utf16.docx",  # not found by looking for "<!DOCTYPE" in the bytes
        lambda: zipped(
            {
                "[Content_Types].xml": (
                    "\ufeff"
                    + BILLION_LAUGHS.replace('"1.0"', '"1.0" encoding="UTF-16"')
                    + OOXML_TYPES[55:]
                ).encode("utf-16-le"),
                "_rels/.rels": OOXML_RELS,
                "word/document.xml": "<w:document/>",
            }
        ),
        "в описании частей документа есть DTD",
    ),
    (
        "no-main.docx",  # _rels/.rels names no office document
        lambda: docx_with({}, rels="<Relationships/>"),
        "ZIP-архив, а не документ",
    ),
]


@pytest.mark.parametrize(("name", "build", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_file_writes_nothing_and_says_why_in_russian(
    client, world, board, media_root, name, build, reason
):
    client.force_login(world.officer)
    before = (Evidence.objects.count(), DBFile.objects.count())
    answer = upload(client, board.overdue, name, build())
    assert answer.status_code == 400
    text = answer.content.decode()
    assert f"Файл «{name}»: {ALLOWED} (" in text
    assert reason in text
    assert (Evidence.objects.count(), DBFile.objects.count()) == before
    assert not any(media_root.iterdir())


def test_declared_unpacked_size_is_refused_even_when_the_ratio_looks_honest(client, world, board):
    """Entries declaring more than EVIDENCE_MAX_UNPACKED_BYTES (200 MB) are refused by the
    declared sizes alone: here 2 MB of noise declare 300 MB, 150 times, under the ratio limit."""
    import random

    noise = random.Random(0).randbytes(2 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", OOXML_TYPES)
        archive.writestr("_rels/.rels", OOXML_RELS)
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/noise.bin", noise)
    data = patched(buffer.getvalue(), "word/media/noise.bin", 24, "<L", 300 * 1024 * 1024)
    client.force_login(world.officer)
    answer = upload(client, board.overdue, "Отчет.docx", data)
    assert answer.status_code == 400
    assert "архив распаковывается в слишком большой объем" in answer.content.decode()


def test_too_many_entries_are_refused_before_zipfile_reads_the_directory(monkeypatch):
    from portal import archives

    built = (many_entries(2_001), with_zip64_end(docx(), entries=2_001))

    def not_here(*args, **kwargs):
        raise AssertionError("zipfile.ZipFile built for an archive refused by its end record")

    monkeypatch.setattr(zipfile, "ZipFile", not_here)
    for archive in built:
        with pytest.raises(archives.ArchiveRefused) as refused:
            archives.open_zip(io.BytesIO(archive))
        assert (refused.value.code, str(refused.value)) == (
            "too_many_entries",
            "в архиве слишком много частей",
        )


def test_entry_count_in_the_end_record_is_not_trusted():
    """An end record that declares 1 entry for a directory of 2,001 is still refused, by
    what zipfile found (the directory's size bounds what that costs)."""
    from portal import archives

    data = bytearray(many_entries(2_001))
    end = data.rindex(b"PK\x05\x06")
    struct.pack_into("<2H", data, end + 8, 1, 1)
    assert archives.zip_directory(io.BytesIO(bytes(data))).entries == 1
    with pytest.raises(archives.ArchiveRefused, match="слишком много частей"):
        archives.open_zip(io.BytesIO(bytes(data)))


def test_entry_limit_and_zip64_end_record_of_an_honest_document(client, world, board):
    from portal import archives

    assert archives.MAX_ENTRIES == 2_000
    directory = archives.check_zip_directory(io.BytesIO(with_zip64_end(many_entries(1_990))))
    assert (directory.entries, directory.zip64) == (1_993, True)
    client.force_login(world.officer)
    answer = upload(client, board.overdue, "Отчет.docx", with_zip64_end(many_entries(1_990)))
    assert answer.status_code == 302


def test_no_single_damaged_byte_or_cut_gives_a_server_error():
    """Every byte of a DOCX and an ODT set to 0xFF in turn, and every cut of them: each is
    either still a document or refused with a reason, never another exception."""
    from django.core.exceptions import ValidationError

    from portal.documents import ALLOWED as ALLOWED_TYPES
    from portal.documents import check_document

    for name, data in (("a.docx", docx()), ("a.odt", odt())):
        variants = [data[:cut] for cut in range(1, len(data))]
        variants += [data[:at] + b"\xff" + data[at + 1 :] for at in range(len(data))]
        for variant in variants:
            try:
                kind = check_document(SimpleUploadedFile(name, variant))
            except ValidationError as refused:
                assert refused.code == "document_type"
            else:
                assert kind in ALLOWED_TYPES


def test_file_is_sniffed_once_per_upload(client, world, board, monkeypatch):
    from portal import documents

    calls = []
    sniff = documents._sniff
    monkeypatch.setattr(documents, "_sniff", lambda *args: calls.append(args) or sniff(*args))
    client.force_login(world.officer)
    assert upload(client, board.overdue, "Отчет.docx", docx()).status_code == 302
    assert len(calls) == 1
    calls.clear()
    answer = upload(client, board.overdue, "macros.docx", disguised_docm())
    assert answer.status_code == 400
    assert "в документе есть макросы" in answer.content.decode()
    assert len(calls) == 1


def test_service_refuses_what_the_form_would(world, board):
    from django.core.exceptions import ValidationError

    from roadmaps.services.items import add_evidence

    with pytest.raises(ValidationError) as refused:
        add_evidence(board.overdue, number="1", file=SimpleUploadedFile("x.html", b"<html></html>"))
    assert f"Файл «x.html»: {ALLOWED}" in refused.value.message_dict["file"][0]
    assert not Evidence.objects.filter(item=board.overdue).exists()


def test_control_characters_leave_the_name_and_the_download_works(client, world, board):
    from roadmaps.services.items import add_evidence

    evidence = add_evidence(
        board.overdue, number="1", file=SimpleUploadedFile("акт\r\nX-Evil: 1.pdf", pdf())
    )
    assert evidence.file_name == "актX-Evil: 1.pdf"
    assert evidence.file.name.endswith(".pdf") and "\n" not in evidence.file.name
    client.force_login(world.officer)
    answer = client.get(reverse("roadmaps:evidence_file", args=[evidence.pk]))
    assert answer.status_code == 200
    assert Evidence.objects.get(pk=evidence.pk).file_name == "актX-Evil: 1.pdf"
    assert answer["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D0%B0%D0%BA%D1%82X-Evil%3A%201.pdf"
    )


def test_limit_is_a_setting(client, world, board, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(world.officer)
    answer = upload(client, board.overdue, "big.pdf", pdf() + bytes(2048))
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Файл «big.pdf»: допустимы PDF, DOCX, XLSX, ODT, JPEG, PNG до 1 КБ (в файле 2 КБ)." in (
        text
    )
    assert not board.overdue.evidence.exists()


def test_declared_unpacked_size_over_the_limit_is_refused(client, world, board, settings):
    settings.EVIDENCE_MAX_UNPACKED_BYTES = 1000
    client.force_login(world.officer)
    answer = upload(client, board.overdue, "Сведения.xlsx", xlsx())
    assert answer.status_code == 400
    assert "слишком большой объем" in answer.content.decode()


def test_form_shows_what_is_allowed(client, world, board):
    client.force_login(world.officer)
    page = client.get(reverse("roadmaps:item_detail", args=[board.overdue.pk])).content.decode()
    assert "Допустимы PDF, DOCX, XLSX, ODT, JPEG, PNG до 20 МБ." in page
    assert 'accept=".pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png"' in page


def copy_legacy_files():
    from types import SimpleNamespace

    from django.db import connection

    migration = importlib.import_module("roadmaps.migrations.0008_copy_legacy_evidence_files")
    migration.copy_legacy_files(apps, SimpleNamespace(connection=connection))


def test_legacy_file_under_media_root_is_copied_into_the_storage(
    transactional_db, client, world, board, media_root, settings, capsys
):
    """Run as `migrate` runs the non-atomic 0008: in autocommit, a cursor open over the records
    while each one is committed in its own transaction."""
    old = media_root / "roadmaps" / "evidence" / "2025"
    old.mkdir(parents=True)
    (old / "act.pdf").write_bytes(pdf())
    (old / "page.html").write_bytes(b"<script>alert(1)</script>")
    (old / "report.docx").write_bytes(docx())
    settings.EVIDENCE_MAX_BYTES = 1024  # the cap: 5 KB
    (old / "scan.pdf").write_bytes(pdf() + bytes(6 * 1024))

    def legacy(name: str) -> Evidence:
        return Evidence.objects.create(
            item=board.overdue, document_type="Распоряжение", file=f"roadmaps/evidence/2025/{name}"
        )

    kept, hostile, report, lost, big = (
        legacy(name) for name in ("act.pdf", "page.html", "report.docx", "lost.pdf", "scan.pdf")
    )
    from django.db import connection

    assert connection.get_autocommit()
    copy_legacy_files()

    kept.refresh_from_db()
    assert (kept.file_name, kept.content_type, kept.file_size) == (
        "act.pdf",
        "application/pdf",
        len(pdf()),
    )
    assert bytes(DBFile.objects.get(name=kept.file.name).content) == pdf()
    client.force_login(world.officer)
    answer = client.get(reverse("roadmaps:evidence_file", args=[kept.pk]))
    assert b"".join(answer.streaming_content) == pdf()
    assert answer["Content-Disposition"] == 'attachment; filename="act.pdf"'

    for failed, name in ((hostile, "page.html"), (report, "report.docx")):
        failed.refresh_from_db()  # not an allowed document by the migration's own check
        assert (failed.file_name, failed.content_type) == (name, "application/octet-stream")
        answer = client.get(reverse("roadmaps:evidence_file", args=[failed.pk]))
        assert answer["Content-Type"] == "application/octet-stream"
        assert answer["Content-Disposition"] == f'attachment; filename="{name}.bin"'
        assert answer["Content-Security-Policy"] == "default-src 'none'; sandbox"

    lost.refresh_from_db()  # the record stays; its link says the file is gone
    assert lost.content_type == ""
    assert client.get(reverse("roadmaps:evidence_file", args=[lost.pk])).status_code == 404

    big.refresh_from_db()  # over the cap: left in MEDIA_ROOT, named in the output
    assert big.content_type == ""
    assert not DBFile.objects.filter(name=big.file.name).exists()
    assert f"Evidence {big.pk}: roadmaps/evidence/2025/scan.pdf (" in capsys.readouterr().out
    assert (old / "act.pdf").exists()  # nothing deleted from MEDIA_ROOT

    copied = DBFile.objects.count()
    copy_legacy_files()  # run again (after a stop halfway): nothing copied twice
    assert DBFile.objects.count() == copied
    settings.EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
    copy_legacy_files()  # with a bigger limit the file left over is copied
    big.refresh_from_db()
    assert (big.content_type, big.file_size) == ("application/pdf", len(pdf()) + 6 * 1024)


def test_storage_is_the_database_unless_s3_is_configured():
    from storages.backends.s3 import S3Storage

    assert storage_from_env({}) == {"BACKEND": "portal.filestore.DatabaseStorage"}
    s3 = storage_from_env(
        {
            "DJANGO_FILE_STORAGE": "s3",
            "DJANGO_S3_BUCKET": "portal-files",
            "DJANGO_S3_ENDPOINT_URL": "https://storage.example.ru",
            "DJANGO_S3_REGION": "ru-central1",
            "DJANGO_S3_ACCESS_KEY_ID": "key",
            "DJANGO_S3_SECRET_ACCESS_KEY": "secret",
            "DJANGO_S3_PREFIX": "evidence",
        }
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    storage = S3Storage(**s3["OPTIONS"])  # every option is one the backend knows
    assert (storage.bucket_name, storage.endpoint_url, storage.location) == (
        "portal-files",
        "https://storage.example.ru",
        "evidence",
    )
    assert storage.file_overwrite is False


@pytest.mark.parametrize("environ", [{"DJANGO_FILE_STORAGE": "s3"}, {"DJANGO_FILE_STORAGE": "ftp"}])
def test_storage_misconfiguration_is_refused_at_start(environ):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        storage_from_env(environ)


def test_admin_downloads_through_the_view_and_takes_no_file(client, world, board):
    client.force_login(world.officer)
    upload(client, board.overdue, "report.pdf", pdf())
    evidence = board.overdue.evidence.get()
    client.force_login(world.admin)
    page = client.get(reverse("admin:roadmaps_evidence_change", args=[evidence.pk]))
    text = page.content.decode()
    assert reverse("roadmaps:evidence_file", args=[evidence.pk]) in text
    assert 'type="file"' not in text  # files come in through the measure's page only
    item_page = client.get(reverse("admin:roadmaps_roadmapitem_change", args=[board.overdue.pk]))
    assert 'type="file"' not in item_page.content.decode()
    # nobody deletes evidence, and the storage library's own list (with its hard delete) is
    # not in the admin
    delete = client.get(reverse("admin:roadmaps_evidence_delete", args=[evidence.pk]))
    assert delete.status_code == 403
    assert client.get("/admin/dbfiles/dbfile/").status_code == 404


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("dbfiles_import", "сначала навсегда удаляет все файлы хранилища"),
        ("dbfiles_cleanup", "навсегда удаляет из базы данных файлы"),
    ],
)
def test_storage_librarys_deleting_commands_are_refused(client, world, board, command, reason):
    from django.core.management import CommandError, call_command, get_commands

    client.force_login(world.officer)
    upload(client, board.overdue, "report.pdf", pdf())
    stored = DBFile.objects.get()
    DBFile.objects.create(name="roadmaps/evidence/2025/orphan.pdf", content=pdf())
    assert get_commands()[command] == "portal"
    with pytest.raises(CommandError) as refused:
        call_command(command, "--clear")
    assert f"Команда {command} на портале отключена: " in str(refused.value)
    assert reason in str(refused.value)
    assert set(DBFile.objects.values_list("name", flat=True)) == {
        stored.name,
        "roadmaps/evidence/2025/orphan.pdf",
    }
