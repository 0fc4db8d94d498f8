"""Reading roadmap tables: the tab-separated tables of the seeds, and XLSX/XLS in their layout.

The documents are what they are: the header row is repeated after every page break, a cell
can be split over two lines (the second line has an empty "№ п/п" cell), section rows carry
the number and the name in one cell ("1. Организационные мероприятия"), markers of footnotes
("[1]") and underlining ("<u>…</u>") sit inside the text, deadlines are dates, "до <date>",
"Исполнено" or empty, and some are typos ("до 01.11.20213"). The reader never guesses: what it
cannot read is kept as written and reported with its line.

Reading is two steps: `parse_rows` needs no database; `resolve_responsibles` matches the
responsible bodies against the portal's organizations. `read_roadmap` does both.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils.translation import ngettext

from portal.cells import CELL_MAX_CHARS, number, too_long
from portal.imports import ERROR, ImportReport, ImportRow, message_lines
from portal.spreadsheets.reader import SpreadsheetError, read_file, read_spreadsheet
from registry.models import Organization, normalize_text
from roadmaps.models import DeadlineKind

# A roadmap table is a handful of columns; more is another document (or a hostile file).
MAX_COLUMNS = 64

# ---------------------------------------------------------------------------------------------
# Cells and rows


@dataclass
class Row:
    line: int  # as the file numbers it, from 1 (a spreadsheet's row number)
    cells: list[str]
    tabular: bool = True  # False for a line of prose in a text file (no tab in it)
    long: dict[int, int] = field(default_factory=dict)  # cell index -> length, cut to the limit


# Bounded: an unclosed "<b " repeated made the open-ended [^>]* scan the rest of the cell from
# every "<" (quadratic: 10 922 times "<b " took seconds).
TAG = re.compile(r"</?(?:u|b|i|s|em|strong|sup|sub|span)\b[^<>]{0,200}>", re.IGNORECASE)
FOOTNOTE = re.compile(r"\s*\[(\d{1,3})\]")
SPACES = re.compile(r"\s+")


def more_lines_text(limit: int) -> str:
    """«больше 1 строки», «больше 10 000 строк» ("больше" takes the genitive)."""
    return ngettext("больше %(count)s строки", "больше %(count)s строк", limit) % {
        "count": number(limit)
    }


def columns_text(count: int) -> str:
    return ngettext("%(count)s столбец", "%(count)s столбцов", count) % {"count": number(count)}


def clean_cell(value: str) -> str:
    """Markup gone, spaces (non-breaking ones too) collapsed; footnote markers stay."""
    value = TAG.sub("", value or "").replace("\u00a0", " ")
    return SPACES.sub(" ", value).strip()


def split_footnotes(value: str) -> tuple[str, list[str]]:
    """ "…(сервисов)[3]" -> ("…(сервисов)", ["3"])."""
    notes = FOOTNOTE.findall(value)
    return FOOTNOTE.sub("", value).strip(), notes


def join_parts(first: str, second: str) -> str:
    """Two halves of a cell split by a page break; a word broken after a hyphen is rejoined."""
    if not first:
        return second
    if not second:
        return first
    if first.endswith("-") and len(first) > 1 and first[-2].isalpha():
        return first + second
    return f"{first} {second}"


def join_all(parts: list[str]) -> str:
    """`join_parts` over many parts at once: one join, not a copy per continuation row."""
    pieces: list[str] = []
    tail = ""  # the last two characters joined so far
    for part in parts:
        if not part:
            continue
        if pieces and not (tail.endswith("-") and len(tail) > 1 and tail[-2].isalpha()):
            pieces.append(" ")
            tail = " "
        pieces.append(part)
        tail = (tail + part)[-2:]
    return "".join(pieces)


def max_rows() -> int:
    return int(getattr(settings, "ROADMAP_IMPORT_MAX_ROWS", 10_000))


def _where(file_name: str | None) -> str:
    return f" («{file_name}»)" if file_name else ""


def rows_from_text(data: bytes, file_name: str | None = None) -> list[Row]:
    """A table as text with tabs, within the same limits as a spreadsheet: the file's size,
    its lines, the cells of a line; a cell longer than an XLSX cell is cut and listed."""
    where = _where(file_name)
    max_bytes = int(getattr(settings, "REGISTRY_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
    if len(data) > max_bytes:
        raise SpreadsheetError(
            f"Файл слишком большой{where}: {len(data) / 1024 / 1024:.1f} МБ, "
            f"допускается не более {max_bytes / 1024 / 1024:.0f} МБ."
        )
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(
            f"Файл не читается как текст (UTF-8 или Windows-1251) и не является таблицей "
            f"XLSX или XLS{where}. Сохраните таблицу как текст с табуляциями или в формате XLSX."
        )
    if "\x00" in text:
        raise SpreadsheetError(
            f"Файл двоичный{where}: нужна таблица — текст с табуляциями, XLSX или XLS."
        )
    lines = text.splitlines()
    limit = max_rows()
    if len(lines) > limit:
        raise SpreadsheetError(
            f"В файле{where} {more_lines_text(limit)} ({number(len(lines))}): столько не "
            "бывает в плане мероприятий. Проверьте, что выбран нужный файл."
        )
    rows = []
    for line_number, line in enumerate(lines, start=1):
        cells = line.split("\t")
        if len(cells) > MAX_COLUMNS:
            raise SpreadsheetError(
                f"В строке {line_number} файла{where} {columns_text(len(cells))}, допускается "
                f"не более {MAX_COLUMNS}. Проверьте, что выбран нужный файл."
            )
        long = {}
        for index, cell in enumerate(cells):
            if len(cell) > CELL_MAX_CHARS:
                long[index] = len(cell)
                cells[index] = cell[:CELL_MAX_CHARS]
        rows.append(Row(line_number, cells, tabular="\t" in line, long=long))
    return rows


def rows_from_spreadsheet(data: bytes, file_name: str | None = None) -> list[Row]:
    """The first sheet that has a roadmap header, read by the portal's one spreadsheet reader
    (a child process under memory and time limits)."""
    first = None
    for sheet in read_spreadsheet(data, file_name, max_rows=max_rows(), max_columns=MAX_COLUMNS):
        long: dict[int, dict[int, int]] = {}
        for r, c, length in sheet.long:
            long.setdefault(r, {})[c] = length
        rows = [
            Row(index + 1, cells, long=long.get(index, {}))
            for index, cells in enumerate(sheet.grid)
        ]
        if first is None:
            first = rows
        if any(header_columns([clean_cell(c) for c in row.cells]) for row in rows):
            return rows
    return first or []


SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


def rows_from_file(path: Path | str, data: bytes | None = None) -> list[Row]:
    path = Path(path)
    data = read_file(path) if data is None else data  # its size checked before reading
    if (
        path.suffix.lower() in SPREADSHEET_SUFFIXES
        or data[:4] == b"PK\x03\x04"
        or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    ):
        return rows_from_spreadsheet(data, path.name)
    return rows_from_text(data, path.name)


# ---------------------------------------------------------------------------------------------
# Header


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """The column of each field when the row is the header of a roadmap table, else None."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = normalize_text(cell)
        if not name:
            continue
        if name.startswith("№") and "number" not in columns:
            columns["number"] = index
        elif name.startswith(("мероприят", "наименование мероприят")):
            columns.setdefault("text", index)
        elif name.startswith("срок"):
            columns.setdefault("deadline", index)
        elif name.startswith("ответствен") or "исполнител" in name:
            columns.setdefault("responsible", index)
        elif name.startswith("вид документа") or "результат" in name:
            columns.setdefault("document_type", index)
    if {"number", "text", "deadline"} <= columns.keys():
        return columns
    return None


