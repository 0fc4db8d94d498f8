"""Measures measured from the portal's own data (issue 15 point 3): which figure a measure's
wording asks for is data (MeasureMetric), narrowed to the measure's own process group or to
an internal client's sub-area (MeasureArea); the figure is counted from the owning
authority's registry, its published versions, campaigns, reengineering plan and
segmentation records, with the moment it was counted. A fixed number of queries per measure,
whatever the number of rows (tests/roadmaps/test_measured.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from portal.workdays import ProductionCalendar
from registry.models import (
    AnswerState,
    CampaignKind,
    CampaignParticipant,
    Organization,
    Process,
    ProcessGroup,
    TypicalProcess,
    VersionApproval,
)
from registry.models.catalogue import template_edition
from registry.services import reengineering
from registry.services.deadlines import PUBLICATION_DAYS
from roadmaps.models import MeasureArea, MeasureMetric, Metric, RoadmapItem
from segmentation.services.coverage import ASPECT_LABELS, authority_coverage

# Figures of a process group: narrowed to the measure's area when it names one.
AREA_METRICS = {
    Metric.REENGINEERING,
    Metric.REENGINEERING_PLAN,
    Metric.TOUCHPOINTS,
    Metric.PROFILE,
    Metric.ASSESSMENT,
}
QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass
class Area:
    rule: MeasureArea
    groups: list[ProcessGroup]
    typical: list[TypicalProcess] | None  # None: the whole groups

    @property
    def label(self) -> str:
        if self.typical is None:
            return self.rule.name
        codes = ", ".join(t.code for t in self.typical) or "нет в перечне этой редакции"
        return f"{self.rule.name} (типовые процессы {codes})"

    def q(self, prefix: str = "") -> Q:
        """Registry rows of the area (a lookup from a model whose `prefix` leads to Process)."""
        if self.typical is None:
            return Q(**{f"{prefix}group__in": self.groups})
        return Q(**{f"{prefix}typical_process__in": self.typical})

    def admits(self, process: Process) -> bool:
        if self.typical is None:
            return process.group_id in {g.pk for g in self.groups}
        return process.typical_process_id in {t.pk for t in self.typical}


@dataclass
class Reading:
    metric: str
    figure: str
    reached: bool
    area: Area | None = None
    lines: list[str] = field(default_factory=list)
    link: str = ""
    link_text: str = ""
    computed_at: datetime = field(default_factory=timezone.now)

    @property
    def label(self) -> str:
        return Metric(self.metric).label


class Measurer:
    """The readings of one authority's measures: the rules, the edition's catalogue and the
    segmentation coverage are read once, and each (figure, area) is counted once, so a whole
    plan's page costs queries bounded by the rules, not by its rows."""

    def __init__(self, owner: Organization | None, level: str = ""):
        self.owner = owner
        self.level = level or (owner.level if owner is not None else "")
        self.readings: dict[tuple[str, str], Reading] = {}

    @cached_property
    def metrics(self) -> list[MeasureMetric]:
        return list(MeasureMetric.objects.order_by("order", "pk"))

    @cached_property
    def areas(self) -> list[MeasureArea]:
        return list(MeasureArea.objects.order_by("order", "pk"))

    @cached_property
    def catalogue(self) -> tuple[list[ProcessGroup], list[TypicalProcess]]:
        # The authority's own edition: another region's copy has the same codes.
        edition = self.owner.edition if self.owner is not None else template_edition(self.level)
        groups = ProcessGroup.objects.filter(edition=edition).order_by("order")
        typical = TypicalProcess.objects.filter(group__edition=edition)
        return list(groups), list(typical.select_related("group"))

    @cached_property
    def coverage(self):
        return authority_coverage(self.owner)

    def metric_of(self, text: str) -> str | None:
        """The metric the first matching rule names (rules in their order), or None."""
        return next((rule.metric for rule in self.metrics if rule.matches(text)), None)

    def area_of(self, texts: list[str]) -> Area | None:
        """The area the first text names (the measure's own, then its section's)."""
        for text in texts:
            for rule in self.areas:
                if rule.matches(text):
                    return self._area(rule)
        return None

    def _area(self, rule: MeasureArea) -> Area:
        groups, typical = self.catalogue
        if rule.typical_codes:
            chosen = [t for t in typical if t.code in rule.typical_codes]
            return Area(rule, list({t.group_id: t.group for t in chosen}.values()), chosen)
        return Area(rule, [g for g in groups if g.code in rule.group_codes], None)

    def measure(self, item: RoadmapItem, section_text: str = "") -> Reading | None:
        """The figure the measure's wording asks for; None for a measure the portal does not
        measure, or a region's plan (a typical plan has no registry of its own). A share of
        reengineered rows («10 %») is the RegistryTarget's."""
        if self.owner is None or not self.owner.is_authority:
            return None
        metric = self.metric_of(item.text)
        if metric is None:
            return None
        if metric == Metric.REENGINEERING and hasattr(item, "registry_target"):
            return None
        area = None
        if metric in AREA_METRICS:
            area = self.area_of([item.text] + ([section_text] if section_text else []))
        key = (metric, area.rule.code if area else "")
        if key not in self.readings:
            self.readings[key] = READERS[metric](self, area, metric)
        return self.readings[key]


