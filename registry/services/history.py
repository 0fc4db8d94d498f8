"""A row's history as people read it: who, when, why, and which columns changed from what to
what, links included; and restoring an earlier state as a new change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from registry import columns as spec
from registry.columns import COLUMN_FIELDS, edition_columns
from registry.models import (
    LifeSituation,
    LinkType,
    Organization,
    PlacementPoint,
    Process,
    ProcessLink,
    User,
)
from registry.services import processes as process_service
from registry.services import row_values

RESTORED_FIELDS = [*COLUMN_FIELDS, "unit"]
FOREIGN_KEYS = {
    **row_values.FOREIGN_KEYS,
    "unit": Organization,
    "life_situation": LifeSituation,
    "excluded_by": User,
}
IGNORED = {"version", "created_at", "created_by", "updated_by", "authority", "excluded_at"}
TYPE_LABELS = {"+": "внесение", "~": "изменение", "-": "удаление"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    history_id: int | None = None  # a state of the row that can be restored
    is_current: bool = False


def _label(name: str, columns) -> str:
    column = spec.by_model_field(name)
    if column is not None and column.number in columns:
        return column.label(columns) + column.history_note(name)
    return str(Process._meta.get_field(name).verbose_name).capitalize()


def row_history(process: Process) -> list[HistoryEntry]:
    columns = edition_columns(process.authority.edition)
    records = list(
        # Column 14 of each state is read per state (diff_against does): a row's history
        # is a page of states, not thousands.
        process.history.select_related("history_user")
    )  # newest first
    names = _names_for(records)
    points = dict(PlacementPoint.objects.values_list("pk", "name"))
    entries = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        entry = HistoryEntry(
            when=record.history_date,
            who=str(record.history_user or "система"),
            kind=TYPE_LABELS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
            history_id=record.history_id,
            is_current=index == 0,
        )
        if older is not None:
            delta = record.diff_against(older, foreign_keys_are_objs=False)
            for change in delta.changes:
                if change.field in IGNORED:
                    continue
                entry.changes.append(
                    FieldChange(
                        _label(change.field, columns),
                        _show(change.field, change.old, names, points),
                        _show(change.field, change.new, names, points),
                    )
                )
        entries.append(entry)
    entries.extend(_link_entries(process))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _names_for(records) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = {name: set() for name in FOREIGN_KEYS}
    for record in records:
        for name in FOREIGN_KEYS:
            value = getattr(record, f"{name}_id")
            if value is not None:
                wanted[name].add(value)
    names = {}
    for name, ids in wanted.items():
        for obj in FOREIGN_KEYS[name].objects.filter(pk__in=ids):
            names[(name, obj.pk)] = str(obj)
    return names


def _show(name, value, names, points) -> str:
    if value in (None, ""):
        return "—"
    if name == "placement_points":
        return "; ".join(points.get(item["placementpoint"], "?") for item in value) or "—"
    if name in FOREIGN_KEYS:
        return names.get((name, value), str(value))
    if isinstance(value, bool):
        return "да" if value else "нет"
    return str(value)


def _link_entries(process: Process) -> list[HistoryEntry]:
    """Links added and removed, from either row's side, as changes of column 12."""
    history = ProcessLink.history.filter(Q(predecessor_id=process.pk) | Q(successor_id=process.pk))
    rows = list(history.select_related("history_user").order_by("history_date"))
    others = {
        p.pk: p
        for p in Process.objects.link_targets().filter(
            pk__in={r.predecessor_id for r in rows} | {r.successor_id for r in rows}
        )
    }
    columns = edition_columns(process.authority.edition)
    number = spec.LINKS.number
    header = spec.LINKS.label(columns) if number in columns else str(number)
    entries = []
    for record in rows:
        if record.history_type == "+":
            verb, old_new = "добавлена связь", ("—", None)
        elif record.history_type == "~" and record.removed_at is not None:
            verb, old_new = "удалена связь", (None, "—")
        else:
            continue
        if record.successor_id == process.pk:
            other, link_type = others.get(record.predecessor_id), LinkType.PREDECESSOR
        else:
            other, link_type = others.get(record.successor_id), LinkType.SUCCESSOR
        text = (
            f"{process_service.describe(other, process)} ({LinkType(link_type).label})"
            if other
            else "?"
        )
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user or "система"),
                kind=verb,
                reason="",
                changes=[
                    FieldChange(
                        header,
                        old_new[0] if old_new[0] is not None else text,
                        old_new[1] if old_new[1] is not None else text,
                    )
                ],
            )
        )
    return entries


@transaction.atomic
def restore_state(process: Process, history_id: int, expected_version: int, user) -> Process:
    """Brings the row back to an earlier state as a new change; history stays as it was."""
    record = process.history.get(history_id=history_id)
    for name in RESTORED_FIELDS:
        setattr(
            process,
            f"{name}_id" if name in FOREIGN_KEYS else name,
            getattr(record, f"{name}_id" if name in FOREIGN_KEYS else name),
        )
    points = list(record.placement_points.values_list("placementpoint_id", flat=True))
    links = [
        process_service.LinkSpec(other, link_type) for other, link_type in process.related_links()
    ]
    when = timezone.localtime(record.history_date)
    return process_service.update_process(
        process,
        expected_version,
        points,
        links,
        user,
        reason=f"Восстановлено состояние от {when:%d.%m.%Y %H:%M}",
    )