# ---------------------------------------------------------------------------------------------
# Deadlines

DEADLINE = re.compile(
    r"^(?P<until>до\s*)?(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d+)\s*(?:г\.?|года)?$",
    re.IGNORECASE,
)
DONE_WORDS = {"исполнено", "выполнено"}
YEARS = range(2000, 2101)


@dataclass
class Deadline:
    text: str
    kind: str
    date: date | None = None
    problem: str = ""  # why a written deadline has no date (Russian), for the report


def parse_deadline(text: str) -> Deadline:
    text = clean_cell(text)
    if not text:
        return Deadline(text, DeadlineKind.NONE)
    if normalize_text(text).rstrip(".") in DONE_WORDS:
        return Deadline(text, DeadlineKind.DONE)
    match = DEADLINE.match(text)
    if not match:
        return Deadline(
            text,
            DeadlineKind.INVALID,
            problem=f"срок «{text}» не распознан: сохранен как текст, дата не указана",
        )
    kind = DeadlineKind.UNTIL if match["until"] else DeadlineKind.DATE
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    if len(match["year"]) != 4 or year not in YEARS:
        return Deadline(
            text,
            DeadlineKind.INVALID,
            problem=(
                f"в сроке «{text}» год {match['year']} — вероятно, опечатка: срок сохранен "
                "как текст, дата не указана (исправьте в документе или вручную)"
            ),
        )
    try:
        return Deadline(text, kind, date(year, month, day))
    except ValueError:
        return Deadline(
            text,
            DeadlineKind.INVALID,
            problem=f"в сроке «{text}» нет такой даты: срок сохранен как текст, дата не указана",
        )


