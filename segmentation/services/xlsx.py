"""XLSX of a segment profile in the layout of the form (appendix № 2) and of the coverage
table. Every value is written as a string, so text never runs as a formula."""

from __future__ import annotations

import io

import xlsxwriter

from segmentation.models import SegmentProfile
from segmentation.services.coverage import ASPECT_LABELS, ASPECTS, GroupCoverage


def _book():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    return buffer, book


def profile_xlsx(profile: SegmentProfile) -> bytes:
    buffer, book = _book()
    sheet = book.add_worksheet("Профиль")
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    head = book.add_format({"bold": True, "text_wrap": True, "border": 1, "align": "center"})
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 45)
    sheet.set_column(2, 2, 55)
    sheet.merge_range(0, 0, 0, 2, "Форма профиля клиентского сегмента", bold)
    lines = [
        (f"1. {profile.authority.edition.profile_direction}:", profile.direction),
        ("2. Профиль клиентского сегмента:", profile.name),
    ]
    row = 2
    for label, value in lines:
        sheet.merge_range(row, 0, row, 1, label, bold)
        sheet.write_string(row, 2, value, wrap)
        row += 1
    sheet.merge_range(row, 0, row, 2, "3. Признаки клиентского сегмента:", bold)
    row += 1
    for col, title in enumerate(("№ п/п", "Признак сегментации", "Значение сегмента")):
        sheet.write_string(row, col, title, head)
    for attribute in profile.attributes.all():
        row += 1
        sheet.write_string(row, 0, str(attribute.number), cell)
        sheet.write_string(row, 1, attribute.attribute, cell)
        sheet.write_string(row, 2, attribute.value, cell)
    row += 2
    for label, value in (
        ("4. Особенности клиентского пути:", profile.path_features),
        ("5. Предпочтительные каналы взаимодействия:", profile.channels),
        ("Клиенты:", profile.get_client_kind_display()),
        ("Орган власти:", profile.authority.full_name),
    ):
        sheet.merge_range(row, 0, row, 1, label, bold)
        sheet.write_string(row, 2, value, wrap)
        row += 1
    book.close()
    return buffer.getvalue()


def coverage_xlsx(tables: list[tuple[object, list[GroupCoverage]]]) -> bytes:
    """One sheet: per authority and process group, the services and those lacking each part."""
    buffer, book = _book()
    sheet = book.add_worksheet("Охват")
    head = book.add_format({"bold": True, "text_wrap": True, "border": 1, "valign": "top"})
    cell = book.add_format({"text_wrap": True, "border": 1, "valign": "top"})
    headers = ["Орган власти", "Группа процессов", "Услуг в реестре"]
    for aspect in ASPECTS:
        headers += [f"С: {ASPECT_LABELS[aspect]}", f"Без: {ASPECT_LABELS[aspect]}"]
    for col, title in enumerate(headers):
        sheet.write_string(0, col, title, head)
    sheet.set_column(0, 1, 40)
    sheet.set_column(2, len(headers) - 1, 22)
    sheet.freeze_panes(1, 0)
    row = 0
    for authority, entries in tables:
        for entry in entries:
            row += 1
            values = [authority.full_name, entry.group.name, str(len(entry.services))]
            for aspect in ASPECTS:
                missing = entry.missing[aspect]
                values.append(str(entry.covered(aspect)))
                values.append("; ".join(f"{p.identifier}. {p.name}" for p in missing))
            for col, value in enumerate(values):
                sheet.write_string(row, col, value, cell)
    book.close()
    return buffer.getvalue()
