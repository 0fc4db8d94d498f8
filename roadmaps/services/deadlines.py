"""Where a measure stands against its deadline on a given day, and the order a coordinator
reads them in: overdue first (the oldest first), then due soon, then later, then without a
date, then done, then cancelled."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Case, DateTimeField, F, IntegerField, Q, Value, When

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


# -- the same rules as a WHERE and an ORDER BY (the board pages in the database) ----------------
# Thresholds are computed here from today; the database compares columns with constants, so the
# date index serves them. tests/roadmaps/test_deadline_sql.py checks that classify() and these
# agree on every state and boundary day.

_UNTIL_SHIFT = timedelta(days=1 if UNTIL_IS_EXCLUSIVE else 0)
_DONE = Q(status=ItemStatus.DONE) | Q(deadline_kind=DeadlineKind.DONE)
_OPEN = ~Q(status__in=(ItemStatus.DONE, ItemStatus.CANCELLED)) & ~Q(deadline_kind=DeadlineKind.DONE)


def last_day_before(cut: date) -> Q:
    """Measures whose last_day() is before `cut` ("до" dates shifted as last_day() does)."""
    return Q(deadline_kind=DeadlineKind.UNTIL, deadline_date__lt=cut + _UNTIL_SHIFT) | Q(
        deadline_kind=DeadlineKind.DATE, deadline_date__lt=cut
    )


def state_q(state: str, today: date, within_days: int = DUE_SOON_DAYS) -> Q:
    """The measures classify() puts in `state` on `today`, as a condition on the columns."""
    after_soon = today + timedelta(days=within_days + 1)
    conditions = {
        DeadlineState.DONE: _DONE,
        DeadlineState.CANCELLED: Q(status=ItemStatus.CANCELLED)
        & ~Q(deadline_kind=DeadlineKind.DONE),
        DeadlineState.NO_DATE: _OPEN & Q(deadline_date__isnull=True),
        DeadlineState.OVERDUE: _OPEN & last_day_before(today),
        DeadlineState.DUE_SOON: _OPEN
        & last_day_before(after_soon)
        & ~last_day_before(today)
        & Q(deadline_date__isnull=False),
        DeadlineState.LATER: _OPEN & Q(deadline_date__isnull=False) & ~last_day_before(after_soon),
    }
    return conditions[DeadlineState(state)]


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


def last_day_order() -> Case:
    """last_day() as a sort key (a date, or a date and time on SQLite: only compared)."""
    return Case(
        When(deadline_kind=DeadlineKind.UNTIL, then=F("deadline_date") - _UNTIL_SHIFT),
        default=F("deadline_date") - timedelta(0),
        output_field=DateTimeField(),
    )


def board_order(today: date, within_days: int = DUE_SOON_DAYS) -> list:
    """ordering_key() as ORDER BY: state, last day (none last), plan, place in the plan."""
    return [
        rank(today, within_days).asc(),
        last_day_order().asc(nulls_last=True),
        "roadmap_id",
        "sort_key",
    ]
