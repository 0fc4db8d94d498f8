"""The child process that reads a spreadsheet: `python -m portal.spreadsheets.worker PARAMS`.

It runs under an address-space and CPU limit set before it reads a byte, so a hostile file
ends this process, never the portal's worker. Before python-calamine builds a sheet (calamine
allocates the whole declared rectangle: a cell at XFD1048576 asks for 512 GB), every XML part
of an XLSX is streamed once: DTDs (entity expansion) are refused, the unpacked size is
counted as it is inflated (a zip that lies about its sizes stops at its own CRC check), and
the sheets' declared dimension and cell references are checked against the row and column
limits. Cells are capped in length and the text returned is capped in total, so what comes
back to the parent is bounded too.

No Django here: the child starts in about 0.1 s. It answers with JSON on stdout: either
{"sheets": [...]} (rows as lists of strings) or {"error": code, ...}; the parent turns codes
into Russian sentences.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import resource
import signal
import sys
from datetime import date, datetime, time, timedelta

from portal.archives import ZIP_ERRORS, ArchiveRefused, open_zip, read_entry

# What portal.archives refuses, as the codes the parent words (reader.ARCHIVE_CODES too).
ARCHIVE_CODES = {
    "damaged": "corrupt_zip",
    "too_many_entries": "entries",
    "directory_too_big": "entries",
    "unpacks_too_big": "unpacked",
}

CHUNK = 1 << 20
# A cell reference in a column past Z (r="BM7"): only such columns can pass the limit, and
# a normal registry or plan has none, so the scan finds next to nothing in a normal file.
# Patterns start with the literal r=" (re scans for a literal fast, not for a class); the
# character before is checked on the few matches.
# XML allows either quote around an attribute: r='XFD1048576' is the same reference.
WIDE = re.compile(rb'r=["\']([A-Z]{2,3})([0-9]{1,9})["\']')
SPACE = b" \t\r\n"
DIMENSION = re.compile(
    rb'<dimension\s+ref=["\']([A-Z]{1,3})?([0-9]{1,9})?(?::([A-Z]{1,3})([0-9]{1,9}))?["\']'
)
DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class Refused(Exception):
    def __init__(self, code: str, **detail):
        super().__init__(code)
        self.code = code
        self.detail = detail


def column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + (byte - 64)
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value) -> tuple[str, bool]:
    """The cell as text, and whether it held a fractional number or a date (not text)."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("да" if value else "нет"), False
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value)), False
        return repr(value), True
    if isinstance(value, int):
        return str(value), False
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.strftime("%d.%m.%Y"), True
        return value.strftime("%d.%m.%Y %H:%M"), True
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y"), True
    if isinstance(value, time | timedelta):
        return str(value), True
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip(), False


