"""A roadmap as it stood on a day or after an act, and what changed since a baseline.

Every saved state of an item carries `effective_date` (the date of the act it rests on, or the
day of an edit made without one) and `legal_act`. Acts are often entered after the fact: an
act of 17 February typed in on 1 March, after a status changed on 20 February. So a saved
state is read as the fields it changed against the state written before it, and the plan on
a day replays, for each item, the changes that took effect by then in the order they took
effect — the act's deadline on 17 February, the status on 20 February.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from roadmaps.models import LegalAct, Roadmap, RoadmapItem, number_sort_key

# The fields of an item whose changes a state carries (those history keeps, without the
# bookkeeping times).
_KEPT = {f.attname for f in RoadmapItem.history.model._meta.concrete_fields}
TRACKED = tuple(
    f.attname
    for f in RoadmapItem._meta.concrete_fields
    if f.attname in _KEPT and f.attname not in ("id", "created_at", "updated_at")
)


@dataclass
class Step:
    effective: date
    record: object  # the historical record
    changed: tuple[str, ...]  # TRACKED fields it changed against the record written before


def _timelines(roadmap: Roadmap) -> dict[int, list[Step]]:
    """Each item's changes in the order they took effect (one query for the whole plan)."""
    records = (
        RoadmapItem.history.filter(roadmap_id=roadmap.pk)
        .select_related("legal_act")
        .order_by("id", "history_date", "history_id")
    )
    timelines: dict[int, list[Step]] = defaultdict(list)
    written: dict[int, object] = {}
    for record in records:
        before = written.get(record.id)
        changed = (
            TRACKED
            if before is None
            else tuple(a for a in TRACKED if getattr(record, a) != getattr(before, a))
        )
        written[record.id] = record
        timelines[record.id].append(Step(record.effective_date or date.min, record, changed))
    for steps in timelines.values():
        steps.sort(key=lambda step: step.effective)  # stable: same day keeps the written order
    return timelines


def _state_on(steps: list[Step], day: date | None):
    """The item as it stood on `day` (None: with every change), or None before it existed."""
    state = None
    for step in steps:
        if day is not None and step.effective > day:
            break
        if state is None:
            state = copy.copy(step.record)
        else:
            for name in step.changed:
                setattr(state, name, getattr(step.record, name))
            state.history_type = step.record.history_type
    return state


def _states_on(timelines, day: date | None) -> dict[int, object]:
    states = {}
    for item_id, steps in timelines.items():
        state = _state_on(steps, day)
        if state is not None and state.history_type != "-":
            states[item_id] = state
    return states


def items_on(roadmap: Roadmap, day: date) -> list:
    """The items as they stood on `day`, in the document's order."""
    states = _states_on(_timelines(roadmap), day).values()
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


COMPARED = (
    "text",
    "deadline_text",
    "responsible_text",
    "document_type",
    "footnotes",
    "status",
    "number",
)


def changes_since(roadmap: Roadmap, baseline: date, day: date | None = None) -> dict[int, Change]:
    """Items added or changed after `baseline` (up to `day`): what a page highlights."""
    timelines = _timelines(roadmap)
    before = _states_on(timelines, baseline)
    after = _states_on(timelines, day)
    changes: dict[int, Change] = {}
    for item_id, steps in timelines.items():
        later = [s for s in steps if s.effective > baseline and (day is None or s.effective <= day)]
        if not later or item_id not in after:
            continue
        now = after[item_id]
        acts = []
        for step in later:
            act = step.record.legal_act
            if act is not None and act not in acts:
                acts.append(act)
        if item_id in before:
            old = before[item_id]
            fields = [f for f in COMPARED if getattr(old, f) != getattr(now, f)]
            changes[item_id] = Change(item_id, now.number, "changed", acts, fields)
        else:
            changes[item_id] = Change(item_id, now.number, "new", acts, [])
    return changes


def acts_of(roadmap: Roadmap) -> list[LegalAct]:
    """The acts the plan rests on (the approving one and every amending one: of its items,
    its title or footnote), by date."""
    acts = LegalAct.objects.filter(
        pk__in=RoadmapItem.history.filter(roadmap_id=roadmap.pk, legal_act__isnull=False).values(
            "legal_act_id"
        )
    ) | LegalAct.objects.filter(
        pk__in=Roadmap.history.filter(id=roadmap.pk, basis_act__isnull=False).values("basis_act_id")
    )
    if roadmap.legal_act_id:
        acts = acts | LegalAct.objects.filter(pk=roadmap.legal_act_id)
    return list(acts.distinct().order_by("date", "number"))


PLAN_WORDING = ("title", "footnote")


def wording_on(roadmap: Roadmap, day: date | None) -> dict[str, str]:
    """The plan's title and footnote as they stood on `day` (an act's changes from its date,
    in the order they took effect, as items' are read); today's when history has none."""
    records = list(Roadmap.history.filter(id=roadmap.pk).order_by("history_date", "history_id"))
    steps, before = [], None
    for record in records:
        changed = [
            n for n in PLAN_WORDING if before is None or getattr(record, n) != getattr(before, n)
        ]
        before = record
        # the plan as created is the base every edition starts from
        effective = date.min if record.history_type == "+" else record.effective_date
        steps.append((effective or date.min, record, changed))
    steps.sort(key=lambda step: step[0])
    wording = {n: getattr(roadmap, n) for n in PLAN_WORDING} if not steps else {}
    for effective, record, changed in steps:
        if day is not None and effective > day:
            break
        wording.update({n: getattr(record, n) for n in changed})
    return wording