def metric_of(text: str) -> str | None:
    return Measurer(None).metric_of(text)


def area_of(item: RoadmapItem, level: str) -> Area | None:
    """The area the measure's own text names, else its section's, in the edition of `level`."""
    texts = [item.text] + ([item.parent.text] if item.parent_id else [])
    return Measurer(None, level).area_of(texts)


def measure(item: RoadmapItem) -> Reading | None:
    """The reading of one measure (its page)."""
    section = item.parent.text if item.parent_id else ""
    return Measurer(item.roadmap.owner).measure(item, section)


def _on_versions(owner: Organization, metric: str, figure: str, reached: bool, **extra):
    """A reading about the published versions, linking to the authority's «Публикация»."""
    link = f"{reverse('registry:versions')}?authority={owner.pk}"
    return Reading(metric, figure, reached, link=link, link_text="Публикация реестра", **extra)


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y}"


def _rows(owner: Organization):
    return Process.objects.filter(authority=owner, is_excluded=False)


def _formed(m: Measurer, area, metric) -> Reading:
    owner = m.owner
    first = owner.registry_versions.defer("rows").order_by("number").first()
    if first is None:
        rows = _rows(owner).count()
        figure = f"Реестр еще не сформирован и не опубликован (строк в реестре: {rows})."
        return _on_versions(owner, metric, figure, False)
    figure = (
        f"Реестр сформирован: версия № {first.number} опубликована {_day(first.published_at)} "
        f"(строк: {first.row_count})."
    )
    return _on_versions(owner, metric, figure, True)


def _approved(m: Measurer, area, metric) -> Reading:
    owner = m.owner
    last = owner.registry_versions.defer("rows").order_by("-number").first()
    if last is None:
        return _on_versions(owner, metric, "Реестр еще не опубликован: утверждать нечего.", False)
    approval = (
        VersionApproval.objects.filter(version__authority=owner)
        .select_related("version")
        .order_by("-version__number", "-recorded_at", "-pk")
        .first()
    )
    if approval is None:
        figure = (
            f"Акт об утверждении реестра не записан (последняя версия № {last.number} "
            f"от {_day(last.published_at)})."
        )
        return _on_versions(owner, metric, figure, False)
    lines = []
    if approval.version_id != last.pk:
        lines.append(
            f"Последняя версия № {last.number} от {_day(last.published_at)}: акт об ее "
            "утверждении не записан."
        )
    figure = f"Реестр утвержден: {approval} (версия № {approval.version.number})."
    return _on_versions(owner, metric, figure, True, lines=lines)


def _published(m: Measurer, area, metric) -> Reading:
    owner = m.owner
    last = owner.registry_versions.defer("rows").order_by("-number").first()
    if last is None:
        return _on_versions(owner, metric, "Реестр еще не опубликован.", False)
    placement = last.placements.first()
    lines = []
    changed = (
        Process.history.filter(authority_id=owner.pk, history_date__gt=last.published_at)
        .aggregate(first=Min("history_date"))
        .get("first")
    )
    if changed is not None:
        due = ProductionCalendar().add_working_days(timezone.localdate(changed), PUBLICATION_DAYS)
        lines.append(
            f"Реестр изменен {_day(changed)} после этой версии: актуальную версию опубликовать "
            f"до {due:%d.%m.%Y} (п. 28 Порядка)."
        )
    figure = f"Опубликована версия № {last.number} от {_day(last.published_at)}; " + (
        f"на официальном сайте размещена {placement.placed_on:%d.%m.%Y}: {placement.url}."
        if placement
        else "размещение на официальном сайте не записано."
    )
    return _on_versions(owner, metric, figure, placement is not None, lines=lines)