# ---------------------------------------------------------------------------------------------
# Items and the report

NUMBER = re.compile(r"^(?P<number>\d{1,3}(?:\.\d{1,3})*)\.?(?:\s+(?P<rest>.*))?$", re.DOTALL)
FIELDS = ("text", "deadline", "responsible", "document_type")
# A column's value in the table -> the item's attribute, and how a message names the column.
CONTINUED = {
    "text": "text",
    "deadline": "deadline_text",
    "responsible": "responsible_text",
    "document_type": "document_type",
}
COLUMN_TITLES = {
    "text": "«Мероприятие»",
    "deadline_text": "«Срок реализации»",
    "responsible_text": "«Ответственные исполнители»",
    "document_type": "«Вид документа»",
}


@dataclass
class Message:
    line: int | None
    text: str
    is_error: bool = False
    skipped: bool = False  # a row of the table left out: a new edition cannot be read without it

    def __str__(self) -> str:
        return f"строка {self.line}: {self.text}" if self.line else self.text


@dataclass
class ResponsibleRef:
    name: str  # as the document writes it, without "(далее – …)"
    organization: Organization | None = None
    alias: str = ""  # the short name the document defines here: "(далее – АГ СО)"


@dataclass
class ParsedItem:
    number: str  # canonical: "3.1.7."
    line: int
    text: str = ""
    deadline_text: str = ""
    responsible_text: str = ""
    document_type: str = ""
    lines: list[int] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    deadline: Deadline | None = None
    parent_number: str = ""
    responsibles: list[ResponsibleRef] = field(default_factory=list)
    # Continuation rows' parts per attribute, and their total length (kept past the cap only
    # as a count): joined once by `join_continued`.
    continued: dict[str, list[str]] = field(default_factory=dict, repr=False)
    continued_length: dict[str, int] = field(default_factory=dict, repr=False)

    def add_part(self, attribute: str, part: str) -> None:
        if not part:
            return
        parts = self.continued.setdefault(attribute, [getattr(self, attribute)])
        length = self.continued_length.get(attribute, len(parts[0])) + 1 + len(part)
        self.continued_length[attribute] = length
        if length <= CELL_MAX_CHARS + 1:
            parts.append(part)

    def join_continued(self) -> list[tuple[str, int]]:
        """Joins the parts; the attributes whose text is longer than a cell, with lengths."""
        too_long_ones = []
        for attribute, parts in self.continued.items():
            text = join_all(parts)
            length = self.continued_length[attribute]
            if length <= CELL_MAX_CHARS + 1:  # every part kept: the text's own length
                length = len(text)
            if length > CELL_MAX_CHARS:
                too_long_ones.append((attribute, length))
                text = text[:CELL_MAX_CHARS]
            setattr(self, attribute, text)
        self.continued.clear()
        return too_long_ones

    @property
    def is_section(self) -> bool:
        return not (self.deadline_text or self.responsible_text or self.document_type)

    @property
    def parts(self) -> list[str]:
        return self.number.rstrip(".").split(".")


@dataclass
class ReadReport:
    source: str
    title: str = ""
    items: list[ParsedItem] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    header_lines: list[int] = field(default_factory=list)
    joined_lines: list[int] = field(default_factory=list)
    # The first header's cells as the document words them ("responsible": «Ответственный
    # исполнитель»), so the plan's XLSX keeps its document's headers.
    headers: dict[str, str] = field(default_factory=dict)
    resolved: bool = False

    def warn(self, line: int | None, text: str) -> None:
        self.messages.append(Message(line, text))

    def error(self, line: int | None, text: str) -> None:
        self.messages.append(Message(line, text, is_error=True))

    def skip(self, line: int | None, text: str) -> None:
        self.messages.append(Message(line, text, skipped=True))

    @property
    def skipped(self) -> list[Message]:
        return [m for m in self.messages if m.skipped]

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.is_error]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if not m.is_error]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def sections(self) -> list[ParsedItem]:
        return [i for i in self.items if i.is_section]

    @property
    def measures(self) -> list[ParsedItem]:
        return [i for i in self.items if not i.is_section]

    def item(self, number: str) -> ParsedItem:
        wanted = canonical_number(number)
        return next(i for i in self.items if i.number == wanted)

    def report(self) -> ImportReport:
        """The table as the portal's import report: a row per item (each new: a plan is
        loaded once, a newer edition is compared by `amendments`), with the messages of its
        line; the others are the file's."""
        report = ImportReport(sheet_name=self.source)
        rows = {}
        for parsed in self.items:
            refs = [(r.name, r.organization and r.organization.pk) for r in parsed.responsibles]
            rows[parsed.line] = ImportRow(
                row=parsed.line,
                identifier=parsed.number,
                values={**{a: getattr(parsed, a) for a in COLUMN_TITLES}, "responsibles": refs},
            )
            report.rows.append(rows[parsed.line])
        for message in self.messages:
            row = rows.get(message.line)
            if row is None:
                if message.is_error:  # a warning of no item (a page header skipped) is the text's
                    report.file_errors.append(str(message))
            elif message.is_error:
                row.errors.append(message.text)
                row.action = ERROR
            else:
                row.warnings.append(message.text)
        return report

    def fingerprint(self) -> str:
        """Changes when what the import would write changes."""
        return self.report().fingerprint()

    def text(self) -> str:
        """The report as the import command prints it (Russian)."""
        lines = [f"Файл: {self.source}"]
        if self.title:
            lines.append(f"Наименование: {self.title}")
        lines.append(
            f"Пунктов: {len(self.items)} (разделов — {len(self.sections)}, "
            f"мероприятий — {len(self.measures)})"
        )
        if len(self.header_lines) > 1:
            lines.append(
                "Повторы шапки таблицы после разрывов страниц пропущены: строки "
                + ", ".join(map(str, self.header_lines[1:]))
            )
        if self.joined_lines:
            lines.append(
                "Строки, продолжающие ячейки предыдущего пункта (перенос на другую страницу): "
                + ", ".join(map(str, self.joined_lines))
            )
        kinds = Counter(i.deadline.kind for i in self.measures if i.deadline)
        lines.append(
            "Сроки мероприятий: "
            + ", ".join(f"{DeadlineKind(k).label} — {kinds.get(k, 0)}" for k in DeadlineKind)
        )
        if self.resolved:
            refs = [r for i in self.items for r in i.responsibles]
            found = sum(1 for r in refs if r.organization is not None)
            lines.append(
                f"Ответственные: организаций портала — {found}, сохранено текстом — "
                f"{len(refs) - found}"
            )
        lines += message_lines(self.errors, self.warnings)
        return "\n".join(lines)


def canonical_number(number: str) -> str:
    return number.strip().rstrip(".") + "."


TITLE_START = ("план мероприятий", "типовой план")


def _title(prose: list[str]) -> str:
    """The plan's name: from the last line before the table that starts "План мероприятий" or
    "Типовой план", up to the table (seed 003 spreads it over four lines)."""
    start = None
    for index, line in enumerate(prose):
        if normalize_text(line).lstrip('"«').startswith(TITLE_START):
            start = index
    if start is None:
        return ""
    return " ".join(line.strip() for line in prose[start:] if line.strip())


