"""A roadmap as it stood on a day or after an act, and what changed since a baseline.

Every saved state of an item carries `effective_date` (the date of the act it rests on, or the
day of an edit made without one) and `legal_act`. The plan on a day is, for each item, its
latest state that took effect by then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmaps.models import LegalAct, Roadmap, RoadmapItem, number_sort_key


def _states(roadmap: Roadmap, until: date | None = None):
    records = RoadmapItem.history.filter(roadmap_id=roadmap.pk).select_related("legal_act")
    if until is not None:
        records = records.filter(effective_date__lte=until)
    return records.order_by("id", "effective_date", "history_date", "history_id")


def items_on(roadmap: Roadmap, day: date) -> list:
    """The historical states of the items as they stood on `day`, in the document's order."""
    latest = {}
    for record in _states(roadmap, day):
        latest[record.id] = record
    states = [r for r in latest.values() if r.history_type != "-"]
    return sorted(states, key=lambda r: number_sort_key(r.number))


def items_after_act(roadmap: Roadmap, act: LegalAct) -> list:
    return items_on(roadmap, act.date)


@dataclass
class Change:
    item_id: int
    number: str
    kind: str  # "new" or "changed"
    acts: list[LegalAct]
    fields: list[str]


COMPARED = ("text", "deadline_text", "responsible_text", "document_type", "status", "number")


def changes_since(roadmap: Roadmap, baseline: date, day: date | None = None) -> dict[int, Change]:
    """Items added or changed after `baseline` (up to `day`): what a page highlights."""
    before = {r.id: r for r in items_on(roadmap, baseline)}
    changes: dict[int, Change] = {}
    latest = {}  # each item's state as it stands on `day` (the states come oldest first)
    for record in _states(roadmap, day):
        latest[record.id] = record
        if record.effective_date is None or record.effective_date <= baseline:
            continue
        change = changes.get(record.id)
        if change is None:
            change = changes[record.id] = Change(
                record.id, record.number, "changed" if record.id in before else "new", [], []
            )
        change.number = record.number
        if record.legal_act and record.legal_act not in change.acts:
            change.acts.append(record.legal_act)
    for item_id, change in changes.items():
        if change.kind == "changed":
            old, now = before[item_id], latest[item_id]
            change.fields = [f for f in COMPARED if getattr(old, f) != getattr(now, f)]
    return changes


def acts_of(roadmap: Roadmap) -> list[LegalAct]:
    """The acts the plan's items rest on (the approving one and every amending one), by date."""
    acts = LegalAct.objects.filter(
        pk__in=RoadmapItem.history.filter(roadmap_id=roadmap.pk, legal_act__isnull=False).values(
            "legal_act_id"
        )
    )
    if roadmap.legal_act_id:
        acts = acts | LegalAct.objects.filter(pk=roadmap.legal_act_id)
    return list(acts.distinct().order_by("date", "number"))
