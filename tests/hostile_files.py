"""Spreadsheets built part by part with zipfile, as an attacker (or a broken program) would
write them: no library in between to repair or refuse what it writes."""

from __future__ import annotations

import io
import struct
import zipfile
from xml.sax.saxutils import escape

from portal.spreadsheets.worker import column_letters

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OOXML}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{OOXML}.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
    '<sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def plain_rows(rows: int) -> bytes:
    """A registry-shaped sheet: 14 columns of Cyrillic text, `rows` rows (XlsxWriter)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("Реестр")
    for r in range(rows):
        for c in range(14):
            sheet.write_string(r, c, f"Ячейка {c + 1} строки {r + 1}: текст графы реестра")
    book.close()
    return buffer.getvalue()


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def row_xml(number: int, texts) -> str:
    cells = "".join(
        cell(f"{column_letters(c)}{number}", text) for c, text in enumerate(texts, start=1) if text
    )
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(body: str, prolog: str = "", dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">{dim}'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def shared_strings_xml(strings, prolog: str = "") -> str:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<sst xmlns="{MAIN}" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )


def package(sheet: str | bytes, shared: str | bytes | None = None, **extra) -> bytes:
    """A whole XLSX around one sheet's XML (and a shared strings part)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", shared or shared_strings_xml([]))
        for name, data in extra.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def table(rows, first_row: int = 1) -> bytes:
    """An XLSX of the given rows of texts (inline strings: no length cut by a library)."""
    body = "".join(row_xml(n, texts) for n, texts in enumerate(rows, start=first_row))
    return package(sheet_xml(body))


# --- the hostile classes ----------------------------------------------------------------------

LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def billion_laughs_in_sheet() -> bytes:
    return package(
        sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', LAUGHS)
    )


def billion_laughs_in_shared_strings() -> bytes:
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?>{LAUGHS}<sst xmlns="{MAIN}" count="1" '
        'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    return package(sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared)


def broken_xml() -> bytes:
    return package(
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"'
    )


def corrupt_zip() -> bytes:
    whole = table([["Идентификатор процесса", "Название"]])
    return whole[: len(whole) // 2] + b"\x00" * 200


def honest_zip_bomb() -> bytes:
    """60 MB of spaces inside a sheet: the archive says so, and is refused for it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            block = b" " * (1 << 20)
            for _ in range(60):
                part.write(block)
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def lying_zip_bomb() -> bytes:
    """The same spaces, but the zip headers claim the sheet is 1 000 bytes unpacked."""
    data = bytearray(honest_zip_bomb())
    name = b"xl/worksheets/sheet1.xml"
    # local file header: signature, then the uncompressed size at offset 22
    offset = 0
    while True:
        local = data.find(b"PK\x03\x04", offset)
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + name_length] == name:
            struct.pack_into("<I", data, local + 22, 1000)
            break
        offset = local + 4
    offset = 0
    while True:  # central directory entry: uncompressed size at offset 24
        central = data.find(b"PK\x01\x02", offset)
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == name:
            struct.pack_into("<I", data, central + 24, 1000)
            break
        offset = central + 4
    return bytes(data)


def huge_dimension() -> bytes:
    return package(
        sheet_xml(
            '<row r="1">' + cell("A1", "Идентификатор процесса") + "</row>",
            dimension="A1:XFD1048576",
        )
    )


def far_cell() -> bytes:
    body = (
        '<row r="1">' + cell("A1", "Идентификатор процесса") + "</row>"
        '<row r="1048576">' + cell("XFD1048576", "x") + "</row>"
    )
    return package(sheet_xml(body))


def wide_row(columns: int = 10_000) -> bytes:
    return package(sheet_xml(row_xml(1, ["x"] * columns)))


def huge_cells(size: int = 1_000_000, count: int = 5) -> bytes:
    strings = [chr(0x430 + i) * size for i in range(count)]
    body = (
        '<row r="1">'
        + "".join(f'<c r="{column_letters(i + 1)}1" t="s"><v>{i}</v></c>' for i in range(count))
        + "</row>"
    )
    return package(sheet_xml(body), shared_strings_xml(strings))


def write_many_rows(path, rows: int = 1_000_000) -> None:
    """10⁶ rows streamed into the archive: built once, without holding the sheet in memory."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/sharedStrings.xml", shared_strings_xml(["x"]))
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            batch = []
            for n in range(1, rows + 1):
                batch.append(
                    f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c><c r="B{n}"><v>{n}</v></c></row>'
                )
                if len(batch) == 10_000:
                    part.write("".join(batch).encode())
                    batch = []
            part.write("".join(batch).encode())
            part.write(b"</sheetData></worksheet>")


