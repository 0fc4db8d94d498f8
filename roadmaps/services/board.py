"""The coordinator's deadlines board: the measures a user may see in the coordinator's order
(services.deadlines.board_order), with their state, the counts per state and the progress per
authority.

Everything is computed by the database: the state and the order are SQL expressions of the
same rules as deadlines.classify() (thresholds from today), the counts are aggregates, so a
board of 90 000 measures is paged like any list and a filter by state is a WHERE."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Count,
    DateField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from registry.models import Organization
from roadmaps.choices import DeadlineState
from roadmaps.models import Evidence, ItemResponsible, Roadmap, RoadmapItem
from roadmaps.services import deadlines

# Column order of the counts and the bar (left to right: what is finished first).
BAR_STATES = (
    DeadlineState.DONE,
    DeadlineState.LATER,
    DeadlineState.NO_DATE,
    DeadlineState.DUE_SOON,
    DeadlineState.OVERDUE,
)
# States with a term still running or missed: their rows say how many days are left or late.
TERM_STATES = (DeadlineState.OVERDUE, DeadlineState.DUE_SOON, DeadlineState.LATER)
# Authorities whose bars the board shows (most overdue first): a coordinator looks for the
# laggards; any other authority is one filter away.
PROGRESS_LIMIT = 20


def with_related(items: QuerySet[RoadmapItem]) -> QuerySet[RoadmapItem]:
    """Everything a row shows in a fixed number of queries, however many rows."""
    responsibles = ItemResponsible.objects.select_related("organization__successor").order_by(
        "position", "pk"
    )
    # A subquery, not Count() with GROUP BY: the count is taken for the rows of the page only.
    evidence = (
        Evidence.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        items.filter(is_section=False)
        .select_related("roadmap__owner__successor", "roadmap__parent", "roadmap__legal_act")
        .prefetch_related(Prefetch("responsibles", queryset=responsibles))
        .annotate(evidence_count=Coalesce(Subquery(evidence, output_field=IntegerField()), 0))
    )


def carried_out(rows: QuerySet[RoadmapItem]) -> QuerySet[RoadmapItem]:
    """The measures of `rows` somebody carries out: not a typical plan's items (a template to
    copy, done in each authority's copy) and not a split collective measure, whose shares are
    its authorities' tasks and are counted instead, so a coordinator's totals count it once."""
    split = RoadmapItem.objects.filter(share_of=OuterRef("pk"))
    return rows.filter(roadmap__is_template=False).exclude(Exists(split))


def items(
    rows: QuerySet[RoadmapItem],
    today: date,
    within_days: int = deadlines.DUE_SOON_DAYS,
    state: str | None = None,
) -> QuerySet[RoadmapItem]:
    """The measures of `rows` in the coordinator's order, each with `board_rank` (its state,
    see state_of) and `board_today`; of one state only if `state` is given."""
    if state:
        rows = rows.filter(deadlines.state_q(state, today, within_days))
    return (
        with_related(rows)
        .annotate(
            board_rank=deadlines.rank(today, within_days),
            board_today=Value(today, output_field=DateField()),
        )
        .order_by(*deadlines.BOARD_ORDER)
    )


def state_of(item: RoadmapItem) -> DeadlineState:
    return deadlines.state_of_rank(item.board_rank)


def days_left(item: RoadmapItem) -> int | None:
    return deadlines.days_left(item, item.board_today)


def overdue_days_text(days: int) -> str:
    return ngettext("на %(count)s день", "на %(count)s дней", days) % {"count": days}


def days_left_text(days: int) -> str:
    """«остался 1 день», «осталось 2 дня»: the verb agrees too (locale/ru)."""
    return ngettext("остался %(count)s день", "осталось %(count)s дней", days) % {"count": days}


def days_to_go(item: RoadmapItem) -> int | None:
    """Days to the last day of a measure still to be done (minus: overdue), else None."""
    if state_of(item) not in TERM_STATES:
        return None
    return days_left(item)


def state_note(item: RoadmapItem) -> str:
    """ "на 5 дней" (overdue), "осталось 2 дня", or "" (no date, done, cancelled)."""
    return _days_text(days_to_go(item))


def _days_text(days: int | None) -> str:
    if days is None:
        return ""
    return overdue_days_text(-days) if days < 0 else days_left_text(days)


def state_text(item: RoadmapItem) -> str:
    """ "Просрочено на 5 дней", "Срок скоро, осталось 2 дня", "Исполнено": a row's term in
    words, as the board's badge and its note read together."""
    label = str(state_of(item).label)
    days = days_to_go(item)
    if days is not None:
        label += (" " if days < 0 else ", ") + _days_text(days)
    return label[:1].upper() + label[1:]


class StateBars:
    """Measures per state (`counts`, a state to its count) as a total and a stacked bar."""

    counts: dict

    @property
    def total(self) -> int:
        return sum(self.counts.get(s, 0) for s in BAR_STATES)

    @property
    def bars(self) -> list[tuple[str, str, int, float]]:
        """(state, label, count, share in %) for the stacked bar."""
        total = self.total or 1
        return [
            (s.value, s.label, self.counts.get(s, 0), 100 * self.counts.get(s, 0) / total)
            for s in BAR_STATES
        ]


@dataclass
class AuthorityProgress(StateBars):
    owner: Organization
    counts: dict


def _state_counts(today: date, within_days: int) -> dict:
    return {
        state.value: Count("pk", filter=deadlines.state_q(state, today, within_days))
        for state in deadlines.ORDER
    }


def state_counts(
    rows: QuerySet[RoadmapItem], today: date, within_days: int = deadlines.DUE_SOON_DAYS
) -> list[tuple[DeadlineState, int]]:
    """Measures per state, every state in the board's order (zeros too): one aggregate."""
    counts = rows.filter(is_section=False).aggregate(**_state_counts(today, within_days))
    return [(state, counts[state.value]) for state in deadlines.ORDER]


@dataclass
class PlanSummary(StateBars):
    """A plan's «исполнено X из Y, просрочено Z» from state_counts(): Y is every measure not
    cancelled (a cancelled one is neither done nor to do)."""

    states: list[tuple[DeadlineState, int]]

    @property
    def counts(self) -> dict:
        return dict(self.states)

    @property
    def done(self) -> int:
        return self.counts.get(DeadlineState.DONE, 0)

    @property
    def overdue(self) -> int:
        return self.counts.get(DeadlineState.OVERDUE, 0)

    @property
    def cancelled(self) -> int:
        return self.counts.get(DeadlineState.CANCELLED, 0)

    @property
    def percent_done(self) -> float:
        return 100 * self.done / self.total if self.total else 0


@dataclass
class PartProgress(StateBars):
    """The measures of a part of the board (a plan, a section of a plan) per state."""

    label: str
    counts: dict


@dataclass
class Progress:
    """The board's summary: measures per state (every state, zeros too), the `limit` plan
    owners with most overdue measures (then most due soon), how many owners there are, and
    the `limit` plans likewise."""

    counts: list[tuple[DeadlineState, int]]
    authorities: list[AuthorityProgress]
    owners_total: int
    plans: list[PartProgress] = field(default_factory=list)


def _laggards(per_key: dict, limit: int) -> list[tuple]:
    """(key, counts in ORDER) of the `limit` keys with most overdue, then most due soon."""
    overdue = deadlines.ORDER.index(DeadlineState.OVERDUE)
    soon = deadlines.ORDER.index(DeadlineState.DUE_SOON)
    ranked = sorted(per_key.items(), key=lambda kv: (-kv[1][overdue], -kv[1][soon], kv[0]))
    return [(key, *counts) for key, counts in ranked[:limit]]


def progress(
    rows: QuerySet[RoadmapItem],
    today: date,
    within_days: int = deadlines.DUE_SOON_DAYS,
    limit: int | None = None,
) -> Progress:
    """One GROUP BY plan (and its owner) with a conditional count per state (an index-only
    scan of item_board_order), summed per owner here: its rows also add up to the counts per
    state; then one query for the names of the owners shown and one for the plans shown.
    Cancelled measures are counted but left out of the bars."""
    limit = PROGRESS_LIMIT if limit is None else limit
    states = deadlines.ORDER
    # Tuples, not dicts: one per plan, 3 572 authorities' for a coordinator.
    per_plan = counts_per(rows, ("roadmap__owner", "roadmap"), today, within_days)
    per_owner, plan_counts = {}, {}
    for owner, plan, *counts in per_plan:
        plan_counts[plan] = counts
        summed = per_owner.setdefault(owner, [0] * len(states))
        for n, count in enumerate(counts):
            summed[n] += count
    totals = [(s, sum(c[n] for c in per_owner.values())) for n, s in enumerate(states)]
    top = _laggards(per_owner, limit)
    names = Organization.objects.select_related("successor").in_bulk([row[0] for row in top])
    authorities = [AuthorityProgress(names[row[0]], _counts(row)) for row in top]
    top_plans = _laggards(plan_counts, limit)
    plans = Roadmap.objects.in_bulk([row[0] for row in top_plans])
    return Progress(
        totals,
        authorities,
        len(per_owner),
        [PartProgress(str(plans[row[0]]), _counts(row)) for row in top_plans],
    )


def counts_per(rows, keys: tuple[str, ...], today: date, within_days: int) -> list[tuple]:
    """(*keys, count per state in deadlines.ORDER) for each value of `keys` of the measures
    of `rows`: one GROUP BY."""
    return list(
        rows.filter(is_section=False)
        .order_by()
        .values(*keys)
        .annotate(**_state_counts(today, within_days))
        .values_list(*keys, *(s.value for s in deadlines.ORDER))
    )


def _counts(row: tuple) -> dict:
    return {s: row[1 + n] for n, s in enumerate(deadlines.ORDER) if row[1 + n]}


def section_progress(roadmap: Roadmap, today: date) -> list[PartProgress]:
    """The measures of each section of the plan per state, in the plan's order: two queries
    (the counts by section, the sections), however many measures."""
    counted = {
        row[0]: _counts(row)
        for row in counts_per(roadmap.items.all(), ("parent",), today, deadlines.DUE_SOON_DAYS)
    }
    sections = roadmap.items.filter(is_section=True, pk__in=[k for k in counted if k])
    parts = [
        PartProgress(f"{number} {text}".strip(), counted[pk])
        for pk, number, text in sections.order_by("sort_key").values_list("pk", "number", "text")
    ]
    if None in counted:  # measures outside any section
        parts.append(PartProgress("Вне разделов", counted[None]))
    return parts


def progress_on(states: list, day: date) -> tuple[PlanSummary, list[PartProgress]]:
    """A plan's summary and its sections' progress from its items as they stood on `day`
    (history.items_on, in the document's order), each classified on that day by
    deadlines.classify, the rules the database applies for today; as section_progress, a
    measure counts in its section, or «Вне разделов» without one."""
    totals = dict.fromkeys(deadlines.ORDER, 0)
    counted: dict = {}  # a section's id (None: outside any) -> its counts per state
    for state in states:
        if state.is_section:
            continue
        kind = deadlines.classify(state, day)
        totals[kind] += 1
        part = counted.setdefault(state.parent_id, {})
        part[kind] = part.get(kind, 0) + 1
    parts = [
        PartProgress(f"{s.number} {s.text}".strip(), counted[s.id])
        for s in states
        if s.is_section and s.id in counted
    ]
    if None in counted:
        parts.append(PartProgress("Вне разделов", counted[None]))
    return PlanSummary([(s, totals[s]) for s in deadlines.ORDER]), parts
