"""Reading the registry spreadsheets authorities keep today: XLSX or legacy XLS.

The file is read by the portal's one spreadsheet reader (portal/spreadsheets/): checked, then
parsed in a child process under memory, time and size limits. Here the registry's header is
found and the rows are taken by the columns of the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.cells import too_long
from portal.plurals import rows_text
from portal.spreadsheets.reader import (  # noqa: F401 - check_container: one import for callers
    SpreadsheetError,
    check_container,
    limit,
    read_spreadsheet,
)
from registry.models import RegistryColumn, normalize_text
from registry.models.catalogue import template_edition

HEADER_SEARCH_ROWS = 20
# The form has 14 columns; a sheet much wider than that is not a registry.
MAX_COLUMNS = 64


@dataclass
class SheetRow:
    number: int  # as the spreadsheet numbers it, from 1
    cells: dict[int, str]  # column of the form (1 … 14) -> text
    typed: set[int] = field(default_factory=set)  # columns that held a fraction or a date
    long: dict[int, int] = field(default_factory=dict)  # column -> length of a too long cell


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
                [
                    r.number,
                    {str(k): v for k, v in r.cells.items()},
                    sorted(r.typed),
                    {str(k): v for k, v in r.long.items()},
                ]
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
                SheetRow(
                    number,
                    {int(k): v for k, v in cells.items()},
                    set(typed),
                    {int(k): v for k, v in (long[0] if long else {}).items()},
                )
                for number, cells, typed, *long in data["rows"]
            ],
        )


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


def read_registry_sheet(data: bytes, file_name: str | None = None) -> ParsedSheet:
    """The first sheet that has the registry's header, as rows of the form's columns."""
    max_rows = limit("REGISTRY_IMPORT_MAX_ROWS", 50_000)
    sheets = read_spreadsheet(
        data,
        file_name,
        max_rows=max_rows,
        max_columns=MAX_COLUMNS,
        row_allowance=HEADER_SEARCH_ROWS,
        fill_merged=True,  # in the child, ranges clamped and bounded there
    )
    full, prefixes = header_matchers()
    sheets_with_data = 0
    for loaded in sheets:
        name = loaded.name
        grid = loaded.grid
        if not any(any(cell for cell in row) for row in grid):
            continue
        sheets_with_data += 1
        header = _find_header(grid, full, prefixes)
        if header is None:
            continue
        header_index, columns = header
        missing = [n for n in _mandatory_columns() if n not in columns]
        if missing:
            headers = dict(
                RegistryColumn.objects.filter(edition=template_edition()).values_list(
                    "number", "header"
                )
            )
            names = "; ".join(f"{n}. {headers[n]}" for n in missing)
            raise SpreadsheetError(
                f"На листе «{name}» в строке заголовков {header_index + 1} "
                f"нет обязательных граф: {names}."
            )
        typed: dict[int, set[int]] = {}
        for r, c in loaded.typed:
            typed.setdefault(r, set()).add(c)
        long: dict[int, dict[int, int]] = {}
        for r, c, length in loaded.long:
            long.setdefault(r, {})[c] = length
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
            row_long = {by_index[c]: n for c, n in long.get(index, {}).items() if c in by_index}
            rows.append(SheetRow(index + 1, cells, row_typed, row_long))
        if len(rows) > max_rows:
            raise SpreadsheetError(
                f"В файле{_where(file_name)} {rows_text(len(rows))} реестра, допускается не более "
                f"{max_rows}. Разделите реестр на несколько файлов."
            )
        return ParsedSheet(name, header_index + 1, columns, rows)
    if not sheets_with_data:
        raise SpreadsheetError(f"Таблица пустая{_where(file_name)}: ни на одном листе нет данных.")
    raise SpreadsheetError(
        f"Не найдена строка заголовков реестра{_where(file_name)} в первых {HEADER_SEARCH_ROWS} "
        "строках ни на одном "
        "листе. Ожидаются графы типовой формы: «Идентификатор процесса», «Название функции, "
        "услуги, сервиса», «Регулирующий акт», «Название процесса», «Ответственный за процесс», "
        "«Статус процесса (статус реинжиниринга)»."
    )


def _where(file_name: str | None) -> str:
    return f" («{file_name}»)" if file_name else ""


def long_cell_errors(row: SheetRow) -> list[str]:
    """ "Графа 9 строки 4: не более 32 767 знаков …" for every cell too long for XLSX."""
    return [
        too_long(f"Графа {n} строки {row.number}", length) for n, length in sorted(row.long.items())
    ]