def _row_values(report: ReadReport, line: int, cells: list[str], columns: dict) -> dict:
    """A table row's cells by the header's columns; text outside them is reported, not read."""
    values = {name: cells[index] if index < len(cells) else "" for name, index in columns.items()}
    for name in FIELDS:
        values.setdefault(name, "")
    stray = [c for index, c in enumerate(cells) if c and index not in set(columns.values())]
    if stray:
        report.skip(line, f"текст вне столбцов таблицы пропущен: «{stray[0][:60]}»")
    return values


def parse_rows(rows: list[Row], source: str = "") -> ReadReport:
    report = ReadReport(source=source)
    columns: dict[str, int] | None = None
    in_table = False
    prose: list[str] = []
    current: ParsedItem | None = None

    for row in rows:
        for index, length in sorted(row.long.items()):
            report.error(None, too_long(f"Графа {index + 1} строки {row.line}", length))
        cells = [clean_cell(c) for c in row.cells]
        if not any(cells):
            continue
        found = header_columns(cells) if row.tabular else None
        if found:
            if columns is not None and found != columns:
                report.warn(row.line, "шапка таблицы с другим порядком столбцов: учтен новый")
            columns, in_table = found, True
            report.header_lines.append(row.line)
            if not report.headers:
                report.headers = {name: cells[index] for name, index in found.items()}
            continue
        if columns is None:
            prose.append(" ".join(c for c in cells if c))  # before the table: the title
            continue
        if not row.tabular:
            in_table = False  # prose after a table (a note, the next appendix)
            continue
        if not in_table:
            continue  # another table of the document, e.g. a form of a segment profile
        values = _row_values(report, row.line, cells, columns)
        number_cell = values["number"]
        if not number_cell:
            if current is None:
                report.skip(row.line, "строка без номера пункта перед первым пунктом пропущена")
                continue
            # the rest of the previous row's cells, carried over to the next page
            # Parts are collected and joined once in _finish (joining row by row copied the
            # text so far each time: quadratic on a long run of continuation rows).
            for name, attribute in CONTINUED.items():
                current.add_part(attribute, values[name])
            current.lines.append(row.line)
            report.joined_lines.append(row.line)
            continue
        match = NUMBER.match(number_cell)
        if not match:
            report.skip(
                row.line, f"номер пункта «{number_cell[:60]}» не распознан: строка пропущена"
            )
            current = None
            continue
        text = values["text"]
        if match["rest"]:  # "1. Организационные мероприятия" in the number cell
            text = join_parts(match["rest"].strip(), text)
        current = ParsedItem(
            number=canonical_number(match["number"]),
            line=row.line,
            text=text,
            deadline_text=values["deadline"],
            responsible_text=values["responsible"],
            document_type=values["document_type"],
            lines=[row.line],
        )
        report.items.append(current)

    if columns is None:
        report.error(
            None,
            "таблица дорожной карты не найдена: нет строки заголовка со столбцами "
            "«№ п/п», «Мероприятие», «Срок реализации»",
        )
    report.title = _title(prose)
    _finish(report)
    return report


def _finish(report: ReadReport) -> None:
    seen: dict[str, ParsedItem] = {}
    for item in report.items:
        for attribute, length in item.join_continued():
            lines = ", ".join(str(line) for line in item.lines[:10])
            if len(item.lines) > 10:
                lines += f" … {item.lines[-1]}"
            report.error(
                item.line,
                too_long(
                    f"Пункт {item.number}, графа {COLUMN_TITLES[attribute]} (строки {lines})",
                    length,
                ),
            )
        notes: list[str] = []
        item.text, found = split_footnotes(item.text)
        notes += found
        item.document_type, found = split_footnotes(item.document_type)
        notes += found
        item.footnotes = notes
        item.deadline = parse_deadline(item.deadline_text)
        item.deadline_text = item.deadline.text
        if item.deadline.problem:
            report.warn(item.line, f"пункт {item.number}: {item.deadline.problem}")
        if not item.text:
            report.warn(item.line, f"пункт {item.number}: нет текста мероприятия")
        if item.number in seen:
            report.error(
                item.line,
                f"пункт {item.number} встречается второй раз (первый — строка "
                f"{seen[item.number].line})",
            )
            continue
        parts = item.parts
        for size in range(len(parts) - 1, 0, -1):
            candidate = ".".join(parts[:size]) + "."
            if candidate in seen:
                item.parent_number = candidate
                break
        if len(parts) > 1 and item.parent_number != ".".join(parts[:-1]) + ".":
            report.warn(
                item.line,
                f"пункт {item.number}: нет раздела {'.'.join(parts[:-1])}. выше по таблице",
            )
        seen[item.number] = item
    parents = {i.parent_number for i in report.items}
    for item in report.items:
        if item.is_section and item.number not in parents:
            report.warn(
                item.line,
                f"пункт {item.number} без срока, ответственного и вида документа и без "
                "подпунктов: загружен как раздел",
            )