def scan_xlsx(data: bytes, limits: dict) -> None:
    """Streams every part of the archive once, before calamine builds anything."""
    max_rows, max_columns = limits["max_rows"], limits["max_columns"]
    budget = limits["max_unpacked"]
    try:
        archive = open_zip(io.BytesIO(data), max_unpacked_bytes=budget, max_ratio=NO_RATIO)
        members = archive.infolist()
    except ArchiveRefused as refused:
        raise Refused(ARCHIVE_CODES[refused.code]) from refused
    if too_compressed(sum(m.file_size for m in members), len(data)):
        raise Refused("unpacked")
    # A row number with more digits than the limit (any column): past the limit for sure.
    # Rows between the limit and that are caught by the sheet's height after parsing, with
    # calamine's rectangle at most 10 x rows x columns cells, well within the memory limit.
    far = re.compile(rb'r=["\'][A-Z]{0,3}([0-9]{%d,9})["\']' % (len(str(max_rows)) + 1))
    names = {m.filename for m in members}
    if "mimetype" in names or "xl/workbook.bin" in names:
        raise Refused("other_format")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise Refused("not_xlsx_zip")
    sheet_names = worksheet_parts(archive, names)
    for member in members:
        if member.is_dir():
            continue
        # Every member is streamed and counted whatever its name; the sheets are the parts
        # the workbook's relationships name, wherever they lie, and xl/worksheets/*.
        is_sheet = member.filename in sheet_names
        tail = b""
        rows = max_row = max_column = 0
        try:
            with archive.open(member) as stream:
                while True:
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        break
                    budget -= len(chunk)
                    if budget < 0:
                        raise Refused("unpacked")
                    window = tail + chunk
                    if b"<!" in window and DTD.search(window):
                        raise Refused("dtd")
                    if is_sheet:
                        found = DIMENSION.search(window)
                        if found and found.group(4):
                            declared_rows = int(found.group(4))
                            declared_columns = column_number(found.group(3))
                            if declared_rows > max_rows or declared_columns > max_columns:
                                raise Refused(
                                    "declared",
                                    cell=found.group(3).decode() + found.group(4).decode(),
                                    rows=declared_rows,
                                    columns=declared_columns,
                                )
                        rows += chunk.count(b"<row ") + chunk.count(b"<row>")
                        for found in WIDE.finditer(window):
                            if found.start() and window[found.start() - 1] in SPACE:
                                max_column = max(max_column, column_number(found.group(1)))
                                max_row = max(max_row, int(found.group(2)))
                        for found in far.finditer(window):
                            if found.start() and window[found.start() - 1] in SPACE:
                                max_row = max(max_row, int(found.group(1)))
                        if max(rows, max_row) > max_rows or max_column > max_columns:
                            raise Refused(
                                "declared",
                                cell=column_letters(max(max_column, 1)) + str(max(rows, max_row)),
                                rows=max(rows, max_row),
                                columns=max_column,
                            )
                    tail = window[-64:]
        except ZIP_ERRORS as error:  # a CRC or size that does not match (a lie), a bad method
            raise Refused("corrupt_zip") from error


# One ratio rule for the parent's container check and this scan: declared unpacked size over
# 100 times the file plus 10 MB. Stricter than portal.archives' rule (200 times, from 1 MB)
# for any archive big enough to hurt, and it lets a small file with one long repeated cell
# through to be refused by name as a too long cell. archives' own ratio check is off.
MAX_ZIP_RATIO = 100
ZIP_ALLOWANCE = 10 * 1024 * 1024
NO_RATIO = 1 << 62


def too_compressed(unpacked: int, packed: int) -> bool:
    return unpacked > MAX_ZIP_RATIO * packed + ZIP_ALLOWANCE


RELATIONSHIP = re.compile(rb"<Relationship\b[^<>]{0,2000}>")
TARGET = re.compile(rb'Target=["\']([^"\'<>]{1,1000})["\']')


def worksheet_parts(archive, names: set[str]) -> set[str]:
    """The members calamine may read as sheets: every target of the workbook's relationships
    (a sheet need not be named xl/worksheets/*.xml) and whatever lies under xl/worksheets/."""
    parts = {n for n in names if n.startswith("xl/worksheets/")}
    if "xl/_rels/workbook.xml.rels" not in names:
        return parts
    try:
        rels = read_entry(archive, "xl/_rels/workbook.xml.rels")
    except ArchiveRefused as refused:
        raise Refused("corrupt_zip") from refused
    for relationship in RELATIONSHIP.findall(rels):
        found = TARGET.search(relationship)
        if not found:
            continue
        target = found.group(1).decode("utf-8", "replace").replace("\\", "/")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        parts.add(posixpath.normpath(target))
    return parts


