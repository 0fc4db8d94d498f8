"""Reads a spreadsheet in a child process with a memory and time limit.

A few kilobytes of XLSX or XLS can declare cells far apart (A1 and XFD50000), and a reader
that builds the sheet as one rectangle then asks for gigabytes. The child process gets an
address-space limit: such a file ends the child, not the portal's worker. A plain subprocess,
not multiprocessing: spawn would import the parent's __main__ (gunicorn, pytest) again.

This module imports no Django, so the spawned child starts quickly.
"""

from __future__ import annotations

import io
import pickle
import resource
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class SheetLoadError(Exception):
    pass


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
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip(), False


def load_sheets(data: bytes, max_rows: int, max_columns: int) -> list[dict]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        return [{"error": "password"}]
    sheets = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        if sheet.total_height > max_rows or sheet.total_width > max_columns:
            sheets.append({"name": name, "too_big": (sheet.total_height, sheet.total_width)})
            continue
        grid, typed = [], []
        for r, row in enumerate(sheet.to_python(skip_empty_area=False)):
            texts = []
            for c, value in enumerate(row):
                text, is_typed = cell_text(value)
                texts.append(text)
                if is_typed:
                    typed.append((r, c))
            grid.append(texts)
        sheets.append(
            {"name": name, "grid": grid, "typed": typed, "merged": sheet.merged_cell_ranges or []}
        )
    return sheets


def load_sheets_isolated(
    data: bytes, max_rows: int, max_columns: int, memory_bytes: int, timeout: float
) -> list[dict]:
    """load_sheets() in `python -m registry.services.sheet_worker`, limited in memory and time."""
    try:
        process = subprocess.run(
            [sys.executable, "-m", __name__, str(max_rows), str(max_columns), str(memory_bytes)],
            input=data,
            capture_output=True,
            timeout=timeout,
            cwd=PROJECT_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise SheetLoadError("timeout") from error
    if process.returncode != 0:
        stderr = process.stderr.decode(errors="replace")
        if process.returncode < 0 or "MemoryError" in stderr or "memory allocation" in stderr:
            raise SheetLoadError("memory")
        raise SheetLoadError(stderr.strip().splitlines()[-1] if stderr.strip() else "ошибка чтения")
    return pickle.loads(process.stdout)  # noqa: S301 - our own child process wrote it


def _main() -> None:
    max_rows, max_columns, memory_bytes = (int(a) for a in sys.argv[1:4])
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    data = sys.stdin.buffer.read()
    sheets = load_sheets(data, max_rows, max_columns)
    sys.stdout.buffer.write(pickle.dumps(sheets, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _main()