def _actualization(m: Measurer, area, metric) -> Reading:
    owner = m.owner
    quarters = list(
        CampaignParticipant.objects.filter(authority=owner, campaign__kind=CampaignKind.QUARTERLY)
        .values("campaign__year", "campaign__quarter")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=~Q(answer=AnswerState.WAITING)),
            due=Max("campaign__due_date"),
        )
        .order_by("-campaign__year", "-campaign__quarter")
    )
    link = reverse("registry:campaign_list")
    if not quarters:
        figure = "Кампаний ежеквартальной актуализации для органа власти не открывалось."
        return Reading(metric, figure, False, link=link, link_text="Актуализация")
    today = timezone.localdate()
    lines = [
        f"{QUARTERS[q['campaign__quarter']]} квартал {q['campaign__year']} года — ответы "
        f"подразделений: {q['answered']} из {q['total']} (срок {q['due']:%d.%m.%Y})"
        for q in quarters
    ]
    past = [q for q in quarters if q["due"] < today]
    full = [q for q in quarters if q["answered"] == q["total"]]
    figure = f"Кварталов с кампанией актуализации: {len(quarters)}; ответили все: {len(full)}."
    reached = all(q["answered"] == q["total"] for q in past) and bool(full)
    return Reading(metric, figure, reached, lines=lines, link=link, link_text="Актуализация")


def _reengineering(m: Measurer, area, metric) -> Reading:
    owner = m.owner
    rows = _rows(owner).filter(area.q()) if area else _rows(owner)
    counts = list(
        rows.values("status__name", "status__code", "status__is_reengineered", "status__order")
        .annotate(n=Count("pk"))
        .order_by("status__order")
    )
    total = sum(c["n"] for c in counts)
    done = sum(c["n"] for c in counts if c["status__is_reengineered"])
    pending = sum(c["n"] for c in counts if c["status__code"] in reengineering.QUEUED_CODES)
    lines = [f"{c['status__name']}: {c['n']}" for c in counts]
    figure = (
        f"Прошли реинжиниринг: {done} из {total} процессов реестра этой области."
        if total
        else "В реестре нет процессов этой области."
    )
    # Done when something has passed and nothing is still queued or under way.
    return Reading(metric, figure, done > 0 and pending == 0, area, lines)


def _plan(m: Measurer, area, metric) -> Reading:
    owner = m.owner
    entries = reengineering.plan_of(owner)
    if area:
        entries = entries.filter(area.q("process__"))
    entries = list(entries)
    summary = reengineering.summary(entries, timezone.localdate())
    figure = (
        f"В плане реинжиниринга процессов этой области: {summary.entries}; прошли "
        f"реинжиниринг: {summary.done}; срок истек: {summary.overdue}."
    )
    lines = [
        f"{e.process.identifier}. {e.process.name} — до {e.target_date:%d.%m.%Y}, "
        f"{e.responsible}; {e.process.status.name}"
        for e in entries[:10]
    ]
    link = f"{reverse('registry:reengineering')}?authority={owner.pk}"
    return Reading(
        metric, figure, summary.entries > 0, area, lines, link, "План реинжиниринга органа"
    )


def _coverage(m: Measurer, area, metric) -> Reading:
    owner = m.owner
    aspect = str(metric)
    covered = total = 0
    lines = []
    for entry in m.coverage:
        if area is not None and entry.group not in area.groups:
            continue
        services = [p for p in entry.services if area is None or area.admits(p)]
        missing = {p.pk for p in entry.missing[aspect]}
        have = sum(1 for p in services if p.pk not in missing)
        covered, total = covered + have, total + len(services)
        if services:
            lines.append(f"{entry.group.label}: {have} из {len(services)}")
    figure = (
        f"Услуги (строки реестра), у которых есть {ASPECT_LABELS[aspect]}: {covered} из {total}."
    )
    link = f"{reverse('segmentation:coverage')}?authority={owner.pk}"
    return Reading(
        metric,
        figure,
        total > 0 and covered == total,
        area,
        lines,
        link,
        "Охват услуг сегментацией",
    )


READERS: dict[str, Callable[..., Reading]] = {
    Metric.REGISTRY_FORMED: _formed,
    Metric.REGISTRY_APPROVED: _approved,
    Metric.REGISTRY_PUBLISHED: _published,
    Metric.ACTUALIZATION: _actualization,
    Metric.REENGINEERING: _reengineering,
    Metric.REENGINEERING_PLAN: _plan,
    Metric.TOUCHPOINTS: _coverage,
    Metric.PROFILE: _coverage,
    Metric.ASSESSMENT: _coverage,
}
