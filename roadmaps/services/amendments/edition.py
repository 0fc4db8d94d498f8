"""A newer edition of the plan read from a file, as the edits that turn the plan into it."""

from __future__ import annotations

from portal.imports import message_lines
from roadmaps.models import ItemStatus, Roadmap
from roadmaps.services.amendments.compare import plan_amendment
from roadmaps.services.amendments.plan import AmendmentPlan, ItemEdit
from roadmaps.services.reader import ReadReport


def edition_edits(roadmap: Roadmap, report: ReadReport) -> list[ItemEdit]:
    """The edits that turn the plan into the edition read from a file: items by number —
    changed, new, and those the edition no longer has (cancelled, never deleted)."""
    current = {i.number: i for i in roadmap.items.all()}
    edits = []
    for parsed in report.items:
        item = current.pop(parsed.number, None)
        edits.append(
            ItemEdit(
                number=parsed.number,
                text=parsed.text,
                deadline_text=parsed.deadline_text,
                responsible_text=parsed.responsible_text,
                document_type=parsed.document_type,
                footnotes=", ".join(parsed.footnotes),
                item_id=item.pk if item else None,
                line=parsed.line,
            )
        )
    for item in current.values():
        if item.status != ItemStatus.CANCELLED:
            edits.append(ItemEdit(number=item.number, item_id=item.pk, cancel=True))
    return edits


def plan_text(plan: AmendmentPlan) -> str:
    """The plan as the import command prints it (Russian)."""
    lines = [f"Изменения плана «{plan.roadmap}»: {plan.counts_text}."]
    for change in plan.changes:
        lines.append(f"  {change.number} — {change.kind_label}")
        for f in change.fields:
            lines.append(f"      {f.label}: «{f.old}» → «{f.new}»")
    lines += message_lines(plan.errors, plan.warnings)
    return "\n".join(lines)


def plan_edition(roadmap: Roadmap, report: ReadReport) -> AmendmentPlan:
    """A newer edition read from a file, checked. A row of the table the reader left out would
    read as an item dropped by the edition, so it stops the edition until the file is fixed."""
    plan = plan_amendment(roadmap, edition_edits(roadmap, report))
    for message in report.skipped:
        plan.errors.append(
            f"Строка {message.line} файла: {message.text}. В новой редакции должна быть "
            "прочитана каждая строка таблицы — иначе пункт будет считаться исключенным; "
            "исправьте файл."
        )
    return plan
