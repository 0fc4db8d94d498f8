"""What every import of a spreadsheet shares (the registry's, a roadmap's, a roadmap's new
edition): one refusal, one report, one flow.

The flow: the file is read once through `portal.spreadsheets`; a preview report is built
without writing (each row with its number, action, changes, errors and warnings); the apply
builds the report again against the data as it is now and writes only when it has no errors
and its fingerprint is the one of the preview the user confirmed (`check_confirmed`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import asdict, dataclass, field

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
REMOVED, RESTORED = "removed", "restored"
ACTION_LABELS = {
    NEW: "новая",
    CHANGED: "изменена",
    UNCHANGED: "без изменений",
    ERROR: "ошибка",
    REMOVED: "исключена",
    RESTORED: "восстановлена",
}


class ImportRefused(Exception):
    """Nothing was written. `message` says why in Russian, naming the file, row or column;
    `report` is the report the refusal rests on, when there is one."""

    def __init__(self, message: str, report: ImportReport | None = None):
        super().__init__(message)
        self.message = message
        self.report = report


def fingerprint(payload) -> str:
    """A digest of JSON-able content: equal content, equal fingerprint."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class RowChange:
    column: int | str  # the column's number (or the field's name)
    header: str
    old: str
    new: str


@dataclass
class ImportRow:
    row: int  # as the file numbers it, from 1
    identifier: str  # what matches the row to a record: a process identifier, an item number
    action: str = NEW
    changes: list[RowChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class ImportReport:
    sheet_name: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    # the actions `counts` lists, in this order
    COUNTED = (NEW, CHANGED, UNCHANGED, ERROR)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.action == ERROR for r in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in self.COUNTED}

    def fingerprint(self) -> str:
        """Changes only when what would be written changes."""
        return fingerprint(
            [
                (r.identifier, r.action, r.values, [asdict(c) for c in r.changes])
                for r in self.rows
                if r.action != UNCHANGED
            ]
        )

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict):
        names = {f.name for f in dataclasses.fields(cls)} - {"rows"}
        rows = [
            ImportRow(**{**row, "changes": [RowChange(**c) for c in row["changes"]]})
            for row in data["rows"]
        ]
        return cls(rows=rows, **{name: data[name] for name in names if name in data})


def check_confirmed(report, expected: str | None, *, errors: str, stale: str) -> None:
    """Refuses a report with errors, or one that differs from the preview confirmed
    (`expected`: its fingerprint; None when the caller read and applies in one go)."""
    if report.has_errors:
        raise ImportRefused(errors, report)
    if expected is not None and report.fingerprint() != expected:
        raise ImportRefused(stale, report)


def message_lines(errors: list, warnings: list) -> list[str]:
    """The errors and warnings of a report as the import commands print them."""
    lines = []
    if errors:
        lines.append(f"Ошибки ({len(errors)}):")
        lines.extend(f"  {e}" for e in errors)
    if warnings:
        lines.append(f"Предупреждения ({len(warnings)}):")
        lines.extend(f"  {w}" for w in warnings)
    return lines
