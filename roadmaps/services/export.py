"""The deadlines board as XLSX in the documents' table layout: № п/п, Мероприятие, Срок
реализации, Ответственный, Вид документа — exactly the rows of the board, in its order.
Every cell is written with write_string(): text that looks like a formula stays text."""

from __future__ import annotations

import xlsxwriter

from registry.services.xlsx_export import PORTAL_NAME, normalize_breaks
from roadmaps.services.board import Row

HEADERS = ("№ п/п", "Мероприятие", "Срок реализации", "Ответственный", "Вид документа")
WIDTHS = (10, 70, 18, 45, 45)


def row_values(row: Row) -> tuple[str, ...]:
    item = row.item
    return (
        item.number,
        item.text,
        item.deadline_text,
        "; ".join(item.responsible_display()),
        item.document_type,
    )


def export_rows(board_rows: list[Row], path: str) -> int:
    book = xlsxwriter.Workbook(
        path,
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    book.set_properties({"title": "Сроки мероприятий дорожных карт", "author": PORTAL_NAME})
    sheet = book.add_worksheet("Мероприятия")
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    for col, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, header)
    for r, row in enumerate(board_rows, start=1):
        for col, value in enumerate(row_values(row)):
            sheet.write_string(r, col, normalize_breaks(value or ""), cell)
    sheet.freeze_panes(1, 0)
    book.close()
    return len(board_rows)
