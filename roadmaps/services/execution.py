"""The quarterly execution report of a plan, or of every plan a user sees: each measure with
its deadline, status, evidence and lateness in working days (portal.workdays), as
portal.reports shows and writes it.

The report is of the quarter's last day, or of today while the quarter runs, and so is each
measure's status: the last one in effect by that day (a measure done in April is not done in
the report of the first quarter; see with_done_day). Lateness:
an open measure is late by the working days from its last day to the report's day; a done
one by those from its last day to the day it was done (the first saved state that set
"исполнено", on the day it took effect; the report's day if that is earlier); a measure done
in time, cancelled or without a date is not late. A split collective measure is its roll-up
(«распределено по органам власти: исполнили N из M»), not late itself: its authorities'
shares are, each in its own plan, so a coordinator's report counts the lateness once.
The whole report costs a fixed number of queries, whatever the number of measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, IntegerField, Min, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.params import BadParameter
from portal.reports import Report, Section
from portal.workdays import ProductionCalendar
from roadmaps.choices import DeadlineState
from roadmaps.models import DeadlineKind, Evidence, ItemResponsible, ItemStatus, RoadmapItem
from roadmaps.services import deadlines
from roadmaps.services.export import roadmap_title, with_markers

HEADER = [
    "№ п/п",
    "Мероприятие",
    "Срок реализации",
    "Последний день срока",
    "Ответственный",
    "Статус",
    "Подтверждающие документы",
    "Дата исполнения",
    "Просрочка, рабочих дней",
]
WIDTHS = [8, 60, 16, 14, 30, 16, 50, 14, 14]
QUARTER = re.compile(r"(\d{4})-([1-4])")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, raw: str | None, today: date) -> Quarter:
        """ "2025-1" (?quarter=); absent: the quarter of today."""
        if not raw:
            return cls.of(today)
        found = QUARTER.fullmatch(raw.strip())
        if not found or not 2000 <= int(found[1]) <= 2100:
            raise BadParameter(
                "Параметр «quarter» должен быть кварталом в виде ГГГГ-N (N от 1 до 4)."
            )
        return cls(int(found[1]), int(found[2]))

    @property
    def last_day(self) -> date:
        month = self.number * 3 + 1
        following = date(self.year + 1, 1, 1) if month > 12 else date(self.year, month, 1)
        return following - timedelta(days=1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.number * 3 - 2, 1)

    def __str__(self) -> str:
        return f"{self.number} квартал {self.year} года"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number}"


def report_day(quarter: Quarter, today: date) -> date:
    return min(quarter.last_day, today)


def status_changes():
    """An item's saved states (OuterRef "pk") that set its status: the first one, and each
    whose status differs from the state written before it. As services.history reads them, a
    state carries only what it changed: an act typed in after a status was set copies that
    status into its state, dated the act's day, without setting it."""
    written_before = RoadmapItem.history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    before = written_before.order_by("-history_date", "-history_id").values("status")[:1]
    return (
        RoadmapItem.history.filter(id=OuterRef("pk"))
        .annotate(status_before=Subquery(before))
        .filter(Q(status_before__isnull=True) | ~Q(status_before=F("status")))
    )


def status_on(day: date) -> Coalesce:
    """An item's status on `day`: the one set by the last state in effect by then (an act's
    date, or the day it was saved; status_changes); for an item entered into the portal after
    `day`, its first saved status (the plan as it was loaded)."""
    states = status_changes()
    then = states.filter(effective_date__lte=day).order_by(
        "-effective_date", "-history_date", "-history_id"
    )
    first = states.order_by("history_date", "history_id")
    return Coalesce(
        Subquery(then.values("status")[:1]),
        Subquery(first.values("status")[:1]),
        F("status"),
    )


def with_done_day(items, day: date):
    """The items with `done_on`, the day their status was first set to "исполнено" took
    effect, and `status_on`, their status on `day` (status_on); a split measure's shares
    counted by their statuses on `day` too."""
    done = (
        status_changes()
        .filter(status=ItemStatus.DONE)
        .order_by()
        .values("id")
        .annotate(first=Min("effective_date"))
        .values("first")
    )
    responsibles = ItemResponsible.objects.select_related("organization__successor")
    # A split measure's shares (not cancelled on `day`), and how many were done by then: its
    # row is their roll-up.
    shares = (
        RoadmapItem.objects.filter(share_of=OuterRef("pk"))
        .annotate(share_status=status_on(day))
        .exclude(share_status=ItemStatus.CANCELLED)
        .order_by()
        .values("share_of")
    )
    return (
        items.select_related("roadmap__owner")
        .annotate(
            done_on=Subquery(done[:1]),
            status_on=status_on(day),
            shares_total=_count(shares, Count("pk")),
            shares_done=_count(shares, Count("pk", filter=Q(share_status=ItemStatus.DONE))),
        )
        .prefetch_related(
            Prefetch("responsibles", queryset=responsibles.order_by("position", "pk")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("added_at", "pk")),
        )
        .order_by("roadmap__owner__full_name", "roadmap_id", "sort_key")
    )


