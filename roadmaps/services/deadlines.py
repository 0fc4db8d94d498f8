"""Where a measure stands against its deadline on a given day, and the order a coordinator
reads them in: overdue first (the oldest first), then due soon, then later, then without a
date, then done, then cancelled."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Case, F, IntegerField, Q, Value, When

from roadmaps.choices import DeadlineState
from roadmaps.models import (
    UNTIL_IS_EXCLUSIVE,
    DeadlineGroup,
    DeadlineKind,
    ItemStatus,
    RoadmapItem,
)

DUE_SOON_DAYS = 14

# "до 01.09.2023": the last day is 31 August (models.items.UNTIL_IS_EXCLUSIVE, where the stored
# last_day column follows it too).


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


# -- the same rules as a WHERE and an ORDER BY (the board pages in the database) ----------------
# The stored columns deadline_group and last_day (models.items) hold what does not depend on the
# day; the thresholds are computed here from today, so the database compares an indexed column
# with constants. tests/roadmaps/test_deadline_sql.py checks that classify() and these agree on
# every state and boundary day.

_GROUP = {
    DeadlineState.NO_DATE: DeadlineGroup.UNDATED,
    DeadlineState.DONE: DeadlineGroup.DONE,
    DeadlineState.CANCELLED: DeadlineGroup.CANCELLED,
}


def state_q(state: str, today: date, within_days: int = DUE_SOON_DAYS) -> Q:
    """The measures classify() puts in `state` on `today`, as a condition on the columns."""
    state = DeadlineState(state)
    if state in _GROUP:
        return Q(deadline_group=_GROUP[state])
    dated = Q(deadline_group=DeadlineGroup.DATED)
    soon_end = today + timedelta(days=within_days)
    if state == DeadlineState.OVERDUE:
        return dated & Q(last_day__lt=today)
    if state == DeadlineState.DUE_SOON:
        return dated & Q(last_day__gte=today, last_day__lte=soon_end)
    return dated & Q(last_day__gt=soon_end)


def rank(today: date, within_days: int = DUE_SOON_DAYS) -> Case:
    """The state's place in ORDER (0: overdue … 5: cancelled) as a column."""
    return Case(
        *(
            When(state_q(state, today, within_days), then=Value(position))
            for position, state in enumerate(ORDER)
        ),
        output_field=IntegerField(),
    )


def state_of_rank(position: int) -> DeadlineState:
    return ORDER[position]


# ordering_key() as ORDER BY, the index item_board_order's columns: the state is monotonic in
# (deadline_group, last_day) — overdue, due soon and later are the dated group by last day —
# so the order does not depend on today and the index serves it.
BOARD_ORDER = (
    F("deadline_group").asc(),
    F("last_day").asc(nulls_last=True),
    F("roadmap_id").asc(),
    F("sort_key").asc(),
)
