"""The rows of the amendment page: the plan's items as the form shows them, new rows to type,
and each row's planned change and errors once the plan is checked."""

from __future__ import annotations

import re

from roadmaps.models import RoadmapItem
from roadmaps.services.amendments.plan import AmendmentPlan, ItemEdit
from roadmaps.services.reader import canonical_number

NUMBER_ONLY = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")


def current_edits(items) -> list[ItemEdit]:
    """The plan's items as the form shows them before anything is typed."""
    return [ItemEdit.of(item) for item in items]


def form_initial(edits: list[ItemEdit], new_rows: int) -> list[dict]:
    """The form's rows: every item (and every typed row), then `new_rows` empty ones."""
    edits = [e for e in edits if e.item_id is not None or not e.blank]
    return [vars(edit) for edit in edits] + [{} for _ in range(new_rows)]


def page_rows(forms, items: dict[int, RoadmapItem], plan: AmendmentPlan | None) -> list[dict]:
    """`forms`: (form, its item id, its number) as posted or shown; each with its item, its
    planned change and its errors."""
    changes = {c.number: c for c in plan.changes} if plan else {}
    rows = []
    for form, item_id, number in forms:
        item = items.get(_int(item_id))
        number = item.number if item else (number or "").strip()
        number = canonical_number(number) if NUMBER_ONLY.match(number) else number
        rows.append(
            {
                "form": form,
                "item": item,
                "change": changes.get(number),
                "errors": plan.row_errors.get(number, []) if plan else [],
            }
        )
    return rows


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