def read_sheets(data: bytes, limits: dict) -> list[dict]:
    import python_calamine

    max_rows, max_columns = limits["max_rows"], limits["max_columns"]
    max_cell, text_budget = limits["max_cell"], limits["max_text"]
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as error:
        raise Refused("password") from error
    cells_budget = limits["max_cells"]
    sheets = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        height, width = sheet.total_height, sheet.total_width
        if height > max_rows or width > max_columns:
            raise Refused(
                "declared",
                sheet=name,
                cell=column_letters(max(width, 1)) + str(height),
                rows=height,
                columns=width,
            )
        # Every sheet costs its whole rectangle, empty or not: twenty sheets with a cell at A1
        # and one at BL50020 took 2 s each. The sum over the sheets is held to a budget.
        # total_height and total_width are the last row's and column's indexes (from 0).
        cells_budget -= (height + 1) * (width + 1)
        if cells_budget < 0:
            raise Refused("cells", sheet=name, cells=limits["max_cells"])
        merged = checked_merged(sheet.merged_cell_ranges or [], height + 1, width + 1, limits, name)
        grid: list[list[str]] = []
        typed, long_cells = [], []
        for r, values in enumerate(sheet.to_python(skip_empty_area=False)):
            texts = []
            for c, value in enumerate(values):
                if value.__class__ is str:  # most cells: the fast path
                    text = value.strip()
                    if "\r" in text:
                        text = text.replace("\r\n", "\n").replace("\r", "\n")
                else:
                    text, is_typed = cell_text(value)
                    if is_typed:
                        typed.append((r, c))
                if len(text) > max_cell:
                    long_cells.append((r, c, len(text)))
                    text = text[:max_cell]
                texts.append(text)
            while texts and not texts[-1]:
                texts.pop()
            text_budget -= sum(map(len, texts))
            if text_budget < 0:
                raise Refused("text", sheet=name, row=r + 1)
            grid.append(texts)
        while grid and not grid[-1]:
            grid.pop()
        if limits.get("fill_merged"):
            fill_merged(grid, merged)
        sheets.append(
            {
                "name": name,
                "grid": grid,
                "typed": typed,
                "long": long_cells,
                "merged": merged,
            }
        )
    return sheets


def checked_merged(ranges, height: int, width: int, limits: dict, name: str) -> list:
    """Merged ranges clamped to the sheet; too many of them, or too much area, refused.

    A range is declared freely in the XML (A1:XFD50000 in a 2.6 KB file): unchecked, filling
    it looped over its whole extent, 27 s a range."""
    if len(ranges) > limits["max_merged"]:
        raise Refused("merged", sheet=name, ranges=len(ranges))
    area_budget = height * width
    merged = []
    for (r0, c0), (r1, c1) in ranges:
        r1, c1 = min(r1, height - 1), min(c1, width - 1)
        if r0 > r1 or c0 > c1:
            continue
        area_budget -= (r1 - r0 + 1) * (c1 - c0 + 1)
        if area_budget < 0:
            raise Refused("merged", sheet=name, ranges=len(ranges))
        merged.append([[r0, c0], [r1, c1]])
    return merged


def fill_merged(grid: list[list[str]], merged) -> None:
    """A merged cell's value belongs to every cell of the range (e.g. one function over
    several process rows). Ranges are clamped and their total area bounded by the sheet's."""
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(grid):
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if row[c] == "":
                    row[c] = value


def peak_kb() -> int:
    """This process's own peak RSS (VmHWM starts afresh at exec, unlike getrusage's)."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):  # noqa: SIM115
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def read(data: bytes, limits: dict) -> dict:
    try:
        if data[:4] == b"PK\x03\x04":
            scan_xlsx(data, limits)
        return {"sheets": read_sheets(data, limits)}
    except Refused as refused:
        return {"error": refused.code, **refused.detail}
    except MemoryError:
        return {"error": "memory"}
    except Exception:  # noqa: BLE001 - whatever the library says, the file is unreadable
        return {"error": "corrupt"}


def _main() -> None:
    limits = json.loads(sys.argv[1])
    memory = limits["memory"]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # An abort (calamine failing to allocate) must not write a core of the user's file.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    seconds = max(1, int(limits["seconds"]))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    # The child writes no file and opens none beyond its standard streams and the library's.
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 16, 1 << 16))  # stderr is a file
    resource.setrlimit(resource.RLIMIT_NOFILE, (32, 32))
    # If the parent dies, nobody kills this process: it ends itself on the wall clock too.
    signal.alarm(seconds + 5)
    data = sys.stdin.buffer.read()
    result = read(data, limits)
    result["peak_kb"] = peak_kb()
    # JSON, not pickle: the parent must not run whatever a compromised child would send.
    answer = json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode()
    sys.stdout.buffer.write(answer)


if __name__ == "__main__":
    _main()
