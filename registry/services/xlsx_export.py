"""The registry as the XLSX file that gets published: the typical form of appendix 1.

Written with XlsxWriter in constant_memory mode (rows stream to disk, memory stays flat; it
measured faster than openpyxl's write-only mode, see docs/benchmarks.md). Every cell is
written with write_string(), so text that a spreadsheet would run as a formula ("=…", "+…",
"-…", "@…") stays text.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import xlsxwriter
from django.db.models import Count, Q
from django.utils import timezone

from portal.readahead import read_ahead
from portal.xlsx import PORTAL_NAME, normalize_breaks, sheet_name
from registry.columns import COLUMNS, edition_columns
from registry.models import CatalogueEdition, Organization
from registry.models.catalogue import template_edition
from registry.models.organizations import editions_by_authority
from registry.services.registry_rows import registry_rows

FIRST_DATA_ROW = 5  # title, authority, date, headers, column numbers
PROGRESS_EVERY = 1000  # rows between two calls of progress(): a call per row costs a second


@dataclass
class ExportResult:
    path: str
    rows: int = 0
    sheets: list[str] = field(default_factory=list)


class RegistryWorkbook:
    def __init__(self, path: str, title: str, subject: str):
        self.book = xlsxwriter.Workbook(
            path,
            {
                "constant_memory": True,
                # Never turn text into formulas, numbers or links: the registry is text.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.book.set_properties(
            {
                "title": title,
                "subject": subject,
                "author": PORTAL_NAME,
                "company": subject,
                "created": timezone.now().replace(tzinfo=None),
                "comments": "Реестр межведомственных и внутриведомственных процессов",
            }
        )
        base = {"font_name": "Times New Roman", "font_size": 10, "valign": "top"}
        self.title_format = self.book.add_format(
            {**base, "bold": True, "font_size": 12, "align": "center", "text_wrap": True}
        )
        self.subtitle_format = self.book.add_format({**base, "align": "center", "text_wrap": True})
        self.header_format = self.book.add_format(
            {
                **base,
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "border": 1,
            }
        )
        self.number_format = self.book.add_format({**base, "align": "center", "border": 1})
        self.cell_format = self.book.add_format({**base, "text_wrap": True, "border": 1})
        self.note_format = self.book.add_format({**base, "italic": True})
        self.taken_names: set[str] = set()

    def close(self):
        self.book.close()

    def start_sheet(self, name: str):
        return self.book.add_worksheet(sheet_name(name, self.taken_names))

    def write_form_header(
        self, sheet, authority: Organization, edition: CatalogueEdition, columns, day: date
    ):
        for index, spec in enumerate(COLUMNS):
            sheet.set_column(index, index, spec.xlsx_width)
        last = len(COLUMNS) - 1
        sheet.set_row(0, 32)
        sheet.merge_range(0, 0, 0, last, edition.registry_title, self.title_format)
        sheet.merge_range(1, 0, 1, last, authority.full_name, self.subtitle_format)
        sheet.merge_range(2, 0, 2, last, f"по состоянию на {day:%d.%m.%Y}", self.subtitle_format)
        sheet.set_row(3, 90)
        for index, spec in enumerate(COLUMNS):
            column = columns[spec.number]
            header = f"{column.header}*" if column.mandatory else column.header
            sheet.write_string(3, index, header, self.header_format)
        # constant_memory writes row by row: the numbers' row comes after the whole header row.
        for index, spec in enumerate(COLUMNS):
            sheet.write_number(4, index, spec.number, self.number_format)
        sheet.freeze_panes(FIRST_DATA_ROW, 1)
        sheet.repeat_rows(3, 4)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        sheet.set_footer("&CСтраница &P из &N")

    def write_row(self, sheet, row_index: int, values: list[str]):
        write, cell = sheet.write_string, self.cell_format
        for col, value in enumerate(values):
            # the test inline: a call per cell costs seconds over a million rows
            write(row_index, col, normalize_breaks(value) if "\r" in value else value, cell)

    def write_note(self, sheet, row_index: int, edition: CatalogueEdition):
        """The sheet's last row, the edition's note as its form words it (001 and 004 differ):
        the sheet is then finished (constant_memory)."""
        sheet.write_string(row_index + 1, 0, edition.mandatory_note, self.note_format)
        finish_sheet(sheet, row_index + 1)


def finish_sheet(sheet, last_row: int) -> None:
    """Flushes a finished constant_memory sheet's last row and closes its temporary file.

    XlsxWriter keeps every sheet's file open until the book closes: about 15 KB a sheet, 50 MB
    for a coordinator's 3,600 authorities. Its own packager reopens a closed file
    (_opt_reopen) and then flushes the row after `previous_row`, which is left empty here,
    so no row is written twice. Private methods: an XlsxWriter without them keeps them open.
    """
    flush, close = getattr(sheet, "_write_single_row", None), getattr(sheet, "_opt_close", None)
    if sheet.constant_memory and flush is not None and close is not None:
        flush(last_row)
        close()


def export_registry(
    queryset, path: str | None = None, day: date | None = None, progress=None
) -> ExportResult:
    """Writes the rows of `queryset` (already scoped and filtered by the caller) as the typical
    form: one sheet per authority, and a summary sheet first when there are several.
    `progress(rows_done)` is called every PROGRESS_EVERY rows and at the end (a background
    export's counter)."""
    day = day or timezone.localdate()
    if path is None:
        handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="registry-")
        os.close(handle)
    authority_ids = set(queryset.order_by().values_list("authority_id", flat=True).distinct())
    authorities = {
        org.pk: org
        for org in Organization.objects.filter(pk__in=authority_ids).order_by("full_name")
    }
    # each authority's sheet in its territory's edition (headers, title, note)
    edition_ids = editions_by_authority(authorities.values())
    editions = {e.pk: e for e in CatalogueEdition.objects.filter(pk__in=set(edition_ids.values()))}
    columns = {pk: edition_columns(edition) for pk, edition in editions.items()}

    single = len(authorities) == 1
    title = "Реестр межведомственных и внутриведомственных процессов"
    subject = next(iter(authorities.values())).full_name if single else "Несколько органов власти"
    book = RegistryWorkbook(path, title, subject)
    result = ExportResult(path=path)
    try:
        if len(authorities) > 1:
            _write_summary(book, queryset, authorities, day)
        if not authorities:
            # An empty selection still gives the form, so the file is never a surprise.
            sheet = book.start_sheet("Реестр")
            edition = template_edition()
            book.write_form_header(
                sheet, Organization(full_name="—"), edition, edition_columns(edition), day
            )
            book.write_note(sheet, FIRST_DATA_ROW, edition)
            result.sheets.append(sheet.name)
        current_id, sheet, row_index = None, None, FIRST_DATA_ROW
        # The next rows are read while these are written (portal.readahead).
        rows = read_ahead(lambda: registry_rows(queryset), queryset.db)
        for done, row in enumerate(rows, 1):
            if progress is not None and not done % PROGRESS_EVERY:
                progress(done)  # a job's counter (portal.jobs throttles the writes)
            if row.authority_id != current_id:
                if sheet is not None:
                    book.write_note(sheet, row_index, edition)
                authority = authorities[row.authority_id]
                edition = editions[edition_ids[authority.pk]]
                sheet = book.start_sheet(authority.short_name or authority.full_name)
                book.write_form_header(sheet, authority, edition, columns[edition.pk], day)
                result.sheets.append(sheet.name)
                current_id, row_index = row.authority_id, FIRST_DATA_ROW
            book.write_row(sheet, row_index, row.values)
            row_index += 1
            result.rows += 1
        if sheet is not None:
            book.write_note(sheet, row_index, edition)
        if progress is not None:
            progress(result.rows)
    finally:
        book.close()
    return result