def _count(rows, aggregate):
    return Coalesce(
        Subquery(rows.annotate(n=aggregate).values("n"), output_field=IntegerField()), 0
    )


def lateness(item: RoadmapItem, day: date, calendar: ProductionCalendar) -> int | None:
    """Working days late on `day` (0: in time); None when the measure has no term to miss."""
    end = deadlines.last_day(item)
    no_term = item.status == ItemStatus.CANCELLED or item.deadline_kind == DeadlineKind.DONE
    if end is None or no_term:
        return None
    if item.status == ItemStatus.DONE:
        finished = getattr(item, "done_on", None)
        if finished is None:
            return None
        # done after the report's day: late so far, as of that day
        return max(calendar.working_days_between(end, min(finished, day)), 0)
    return max(calendar.working_days_between(end, day), 0)


def evidence_text(item: RoadmapItem) -> str:
    lines = []
    for evidence in item.evidence.all():
        line = str(evidence)
        if evidence.title:
            line += f" — {evidence.title}"
        if evidence.file_name:
            line += f" (файл «{evidence.file_name}»)"
        elif evidence.url:
            line += f" ({evidence.url})"
        lines.append(line)
    return "\n".join(lines)


def status_text(item: RoadmapItem, day: date) -> str:
    if getattr(item, "shares_total", 0):  # done by its authorities' shares, late in theirs
        return (
            f"распределено по органам власти: исполнили {item.shares_done} из {item.shares_total}"
        )
    state = deadlines.classify(item, day, within_days=0)
    if state == DeadlineState.OVERDUE:
        return f"{item.get_status_display()}, просрочено"
    if item.deadline_kind == DeadlineKind.DONE and item.status != ItemStatus.DONE:
        return "исполнено (по документу)"
    return item.get_status_display()


def row(item: RoadmapItem, day: date, calendar: ProductionCalendar) -> list:
    if item.is_section:
        return [item.number, item.text, "", "", "", "", "", "", ""]
    end = deadlines.last_day(item)
    done_on = getattr(item, "done_on", None) if item.status == ItemStatus.DONE else None
    late = None if getattr(item, "shares_total", 0) else lateness(item, day, calendar)
    return [
        item.number,
        with_markers(item),
        item.deadline_text,
        f"{end:%d.%m.%Y}" if end else "",
        "; ".join(item.responsible_display()),
        status_text(item, day),
        evidence_text(item),
        f"{done_on:%d.%m.%Y}" if done_on else "",
        late if late is not None else "",
    ]


def summary(rows: list[list]) -> str:
    measures = [r for r in rows if r[5]]
    late = [r for r in measures if isinstance(r[8], int) and r[8] > 0]
    done = [r for r in measures if r[5].startswith("исполнено")]
    return f"Мероприятий: {len(measures)}; исполнено: {len(done)}; с просрочкой: {len(late)}."


def execution_report(items, quarter: Quarter, title: str, today: date | None = None) -> Report:
    """The report of `items` (a queryset of plan items: one plan's, or every plan's a user
    sees), one section per plan."""
    today = today or timezone.localdate()
    day = report_day(quarter, today)
    calendar = ProductionCalendar()
    sections: dict[int, Section] = {}
    for item in with_done_day(items, day).iterator(chunk_size=2000):
        # The report is of its day: the measure's status then (this object is never saved).
        item.status = item.status_on
        section = sections.get(item.roadmap_id)
        if section is None:
            section = Section(roadmap_title(item.roadmap), HEADER, widths=WIDTHS)
            sections[item.roadmap_id] = section
        section.rows.append(row(item, day, calendar))
    for section in sections.values():
        section.note = summary(section.rows)
    return Report(
        title=f"{title} за {quarter}",
        subtitle=f"По состоянию на {day:%d.%m.%Y}. Просрочка — в рабочих днях по "
        "производственному календарю.",
        sections=list(sections.values()),
        empty="Мероприятий нет.",
    )
