"""The child process that reads a spreadsheet: `python -m portal.spreadsheets.worker PARAMS`.

It runs under an address-space and CPU limit set before it reads a byte, so a hostile file
ends this process, never the portal's worker. Before python-calamine builds a sheet (calamine
allocates the whole declared rectangle: a cell at XFD1048576 asks for 512 GB), every XML part
of an XLSX is streamed once: DTDs (entity expansion) are refused, the unpacked size is
counted as it is inflated (a zip that lies about its sizes stops at its own CRC check), and
the sheets' declared dimension and cell references are checked against the row and column
limits. Cells are capped in length and the text returned is capped in total, so what comes
back to the parent is bounded too.

No Django here: the child starts in about 0.1 s. It answers with a pickle on stdout: either
{"sheets": [...]} or {"error": code, ...}; the parent turns codes into Russian sentences.
"""

from __future__ import annotations

import io
import json
import pickle
import re
import resource
import sys
import zipfile
from datetime import date, datetime, time, timedelta

CHUNK = 1 << 20
# An attribute r="B7" (a cell) or r="7" (a row) in sheet XML.
REFERENCE = re.compile(rb'\sr="([A-Z]{0,3})([0-9]{1,9})"')
DIMENSION = re.compile(
    rb'<dimension\s+ref="([A-Z]{1,3})?([0-9]{1,9})?(?::([A-Z]{1,3})([0-9]{1,9}))?"'
)
ROW_TAG = re.compile(rb"<row[\s>/]")
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
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise Refused("corrupt_zip") from error
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names:
        raise Refused("not_xlsx_zip")
    for member in members:
        if member.is_dir():
            continue
        is_sheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue  # pictures and the like: calamine does not read them
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
                    if DTD.search(window):
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
                        rows += len(ROW_TAG.findall(chunk))
                        # the window repeats the tail: a reference cut in two counts once whole
                        for letters, digits in REFERENCE.findall(window):
                            row = int(digits)
                            if row > max_row:
                                max_row = row
                            if letters:
                                column = column_number(letters)
                                if column > max_column:
                                    max_column = column
                        if max(rows, max_row) > max_rows or max_column > max_columns:
                            raise Refused(
                                "declared",
                                cell=column_letters(max(max_column, 1)) + str(max(rows, max_row)),
                                rows=max(rows, max_row),
                                columns=max_column,
                            )
                    tail = window[-64:]
        except zipfile.BadZipFile as error:  # a CRC or size that does not match: a lie
            raise Refused("corrupt_zip") from error
        except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as error:
            raise Refused("corrupt_zip") from error


def read_sheets(data: bytes, limits: dict) -> list[dict]:
    import python_calamine

    max_rows, max_columns = limits["max_rows"], limits["max_columns"]
    max_cell, text_budget = limits["max_cell"], limits["max_text"]
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as error:
        raise Refused("password") from error
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
        start_row, start_column = sheet.start or (0, 0)
        # iter_rows() pads the rows above the data but not the columns left of it (0.9);
        # the padding is checked rather than assumed.
        rows_left = height
        grid: list[list[str]] = []
        typed, long_cells = [], []
        for r, values in enumerate(sheet.iter_rows()):
            rows_left -= 1
            pad = start_column if len(values) < width else 0
            texts = [""] * pad
            for c, value in enumerate(values, start=pad):
                text, is_typed = cell_text(value)
                if len(text) > max_cell:
                    long_cells.append((r, c, len(text)))
                    text = text[:max_cell]
                text_budget -= len(text)
                if text_budget < 0:
                    raise Refused("text", sheet=name, row=r + 1)
                texts.append(text)
                if is_typed:
                    typed.append((r, c))
            while texts and not texts[-1]:
                texts.pop()
            grid.append(texts)
        if rows_left > 0 and start_row and len(grid) < height:  # the rows above not padded
            grid[:0] = [[] for _ in range(start_row)]
            typed = [(r + start_row, c) for r, c in typed]
            long_cells = [(r + start_row, c, n) for r, c, n in long_cells]
        while grid and not grid[-1]:
            grid.pop()
        sheets.append(
            {
                "name": name,
                "grid": grid,
                "typed": typed,
                "long": long_cells,
                "merged": sheet.merged_cell_ranges or [],
            }
        )
    return sheets


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
    seconds = max(1, int(limits["seconds"]))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    data = sys.stdin.buffer.read()
    answer = pickle.dumps(read(data, limits), protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.write(answer)


if __name__ == "__main__":
    _main()