def password_protected(plain: bytes) -> bytes:
    import msoffcrypto.format.ooxml

    encrypted = io.BytesIO()
    office = msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(plain))
    office.encrypt("пароль", encrypted)
    return encrypted.getvalue()


EMPTY = b""
RENAMED_BINARY = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
HTML_AS_XLS = (
    "<html><head><meta charset='utf-8'></head><body><table><tr><td>Идентификатор процесса</td>"
    "<td>Название</td></tr></table></body></html>"
).encode()


# --- classes found in review: work after the child, zip directories, scan bypasses ----------


def merged_ranges(count: int = 10_000, last_row: int = 9_000) -> bytes:
    """Cells at A1 and A<last_row>, and `count` merged ranges over the whole width."""
    body = (
        '<row r="1">' + cell("A1", "Идентификатор процесса") + "</row>"
        f'<row r="{last_row}">' + cell(f"A{last_row}", "x") + "</row>"
    )
    merges = f'<mergeCells count="{count}">' + f'<mergeCell ref="A1:XFD{last_row}"/>' * count
    sheet = sheet_xml(body).replace("</worksheet>", merges + "</mergeCells></worksheet>")
    return package(sheet)


def many_sheets(count: int = 20, far: str = "BL9000") -> bytes:
    """`count` sheets, each with cells only at A1 and `far`."""
    body = (
        '<row r="1">' + cell("A1", "x") + "</row>"
        f'<row r="{far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">' + cell(far, "x") + "</row>"
    )
    sheets = "".join(
        f'<sheet name="Лист{i}" sheetId="{i}" r:id="rId{i + 10}"/>' for i in range(1, count + 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 10}" Type="{DOC_RELS}/worksheet" '
        f'Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr(
            "xl/workbook.xml",
            WORKBOOK.replace(
                WORKBOOK[WORKBOOK.index("<sheet ") : WORKBOOK.index("</sheets>")], sheets
            ),
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">{rels}'
            "</Relationships>",
        )
        for i in range(1, count + 1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", sheet_xml(body))
    return buffer.getvalue()


def version_25_zip() -> bytes:
    """A valid XLSX whose central directory says "version needed to extract: 25.0"."""
    data = bytearray(table([["a"]]))
    at = data.index(b"PK\x01\x02")
    data[at + 6 : at + 8] = struct.pack("<H", 250)
    return bytes(data)


def huge_directory(entries: int = 3_000) -> bytes:
    """An XLSX with thousands of empty members (the review's was 400 000 in 19.5 MB)."""
    buffer = io.BytesIO(table([["a"]]))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as archive:
        for i in range(entries):
            archive.writestr(f"x/{i}", b"")
    return buffer.getvalue()


def single_quoted_far_cell() -> bytes:
    body = (
        '<row r="1">' + cell("A1", "Идентификатор процесса") + "</row>"
        "<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>"
    )
    return package(sheet_xml(body))


def sheet_elsewhere() -> bytes:
    """The far cell in a sheet part the workbook's relationships place outside xl/worksheets."""
    body = (
        '<row r="1">' + cell("A1", "Идентификатор процесса") + "</row>"
        '<row r="1048576">' + cell("XFD1048576", "x") + "</row>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", CONTENT_TYPES.replace("worksheets/sheet1", "data/s")
        )
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            WORKBOOK_RELS.replace("worksheets/sheet1.xml", "data/s.bin"),
        )
        archive.writestr("xl/data/s.bin", sheet_xml(body))
        archive.writestr("xl/sharedStrings.xml", shared_strings_xml([]))
    return buffer.getvalue()


def ods_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()
