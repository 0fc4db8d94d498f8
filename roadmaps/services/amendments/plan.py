"""The plan of an amendment: the edits (typed into the form or read from a newer edition)
compared with the plan as it stands and checked, nothing written; its `report()` is the
portal's import report (`portal.imports`), whose fingerprint the apply checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.imports import (
    CHANGED,
    ERROR,
    NEW,
    REMOVED,
    RESTORED,
    ImportRefused,
    ImportReport,
    ImportRow,
)
from portal.imports import RowChange as ReportChange
from roadmaps.models import (
    ItemStatus,
    Roadmap,
    RoadmapItem,
)
from roadmaps.services import items as item_service
from roadmaps.services.reader import (
    ResponsibleRef,
    clean_cell,
)

# The columns of the plan an act changes, in the document's order, with their headings.
COLUMNS = (
    ("text", "Мероприятие"),
    ("deadline_text", "Срок реализации"),
    ("responsible_text", "Ответственный"),
    ("document_type", "Вид документа"),
)
COLUMN_LABELS = dict(COLUMNS)
SECTION_COLUMNS = ("deadline_text", "responsible_text", "document_type")


# Nothing was written; the message says why, in Russian.
AmendmentRefused = ImportRefused


@dataclass
class ItemEdit:
    """One row of the plan as the act (or the new edition) words it."""

    number: str
    text: str = ""
    deadline_text: str = ""
    responsible_text: str = ""
    document_type: str = ""
    footnotes: str | None = None  # None: keep the item's own
    item_id: int | None = None  # None: a new item
    cancel: bool = False
    line: int | None = None  # the line of the edition's file, for messages

    @classmethod
    def of(cls, item: RoadmapItem) -> ItemEdit:
        """The item's row as the plan words it now."""
        values = item_service.row_values(item, ("number", *item_service.AMENDABLE))
        return cls(**values, item_id=item.pk, cancel=item.status == ItemStatus.CANCELLED)

    def cleaned(self) -> ItemEdit:
        for name, _ in COLUMNS:
            setattr(self, name, clean_cell(getattr(self, name)))
        self.number = self.number.strip()
        return self

    @property
    def blank(self) -> bool:
        return not (self.number or any(getattr(self, n) for n, _ in COLUMNS))


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class PlannedChange:
    kind: str  # "changed", "new" or "cancelled"
    number: str
    edit: ItemEdit
    item: RoadmapItem | None = None
    fields: list[FieldChange] = field(default_factory=list)
    responsibles: list[ResponsibleRef] = field(default_factory=list)

    KIND_LABELS = {
        "changed": "изменен",
        "new": "новый пункт",
        "cancelled": "исключен",
        "restored": "восстановлен",
    }

    @property
    def kind_label(self) -> str:
        return self.KIND_LABELS[self.kind]

    @property
    def is_section(self) -> bool:
        if self.item is not None:
            return self.item.is_section
        return not any(getattr(self.edit, n) for n in SECTION_COLUMNS)


@dataclass
class AmendmentPlan:
    roadmap: Roadmap
    changes: list[PlannedChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # item number -> its errors, so a form can mark the row
    row_errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, where: str | tuple[str, int | None], text: str) -> None:
        """`where`: the item's number, or (number, line of the edition's file)."""
        number, line = where if isinstance(where, tuple) else (where, None)
        shown = f"{number} (строка {line} файла)" if line else number
        self.errors.append(f"Пункт {shown}: {text}" if number else text)
        self.row_errors.setdefault(number, []).append(text)

    def warn(self, number: str, text: str) -> None:
        self.warnings.append(f"Пункт {number}: {text}")

    # every edit given, unchanged rows too: the rows a form shows again
    edits: list[ItemEdit] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"changed": 0, "new": 0, "cancelled": 0, "restored": 0}
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    @property
    def counts_text(self) -> str:
        return counts_text(self.counts)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def report(self) -> ImportReport:
        """The plan as the portal's import report: a row per changed item."""
        report = ImportReport(file_errors=list(self.errors))  # each naming its item or line
        for change in self.changes:
            errors = list(self.row_errors.get(change.number, []))
            report.rows.append(
                ImportRow(
                    row=change.edit.line or 0,
                    identifier=change.number,
                    action=ERROR if errors else REPORT_ACTIONS[change.kind],
                    changes=[ReportChange(f.name, f.label, f.old, f.new) for f in change.fields],
                    errors=errors,
                    values={"item": change.item.pk if change.item else None},
                )
            )
        return report

    def fingerprint(self) -> str:
        """Changes when what the amendment would write changes (the old values included, so
        a plan changed since the preview differs)."""
        return self.report().fingerprint()


REPORT_ACTIONS = {"changed": CHANGED, "new": NEW, "cancelled": REMOVED, "restored": RESTORED}


def counts_text(counts: dict[str, int]) -> str:
    """ "изменено пунктов — 1, новых — 0, исключено — 0, восстановлено — 0" """
    return (
        f"изменено пунктов — {counts['changed']}, новых — {counts['new']}, исключено — "
        f"{counts['cancelled']}, восстановлено — {counts['restored']}"
    )
