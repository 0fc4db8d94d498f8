"""Reading the registry spreadsheets authorities keep today: XLSX or legacy XLS.

python-calamine reads both (about 9x faster than openpyxl's read-only mode here). Before it
sees a byte, the file is checked: size, type, password protection, and for XLSX the unpacked
size of the archive, so that a zip bomb is refused instead of filling the memory. The reading
itself runs in a child process with a memory and time limit (sheet_worker.py).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings

from registry.models import RegistryColumn, normalize_text
from registry.services.sheet_worker import SheetLoadError, load_sheets_isolated

HEADER_SEARCH_ROWS = 20
# The form has 14 columns; a sheet much wider than that is not a registry.
MAX_COLUMNS = 64
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
    typed: set[int] = field(default_factory=set)  # columns that held a fraction or a date


@dataclass
class ParsedSheet:
    sheet_name: str
    header_row: int
    columns: dict[int, int]  # column of the form -> spreadsheet column index (0-based)
    rows: list[SheetRow]

    def to_json(self) -> dict:
        return {
            "sheet_name": self.sheet_name,
            "header_row": self.header_row,
            "columns": {str(k): v for k, v in self.columns.items()},
            "rows": [
                [r.number, {str(k): v for k, v in r.cells.items()}, sorted(r.typed)]
                for r in self.rows
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> ParsedSheet:
        return cls(
            data["sheet_name"],
            data["header_row"],
            {int(k): v for k, v in data["columns"].items()},
            [
                SheetRow(number, {int(k): v for k, v in cells.items()}, set(typed))
                for number, cells, typed in data["rows"]
            ],
        )


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_container(data: bytes) -> None:
    """Size, format, password and zip-bomb checks before a spreadsheet library opens it."""
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
            "Сохраните таблицу в формате XLSX и загрузите снова."
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
            f"{unpacked / 1024 / 1024:.0f} МБ — так выглядит «zip-бомба», а не таблица."
        )
    if "[Content_Types].xml" not in {member.filename for member in members}:
        raise SpreadsheetError("Файл не является таблицей XLSX (это другой ZIP-архив).")


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


def _mandatory_columns() -> list[int]:
    return sorted(
        set(RegistryColumn.objects.filter(mandatory=True).values_list("number", flat=True))
    )


def _load(data: bytes, max_rows: int) -> list[dict]:
    try:
        sheets = load_sheets_isolated(
            data,
            max_rows + HEADER_SEARCH_ROWS,
            MAX_COLUMNS,
            memory_bytes=limit("REGISTRY_IMPORT_READER_MEMORY_BYTES", 1536 * 1024 * 1024),
            timeout=limit("REGISTRY_IMPORT_READER_SECONDS", 120),
        )
    except SheetLoadError as error:
        reason = str(error)
        if reason == "memory":
            raise SpreadsheetError(
                "Файл отклонен: при чтении он занимает слишком много памяти (листы объявляют "
                "ячейки далеко за пределами таблицы). Скопируйте реестр на новый лист и "
                "сохраните файл заново."
            ) from error
        if reason == "timeout":
            raise SpreadsheetError(
                "Файл читается слишком долго: проверьте, что это реестр."
            ) from error
        raise SpreadsheetError(f"Файл не читается как электронная таблица: {reason}.") from error
    if sheets and sheets[0].get("error") == "password":
        raise SpreadsheetError(
            "Файл защищен паролем. Снимите пароль в табличном редакторе и загрузите снова."
        )
    return sheets


def read_registry_sheet(data: bytes) -> ParsedSheet:
    """The first sheet that has the registry's header, as rows of the form's columns."""
    check_container(data)
    max_rows = limit("REGISTRY_IMPORT_MAX_ROWS", 50_000)
    full, prefixes = header_matchers()
    sheets_with_data = 0
    for loaded in _load(data, max_rows):
        name = loaded["name"]
        if "too_big" in loaded:
            height, width = loaded["too_big"]
            raise SpreadsheetError(
                f"Лист «{name}» слишком большой: {height} строк и {width} столбцов, "
                f"допускается не более {max_rows} строк реестра и {MAX_COLUMNS} столбцов."
            )
        grid = loaded["grid"]
        if not any(any(cell for cell in row) for row in grid):
            continue
        sheets_with_data += 1
        _fill_merged(grid, loaded["merged"])
        header = _find_header(grid, full, prefixes)
        if header is None:
            continue
        header_index, columns = header
        missing = [n for n in _mandatory_columns() if n not in columns]
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
        typed: dict[int, set[int]] = {}
        for r, c in loaded["typed"]:
            typed.setdefault(r, set()).add(c)
        by_index = {c: n for n, c in columns.items()}
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
            row_typed = {by_index[c] for c in typed.get(index, ()) if c in by_index}
            rows.append(SheetRow(index + 1, cells, row_typed))
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
