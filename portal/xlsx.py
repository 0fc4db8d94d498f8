"""What every XLSX the portal writes shares: its author's name, cell text as a spreadsheet
keeps it, and sheet names by Excel's rules."""

from __future__ import annotations

import re

PORTAL_NAME = "Портал внедрения Стандартов клиентоцентричности"
SHEET_NAME_LIMIT = 31


def normalize_breaks(value: str) -> str:
    """Line breaks as a spreadsheet keeps them: a bare CR would be stored as "_x000D_"."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def _fit(text: str, limit: int) -> str:
    """Cut to `limit` as Excel counts (UTF-16 units: a character beyond the basic plane
    counts twice), without a trailing space or apostrophe."""
    while len(text.encode("utf-16-le")) // 2 > limit:
        text = text[:-1]
    return text.rstrip(" '")


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not starting or ending with an
    apostrophe, unique in the workbook (ignoring case)."""
    base = _fit(re.sub(r"[\[\]:*?/\\]", " ", name).strip(" '"), SHEET_NAME_LIMIT)
    base = base or "Лист"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate = _fit(base, SHEET_NAME_LIMIT - len(suffix)) + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate
