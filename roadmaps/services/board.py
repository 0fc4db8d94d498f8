"""The coordinator's deadlines board: every measure a user may see, in the coordinator's order
(services.deadlines.ordered), with its state, and the counts and progress per authority.

The database does the filtering; states depend on "today" and are computed here, so a filter
by state is applied to the ordered rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, QuerySet

from registry.models import Organization
from roadmaps.choices import DeadlineState
from roadmaps.models import ItemResponsible, RoadmapItem
from roadmaps.services import deadlines

# Column order of the counts and the bar (left to right: what is finished first).
BAR_STATES = (
    DeadlineState.DONE,
    DeadlineState.LATER,
    DeadlineState.NO_DATE,
    DeadlineState.DUE_SOON,
    DeadlineState.OVERDUE,
)


def with_related(items: QuerySet[RoadmapItem]) -> QuerySet[RoadmapItem]:
    """Everything a row shows in a fixed number of queries, however many rows."""
    responsibles = ItemResponsible.objects.select_related("organization__successor").order_by(
        "position", "pk"
    )
    return (
        items.filter(is_section=False)
        .select_related("roadmap__owner__successor", "roadmap__parent", "roadmap__legal_act")
        .prefetch_related(Prefetch("responsibles", queryset=responsibles))
        .annotate(evidence_count=Count("evidence", distinct=True))
    )


@dataclass
class Row:
    item: RoadmapItem
    state: DeadlineState
    days_left: int | None
    last_day: date | None


def rows(
    items: QuerySet[RoadmapItem],
    today: date,
    within_days: int = deadlines.DUE_SOON_DAYS,
    state: str | None = None,
) -> list[Row]:
    result = []
    for item in deadlines.ordered(with_related(items), today, within_days):
        item_state = deadlines.classify(item, today, within_days)
        if state and item_state != state:
            continue
        result.append(
            Row(item, item_state, deadlines.days_left(item, today), deadlines.last_day(item))
        )
    return result


@dataclass
class AuthorityProgress:
    owner: Organization
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts[s] for s in BAR_STATES)

    @property
    def bars(self) -> list[tuple[str, str, int, float]]:
        """(state, label, count, share in %) for the stacked bar."""
        total = self.total or 1
        return [
            (s.value, s.label, self.counts[s], 100 * self.counts[s] / total) for s in BAR_STATES
        ]

    @property
    def done_share(self) -> float:
        return 100 * self.counts[DeadlineState.DONE] / (self.total or 1)


def progress_by_authority(board_rows: list[Row]) -> list[AuthorityProgress]:
    """Counts per roadmap owner (cancelled measures are left out of the bar)."""
    by_owner: dict[int, AuthorityProgress] = {}
    for row in board_rows:
        owner = row.item.roadmap.owner
        progress = by_owner.setdefault(owner.pk, AuthorityProgress(owner))
        progress.counts[row.state] += 1
    return sorted(by_owner.values(), key=lambda p: p.owner.full_name)


def state_counts(board_rows: list[Row]) -> list[tuple[DeadlineState, int]]:
    """Rows per state, every state in the board's order (cancelled included, zeros too)."""
    counts = Counter(row.state for row in board_rows)
    return [(state, counts[state]) for state in deadlines.ORDER]
