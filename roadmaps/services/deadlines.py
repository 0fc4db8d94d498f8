"""Where a measure stands against its deadline on a given day, and the order a coordinator
reads them in: overdue first (the oldest first), then due soon, then later, then without a
date, then done, then cancelled."""

from __future__ import annotations

from datetime import date, timedelta

from roadmaps.choices import DeadlineState
from roadmaps.models import DeadlineKind, ItemStatus, RoadmapItem

DUE_SOON_DAYS = 14

# "до 01.09.2023" means the work is finished before 1 September: its last day is 31 August.
# A bare date ("31.12.2024") is itself the last day. One place to change if the coordinators
# read "до" inclusively.
UNTIL_IS_EXCLUSIVE = True


ORDER = list(DeadlineState)


def last_day(item: RoadmapItem) -> date | None:
    """The last day on which the measure is still on time (None without a date)."""
    if item.deadline_date is None:
        return None
    if item.deadline_kind == DeadlineKind.UNTIL and UNTIL_IS_EXCLUSIVE:
        return item.deadline_date - timedelta(days=1)
    return item.deadline_date


def classify(item: RoadmapItem, today: date, within_days: int = DUE_SOON_DAYS) -> DeadlineState:
    """Overdue when the last day has passed; due soon when it is today or within
    `within_days` calendar days; a measure the document already calls "Исполнено" is done."""
    if item.status == ItemStatus.DONE or item.deadline_kind == DeadlineKind.DONE:
        return DeadlineState.DONE
    if item.status == ItemStatus.CANCELLED:
        return DeadlineState.CANCELLED
    end = last_day(item)
    if end is None:
        return DeadlineState.NO_DATE
    if end < today:
        return DeadlineState.OVERDUE
    if end <= today + timedelta(days=within_days):
        return DeadlineState.DUE_SOON
    return DeadlineState.LATER


def days_left(item: RoadmapItem, today: date) -> int | None:
    """Calendar days to the last day (negative: days overdue)."""
    end = last_day(item)
    return None if end is None else (end - today).days


def ordering_key(item: RoadmapItem, today: date, within_days: int = DUE_SOON_DAYS):
    state = classify(item, today, within_days)
    end = last_day(item) or date.max
    return (ORDER.index(state), end, item.roadmap_id, item.sort_key)


def ordered(items, today: date, within_days: int = DUE_SOON_DAYS) -> list[RoadmapItem]:
    """Measures (sections left out) in the coordinator's order."""
    return sorted(
        (i for i in items if not i.is_section),
        key=lambda i: ordering_key(i, today, within_days),
    )
