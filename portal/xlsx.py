"""What every XLSX the portal writes shares: its author's name, cell text as a spreadsheet
keeps it, and sheet names by Excel's rules."""

from __future__ import annotations

import re
from decimal import Decimal

import xlsxwriter

PORTAL_NAME = "Портал внедрения Стандартов клиентоцентричности"
SHEET_NAME_LIMIT = 31


def normalize_breaks(value: str) -> str:
    """Line breaks as a spreadsheet keeps them: a bare CR would be stored as "_x000D_"."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def _fit(text: str, limit: int) -> str:
    """Cut to `limit` as Excel counts (UTF-16 units: a character beyond the basic plane
    counts twice), without a trailing space or apostrophe."""
    while len(text.encode("utf-16-le")) // 2 > limit:
        text = text[:-1]
    return text.rstrip(" '")


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not starting or ending with an
    apostrophe, unique in the workbook (ignoring case)."""
    base = _fit(re.sub(r"[\[\]:*?/\\]", " ", name).strip(" '"), SHEET_NAME_LIMIT)
    base = base or "Лист"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate = _fit(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate


def write_table(path: str, title: str, header: list[str], rows, *, stream: bool = False) -> None:
    """One sheet: the header, then each row's cells: numbers as numbers, the rest as text (a
    text that looks like a formula or a number stays text), widths by the longest header or
    first rows' values. `stream`: each row leaves memory once written (XlsxWriter's
    constant_memory), for a table of tens of thousands of rows."""
    book = xlsxwriter.Workbook(
        path,
        {
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "constant_memory": stream,
        },
    )
    book.set_properties({"title": title, "author": PORTAL_NAME})
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    sheet = book.add_worksheet(sheet_name(title, set()))
    widths = [min(max(len(name), 10), 60) for name in header]
    for column, name in enumerate(header):
        sheet.write_string(0, column, name, head)
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values):
            text = normalize_breaks("" if value is None else str(value))
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                sheet.write_number(number, column, value, cell)  # a figure Excel can sum
            else:
                sheet.write_string(number, column, text, cell)
            if number <= 100:
                widths[column] = min(max(widths[column], len(text)), 60)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    book.close()