def _write_summary(book: RegistryWorkbook, queryset, authorities, day: date):
    sheet = book.start_sheet("Сводка")
    counts = {
        row["authority_id"]: row
        for row in queryset.order_by()
        .values("authority_id")
        .annotate(
            total=Count("pk"),
            reengineered=Count("pk", filter=Q(status__is_reengineered=True)),
            digital=Count("pk", filter=Q(kind__is_digital=True)),
            non_typical=Count("pk", filter=Q(is_non_typical=True)),
        )
    }
    headers = [
        "Орган власти",
        "Процессов в реестре",
        "Прошли реинжиниринг",
        "Цифровых процессов",
        "Нетиповых процессов",
    ]
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, len(headers) - 1, 18)
    sheet.merge_range(0, 0, 0, len(headers) - 1, "Сводка по реестрам процессов", book.title_format)
    sheet.merge_range(
        1, 0, 1, len(headers) - 1, f"по состоянию на {day:%d.%m.%Y}", book.subtitle_format
    )
    for col, header in enumerate(headers):
        sheet.write_string(3, col, header, book.header_format)
    totals = Counter()
    row_index = 4
    for authority in authorities.values():
        data = counts.get(authority.pk, {})
        sheet.write_string(row_index, 0, authority.full_name, book.cell_format)
        for col, key in enumerate(("total", "reengineered", "digital", "non_typical"), start=1):
            sheet.write_number(row_index, col, data.get(key, 0), book.number_format)
            totals[key] += data.get(key, 0)
        row_index += 1
    sheet.write_string(row_index, 0, "Итого", book.header_format)
    for col, key in enumerate(("total", "reengineered", "digital", "non_typical"), start=1):
        sheet.write_number(row_index, col, totals[key], book.header_format)
    sheet.freeze_panes(4, 1)
