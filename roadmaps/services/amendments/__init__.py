"""Amending a roadmap by a legal act: the wording, deadlines and responsible bodies of items
change, new items appear, dropped ones are cancelled — all in one transaction, every change
resting on the act.

The changes come as `ItemEdit`s, typed into the amendment form (`page`) or read from a newer
edition of the plan (`edition`). `compare.plan_amendment` compares them with the plan as it
stands and checks them without writing anything (what the preview shows); `write` writes the
plan it was given, or nothing. The refusal is the portal's import refusal (`portal.imports`).
"""

from roadmaps.services import items as item_service  # noqa: F401 - patched by tests
from roadmaps.services.amendments.compare import plan_amendment
from roadmaps.services.amendments.edition import edition_edits, plan_edition, plan_text
from roadmaps.services.amendments.page import current_edits, form_initial, page_rows
from roadmaps.services.amendments.plan import (
    COLUMN_LABELS,
    COLUMNS,
    SECTION_COLUMNS,
    AmendmentPlan,
    AmendmentRefused,
    FieldChange,
    ItemEdit,
    PlannedChange,
    counts_text,
)
from roadmaps.services.amendments.write import STALE, amend_by_act, apply_amendment, check_act

__all__ = [
    "COLUMNS",
    "COLUMN_LABELS",
    "SECTION_COLUMNS",
    "STALE",
    "AmendmentPlan",
    "AmendmentRefused",
    "FieldChange",
    "ItemEdit",
    "PlannedChange",
    "amend_by_act",
    "apply_amendment",
    "check_act",
    "counts_text",
    "current_edits",
    "edition_edits",
    "form_initial",
    "page_rows",
    "plan_amendment",
    "plan_edition",
    "plan_text",
]
