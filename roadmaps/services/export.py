"""Roadmap measures as XLSX in the documents' table layout, one sheet per roadmap (numbers such
as "1.1." repeat from plan to plan, so the plans are not mixed in one table): a plan page's
«Выгрузить в XLSX». The boards' list of measures is services.board_export.

A roadmap's sheet is created at its first row, so the sheets come in the order of the rows.
Each sheet: the roadmap's title with its appendix number and owner (row 1, a «*» of its
document kept), the act that approved it and the act of its edition (row 2, empty without
one), the header № п/п, Мероприятие, Срок реализации and the plan's own headers of the last two
columns (Ответственный, Вид документа by default; seed 002's «Ответственный исполнитель»,
«Вид документа и характеристика результата»), then exactly the given rows in their order, a
measure's footnote markers («[3]») after its text, and the plan's footnote after the table.
No rows: one sheet with the header only. Every cell is written with write_string(): text
that looks like a formula stays text. services.reader reads a sheet back (it finds the table
by its header)."""

from __future__ import annotations

from dataclasses import dataclass

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from portal.xlsx import PORTAL_NAME, SHEET_NAME_LIMIT, normalize_breaks, sheet_name
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.services.history import acts_of

HEADERS = ("№ п/п", "Мероприятие", "Срок реализации", "Ответственный", "Вид документа")
WIDTHS = (10, 70, 18, 45, 45)
HEADER_ROW = 2  # 0-based: the title, the act, then the header
EMPTY_SHEET_NAME = "Мероприятия"


def headers_of(roadmap: Roadmap) -> tuple[str, ...]:
    return (*HEADERS[:3], roadmap.responsible_header, roadmap.document_header)


def with_markers(item: RoadmapItem) -> str:
    """ "…(сервисов)[3]": the markers the reader took out, back where the document had them."""
    notes = [n.strip() for n in item.footnotes.split(",") if n.strip()]
    return item.text + "".join(f"[{n}]" for n in notes)


def row_values(item: RoadmapItem) -> tuple[str, ...]:
    # The responsible column in the plan's own words (a successor's note is the portal's, not
    # the document's): the file read back as a new edition then finds nothing changed.
    return (
        item.number,
        with_markers(item),
        item.deadline_text,
        item.responsible_text or "; ".join(item.responsible_display()),
        item.document_type,
    )


def roadmap_title(roadmap: Roadmap) -> str:
    """ "Приложение № 29: План … — Главное управление молодежной политики Омской области"."""
    return f"{roadmap} — {roadmap.owner.full_name}"


def act_line(roadmap: Roadmap) -> str:
    """ "Утверждена: … № 326-р; в редакции: … № 213-р" (seed 002 is 326-р's plan as 213-р
    sets it out): the latest act the items rest on, when it is not the approving one."""
    acts = acts_of(roadmap)
    edition = acts[-1] if acts else None
    parts = []
    if roadmap.legal_act_id:
        parts.append(f"Утверждена: {roadmap.legal_act}")
    if edition is not None and edition.pk != roadmap.legal_act_id:
        parts.append(f"в редакции: {edition}")
    return "; ".join(parts)


def roadmap_sheet_name(roadmap: Roadmap, taken: set[str]) -> str:
    """The owner's short name and the appendix number ("Главное управление (прил. 29)"), the
    owner's name trimmed so the appendix number stays; unique in the workbook (" (2)")."""
    if roadmap.appendix_number:
        suffix = f" (прил. {roadmap.appendix_number})"
    elif roadmap.is_template:
        suffix = " (типовой)"
    else:
        suffix = ""
    owner = roadmap.owner.display_name[: max(SHEET_NAME_LIMIT - len(suffix), 0)].rstrip()
    return sheet_name(owner + suffix, taken)


@dataclass
class _Sheet:
    sheet: Worksheet
    next_row: int
    footnote: str = ""  # written after the table when the sheet is closed


class _Writer:
    def __init__(self, path: str):
        self.book = xlsxwriter.Workbook(
            path,
            {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        self.book.set_properties({"title": "Мероприятия дорожных карт", "author": PORTAL_NAME})
        self.title = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.header = self.book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "border": 1}
        )
        self.cell = self.book.add_format({"text_wrap": True, "valign": "top", "border": 1})
        self.taken: set[str] = set()
        self.sheets: dict[int, _Sheet] = {}

    def table(self, name: str, header_row: int, headers=HEADERS) -> Worksheet:
        sheet = self.book.add_worksheet(name)
        for col, (title, width) in enumerate(zip(headers, WIDTHS, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(header_row, col, title, self.header)
        sheet.freeze_panes(header_row + 1, 0)
        return sheet

    def sheet_of(self, roadmap: Roadmap) -> _Sheet:
        if roadmap.pk not in self.sheets:
            name = roadmap_sheet_name(roadmap, self.taken)
            sheet = self.table(name, HEADER_ROW, headers_of(roadmap))
            # A merged cell takes any value; write_string keeps the title text.
            sheet.merge_range(0, 0, 0, len(HEADERS) - 1, "", self.title)
            sheet.write_string(0, 0, roadmap_title(roadmap), self.title)
            sheet.set_row(0, 32)
            if act := act_line(roadmap):
                sheet.write_string(1, 0, act)
            self.sheets[roadmap.pk] = _Sheet(sheet, HEADER_ROW + 1, roadmap.footnote)
        return self.sheets[roadmap.pk]

    def write(self, item: RoadmapItem) -> None:
        target = self.sheet_of(item.roadmap)
        for col, value in enumerate(row_values(item)):
            target.sheet.write_string(
                target.next_row, col, normalize_breaks(value or ""), self.cell
            )
        target.next_row += 1

    def close(self) -> None:
        for target in self.sheets.values():
            if target.footnote:
                target.sheet.write_string(target.next_row + 1, 0, target.footnote)
        if not self.sheets:
            self.table(sheet_name(EMPTY_SHEET_NAME, self.taken), 0)
        self.book.close()


def export_rows(items, path: str) -> int:
    """Writes the measures (board.items(): roadmap, owner and responsibles loaded with them)
    to `path`; a queryset is read in chunks (a coordinator's 90 000 measures)."""
    writer = _Writer(path)
    written = 0
    rows = items.iterator(chunk_size=2000) if hasattr(items, "iterator") else items
    for item in rows:
        writer.write(item)
        written += 1
    writer.close()
    return written
