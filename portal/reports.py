"""Reports generated from data: one `Report` (sections of rows), shown as a printable page
(templates/portal/report.html, print CSS of `body.print-sheet`) and written as XLSX.

A view is a `ReportView`: it says how many rows the report has (`report_size()`, a count the
database makes) and builds it (`build_report()`, a fixed number of queries). `?export=xlsx`
writes the XLSX in the request up to EXPORT_INLINE_ROWS rows and as a job above that (the same
view, as the same user, with the same query: the rows are his); the page itself shows a report
of up to REPORT_PAGE_ROWS rows and, above that, says so and offers the XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import xlsxwriter
from django.conf import settings
from django.shortcuts import redirect
from django.views.generic import TemplateView

from portal.downloads import XLSX_CONTENT_TYPE, written_xlsx_response
from portal.jobs import job_task, start_job
from portal.pagejobs import page_params, rebuilt_page
from portal.views.scoped import ScopedViewMixin
from portal.xlsx import PORTAL_NAME, normalize_breaks, sheet_name

EXPORT_PARAM = "export"


@dataclass
class Section:
    """A table of the report under its own heading; `sheet`: the XLSX sheet it goes to (the
    report's first sheet when empty), e.g. a profile attached to the segmentation report."""

    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    sheet: str = ""
    widths: list[int] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    empty: str = "Сведений нет."

    @property
    def size(self) -> int:
        return sum(len(section.rows) for section in self.sections)


class _Book:
    def __init__(self, path: str, report: Report):
        self.book = xlsxwriter.Workbook(
            path,
            {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        self.book.set_properties({"title": report.title, "author": PORTAL_NAME})
        self.bold = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.head = self.book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "border": 1}
        )
        self.cell = self.book.add_format({"text_wrap": True, "valign": "top", "border": 1})
        self.taken: set[str] = set()
        self.sheets: dict[str, list] = {}  # name -> [worksheet, next row]
        self.main = sheet_name(report.title, set())

    def sheet(self, name: str):
        if name not in self.sheets:
            sheet = self.book.add_worksheet(sheet_name(name, self.taken))
            self.sheets[name] = [sheet, 0]
        return self.sheets[name]

    def write(self, section: Section) -> None:
        place = self.sheet(section.sheet or self.main)
        sheet, row = place
        sheet.write_string(row, 0, section.title, self.bold)
        row += 1
        for col, name in enumerate(section.header):
            width = section.widths[col] if col < len(section.widths) else 24
            sheet.set_column(col, col, width)
            sheet.write_string(row, col, name, self.head)
        for values in section.rows:
            row += 1
            for col, value in enumerate(values):
                if isinstance(value, int) and not isinstance(value, bool):
                    sheet.write_number(row, col, value, self.cell)  # a figure Excel can sum
                else:
                    text = normalize_breaks("" if value is None else str(value))
                    sheet.write_string(row, col, text, self.cell)
        if section.note:
            row += 1
            sheet.write_string(row, 0, section.note)
        place[1] = row + 2


def write_report(report: Report, path: str) -> int:
    """The report as XLSX at `path`: its title, then each section (heading, header, rows) on
    its sheet. Every text is written as a string (a formula-looking text stays text)."""
    book = _Book(path, report)
    first, row = book.sheet(book.main)
    first.write_string(0, 0, report.title, book.bold)
    if report.subtitle:
        first.write_string(1, 0, report.subtitle)
    book.sheets[book.main][1] = 3
    for section in report.sections:
        book.write(section)
    book.book.close()
    return report.size


@job_task
def export_report(run, *, view: str, path: str, query: str, kwargs: dict) -> str:
    """A report's XLSX as a job: the same view, as the user who asked, with the same query."""
    page = rebuilt_page(run, view=view, path=path, query=query, kwargs=kwargs)
    total = page.report_size()
    run.progress(0, total)
    report = page.build_report()
    name = page.get_filename()
    run.write_file(name, XLSX_CONTENT_TYPE, lambda target: write_report(report, target))
    run.progress(total, total)
    return f"Отчет готов: {name}."


class ReportView(ScopedViewMixin, TemplateView):
    """A report's printable page and its XLSX (?export=xlsx)."""

    template_name = "portal/report.html"
    filename = "Отчет"

    def report_size(self) -> int:
        """Rows the report will have, counted by the database (no report built)."""
        raise NotImplementedError

    def build_report(self) -> Report:
        raise NotImplementedError

    def get_filename(self) -> str:
        return f"{self.filename}.xlsx"

    def report_choices(self) -> dict | None:
        """A select above the report (name, label, options as (value, label), current), sent
        as a GET parameter: the quarter of an execution report; None: no choice."""
        return None

    def get(self, request, *args, **kwargs):
        if request.GET.get(EXPORT_PARAM) == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        if self.report_size() > settings.EXPORT_INLINE_ROWS:
            job = start_job(
                self.request.user,
                "report_export",
                self.get_filename().removesuffix(".xlsx"),
                export_report,
                **page_params(self),
                kwargs=self.kwargs,
                back=(self.request.path, "К отчету"),
            )
            return redirect("portal:job_detail", job.pk)
        report = self.build_report()
        return written_xlsx_response(lambda path: write_report(report, path), self.get_filename())

    def export_query(self) -> str:
        query = self.request.GET.copy()
        query[EXPORT_PARAM] = "xlsx"
        return query.urlencode()

    def get_context_data(self, **kwargs):
        size = self.report_size()
        too_long = size > settings.REPORT_PAGE_ROWS
        return super().get_context_data(
            report=None if too_long else self.build_report(),
            report_size=size,
            too_long=too_long,
            page_rows=settings.REPORT_PAGE_ROWS,
            export_query=self.export_query(),
            choices=self.report_choices(),
            **kwargs,
        )
