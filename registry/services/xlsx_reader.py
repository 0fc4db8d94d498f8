"""Reading the registry spreadsheets authorities keep today: XLSX or legacy XLS.

python-calamine reads both (about 9x faster than openpyxl's read-only mode here). Before it
sees a byte, the file is checked: size, type, password protection, and for XLSX the unpacked
size of the archive, so that a zip bomb is refused instead of filling the memory.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

import python_calamine
from django.conf import settings

from registry.models import RegistryColumn, normalize_text

HEADER_SEARCH_ROWS = 20
MANDATORY_COLUMNS = (1, 3, 5, 7, 8, 9)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# An encrypted XLSX is an OLE container with these streams instead of a zip archive.
ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message says why, in Russian."""


@dataclass
class SheetRow:
    number: int  # as the spreadsheet numbers it, from 1
    cells: dict[int, str]  # column of the form (1 … 14) -> text


@dataclass
class ParsedSheet:
    sheet_name: str
    header_row: int
    columns: dict[int, int]  # column of the form -> spreadsheet column index (0-based)
    rows: list[SheetRow]


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _check_container(data: bytes) -> None:
    max_bytes = limit("REGISTRY_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
    if not data:
        raise SpreadsheetError("Файл пустой.")
    if len(data) > max_bytes:
        raise SpreadsheetError(
            f"Файл слишком большой: {len(data) / 1024 / 1024:.1f} МБ, "
            f"допускается не более {max_bytes / 1024 / 1024:.0f} МБ."
        )
    if data.startswith(OLE_MAGIC):
        if any(marker in data for marker in ENCRYPTED_MARKERS):
            raise SpreadsheetError(
                "Файл защищен паролем. Снимите пароль в табличном редакторе и загрузите снова."
            )
        return  # legacy XLS
    if not data.startswith(ZIP_MAGIC):
        raise SpreadsheetError(
            "Файл не является электронной таблицей XLSX или XLS. "
            "Сохраните реестр в формате XLSX и загрузите снова."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise SpreadsheetError("Файл XLSX поврежден: архив не читается.") from error
    unpacked = sum(member.file_size for member in members)
    max_unpacked = limit("REGISTRY_IMPORT_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
    if unpacked > max_unpacked or unpacked > 100 * max(len(data), 1) + 10 * 1024 * 1024:
        raise SpreadsheetError(
            "Файл отклонен: в распакованном виде он занимает "
            f"{unpacked / 1024 / 1024:.0f} МБ — так выглядит «zip-бомба», а не реестр."
        )
    if "[Content_Types].xml" not in {member.filename for member in members}:
        raise SpreadsheetError("Файл не является таблицей XLSX (это другой ZIP-архив).")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            value.strftime("%d.%m.%Y %H:%M")
            if value.time() != datetime.min.time()
            else (value.strftime("%d.%m.%Y"))
        )
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def normalize_header(value: str) -> str:
    return normalize_text(value.replace("*", " ")).rstrip(":. ")


def header_matchers() -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Full headers of both editions, and the part before "(" of the long ones."""
    full: dict[str, int] = {}
    prefixes: dict[str, int] = {}
    for number, header in RegistryColumn.objects.values_list("number", "header"):
        full[normalize_header(header)] = number
        if "(" in header:
            prefixes[normalize_header(header.split("(", 1)[0])] = number
    return full, sorted(prefixes.items(), key=lambda item: -len(item[0]))


def match_header(cell: str, full, prefixes) -> int | None:
    text = normalize_header(cell)
    if not text:
        return None
    if text in full:
        return full[text]
    for prefix, number in prefixes:
        if text.startswith(prefix):
            return number
    return None


def _fill_merged(grid: list[list], merged) -> None:
    """A merged cell's value belongs to every cell of the range (e.g. one function over
    several process rows)."""
    for (r0, c0), (r1, c1) in merged or ():
        if r0 >= len(grid):
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, c1 + 1):
                if c < len(row) and row[c] == "":
                    row[c] = value


def _find_header(grid, full, prefixes) -> tuple[int, dict[int, int]] | None:
    best = None
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns: dict[int, int] = {}
        for c, cell in enumerate(row):
            number = match_header(cell, full, prefixes)
            if number is not None and number not in columns:
                columns[number] = c
        if len(columns) >= 4 and (best is None or len(columns) > len(best[1])):
            best = (r, columns)
    return best


def _is_number_row(row, columns) -> bool:
    hits = sum(1 for number, c in columns.items() if c < len(row) and row[c] == str(number))
    return hits >= max(3, len(columns) - 2)


def read_registry_sheet(data: bytes) -> ParsedSheet:
    """The first sheet that has the registry's header, as rows of the form's columns."""
    _check_container(data)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as error:
        raise SpreadsheetError(
            "Файл защищен паролем. Снимите пароль в табличном редакторе и загрузите снова."
        ) from error
    except Exception as error:  # calamine reports broken files with several exception types
        raise SpreadsheetError(f"Файл не читается как электронная таблица: {error}.") from error

    max_rows = limit("REGISTRY_IMPORT_MAX_ROWS", 50_000)
    full, prefixes = header_matchers()
    sheets_with_data = 0
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        if sheet.total_height > max_rows + HEADER_SEARCH_ROWS:
            raise SpreadsheetError(
                f"На листе «{name}» {sheet.total_height} строк, допускается не более {max_rows}."
            )
        grid = [[_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
        if not any(any(cell for cell in row) for row in grid):
            continue
        sheets_with_data += 1
        _fill_merged(grid, sheet.merged_cell_ranges)
        header = _find_header(grid, full, prefixes)
        if header is None:
            continue
        header_index, columns = header
        missing = [n for n in MANDATORY_COLUMNS if n not in columns]
        if missing:
            headers = dict(
                RegistryColumn.objects.filter(edition__level="regional").values_list(
                    "number", "header"
                )
            )
            names = "; ".join(f"{n}. {headers[n]}" for n in missing)
            raise SpreadsheetError(
                f"На листе «{name}» в строке заголовков {header_index + 1} "
                f"нет обязательных граф: {names}."
            )
        rows = []
        for index in range(header_index + 1, len(grid)):
            raw = grid[index]
            cells = {n: (raw[c] if c < len(raw) else "") for n, c in columns.items()}
            if not any(cells.values()):
                continue
            if _is_number_row(raw, columns):
                continue
            if sum(1 for v in cells.values() if match_header(v, full, prefixes)) >= 4:
                continue  # the header repeated after a page break
            if cells.get(1, "").startswith("*") and sum(1 for v in cells.values() if v) == 1:
                continue  # the note "* – графы, обязательные для заполнения"
            rows.append(SheetRow(index + 1, cells))
        if len(rows) > max_rows:
            raise SpreadsheetError(
                f"В файле {len(rows)} строк реестра, допускается не более {max_rows}."
            )
        return ParsedSheet(name, header_index + 1, columns, rows)
    if not sheets_with_data:
        raise SpreadsheetError("Таблица пустая: ни на одном листе нет данных.")
    raise SpreadsheetError(
        f"Не найдена строка заголовков реестра в первых {HEADER_SEARCH_ROWS} строках ни на одном "
        "листе. Ожидаются графы типовой формы: «Идентификатор процесса», «Название функции, "
        "услуги, сервиса», «Регулирующий акт», «Название процесса», «Ответственный за процесс», "
        "«Статус процесса (статус реинжиниринга)»."
    )