# ---------------------------------------------------------------------------------------------
# Responsible bodies

DEFINITION = re.compile(
    r"^(?P<name>.*?)\s*\(\s*далее\s*[-–—]\s*(?P<alias>[^()]+?)\s*\)\s*$", re.DOTALL
)


class OrganizationIndex:
    """Every organization by its full and short names and aliases (normalized), limited to
    the tree of the roadmap's owner when there is one."""

    def __init__(self, owner: Organization | None = None):
        orgs = list(Organization.objects.select_related("successor").prefetch_related("aliases"))
        parents = {o.pk: o.parent_id for o in orgs}

        def root(pk):
            while parents.get(pk):
                pk = parents[pk]
            return pk

        owner_root = root(owner.pk) if owner else None
        self.owner_authority_id = owner.authority_id if owner else None
        self.by_name: dict[str, list[Organization]] = {}
        for org in orgs:
            if owner_root is not None and root(org.pk) != owner_root:
                continue
            names = {org.full_name, org.short_name, *(a.name for a in org.aliases.all())}
            for name in {normalize_text(n) for n in names if n}:
                self.by_name.setdefault(name, []).append(org)

    def find(self, name: str) -> tuple[Organization | None, str]:
        """The organization, or None and why (Russian) when there is none or several."""
        found = self.by_name.get(normalize_text(name), [])
        if len(found) > 1 and self.owner_authority_id:
            own = [o for o in found if o.authority_id == self.owner_authority_id]
            found = own or found
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, "не найден среди организаций портала"
        names = "; ".join(o.full_name for o in found)
        return None, f"подходит нескольким организациям ({names})"


def split_responsible(text: str) -> list[str]:
    return [part.strip(" ,") for part in text.split(";") if part.strip(" ,")]


def resolve_responsibles(report: ReadReport, owner: Organization | None = None) -> ReadReport:
    """Each responsible body of each item: an organization of the portal (found by name,
    short name, alias, or a short name the document itself defines "(далее – АГ СО)"), or
    the name as written. Names not found are reported once, with their lines."""
    index = OrganizationIndex(owner)
    defined: dict[str, tuple[Organization | None, str]] = {}  # short name -> (org, full name)
    unknown: dict[str, tuple[str, list[int]]] = {}
    for item in report.items:
        item.responsibles = []
        for part in split_responsible(item.responsible_text):
            match = DEFINITION.match(part)
            alias = ""
            name = part
            if match:
                name, alias = match["name"].strip(), match["alias"].strip()
            org, why = index.find(name)
            if org is None and normalize_text(name) in defined:
                org, full_name = defined[normalize_text(name)]
                why = f"(так документ сокращает «{full_name}») не найден среди организаций портала"
            if org is None and alias:
                org, _ = index.find(alias)
            if alias:
                defined[normalize_text(alias)] = (org, name)
            item.responsibles.append(ResponsibleRef(name=name, organization=org, alias=alias))
            if org is None:
                entry = unknown.setdefault(normalize_text(name), (f"«{name}» {why}", []))
                entry[1].append(item.line)
    for text, lines in unknown.values():
        shown = ", ".join(map(str, lines[:10])) + (" …" if len(lines) > 10 else "")
        report.warn(
            lines[0],
            f"ответственный {text}: сохранен как текст (строки {shown})",
        )
    report.resolved = True
    return report


def read_roadmap(
    path: Path | str, owner: Organization | None = None, data: bytes | None = None
) -> ReadReport:
    """Reads a file (text with tabs, XLSX or XLS) and resolves its responsible bodies."""
    path = Path(path)
    report = parse_rows(rows_from_file(path, data), source=path.name)
    return resolve_responsibles(report, owner)
