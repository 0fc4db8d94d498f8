"""Spreadsheets as authorities keep them, built for the import tests."""

import io

import openpyxl

from registry.models import RegistryColumn

REGIONAL = None


def headers(level="regional", star=True):
    return [
        c.header + ("*" if star and c.mandatory else "")
        for c in RegistryColumn.objects.filter(
            edition__level=level, edition__is_template=True
        ).order_by("number")
    ]


def row(identifier, **overrides):
    values = {
        1: identifier,
        2: "",
        3: "Рассмотрение обращений граждан",
        4: "Граждане",
        5: "Федеральный закон от 02.05.2006 № 59-ФЗ",
        6: "Рассмотрение обращений и запросов",
        7: "Прием и регистрация обращений и запросов",
        8: "Иванов Иван Иванович, начальник отдела",
        9: "в очереди на исследование",
        10: "",
        11: "",
        12: "",
        13: "цифровой",
        14: "",
    }
    values.update({int(k[1:]) if isinstance(k, str) else k: v for k, v in overrides.items()})
    return [values[n] for n in range(1, 15)]


def workbook_bytes(
    rows, header=None, title_rows=2, number_row=True, merges=(), sheet_title="Реестр"
):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for i in range(title_rows):
        sheet.append([f"Титульная строка {i + 1}"])
    sheet.append(header or headers())
    if number_row:
        sheet.append(list(range(1, 15)))
    for values in rows:
        sheet.append(values)
    sheet.append(["* – графы, обязательные для заполнения."])
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
