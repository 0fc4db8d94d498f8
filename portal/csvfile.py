"""CSV files for spreadsheet programs as Russian installations open them: ";" between cells,
UTF-8 with a BOM (so the Cyrillic is read), and text that would run as a formula kept as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

# What Excel and LibreOffice start a formula (or a DDE call) with.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell as text; a leading apostrophe keeps formula-like text from running."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_cell(v) for v in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
