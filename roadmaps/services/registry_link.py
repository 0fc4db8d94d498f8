"""Measures such as "Проведен реинжиниринг 10 % процессов предоставления услуг (сервисов)"
bound to the live registry figure: the share of the authority's processes of that group
(not excluded) whose status is "прошел реинжиниринг"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from registry.models import Process, ProcessGroup, ReengineeringStatus
from roadmaps.models import RegistryTarget, Roadmap, RoadmapItem

MEASURE = re.compile(r"реинжиниринг\w*\s+(\d+(?:[.,]\d+)?)\s*%\s*процесс\w*\s+(.+)", re.I)
STEM = 5  # Russian word forms share their first letters: "обращений" / "обращения"


def _stems(text: str) -> list[str]:
    return [w[:STEM].lower() for w in re.findall(r"[А-Яа-яЁё]{4,}", text) if w[:STEM] != "проце"]


def _score(wanted: list[str], name: str) -> int:
    """Shared word stems; the leading one ("предоставления" / "Предоставление") counts twice,
    since it names the kind of activity."""
    stems = _stems(name)
    lead = bool(wanted and stems and wanted[0] == stems[0])
    return len(set(wanted) & set(stems)) + lead


def suggest_target(item: RoadmapItem, edition) -> tuple[ProcessGroup, Decimal] | None:
    """The group and target share a measure's text names, or None when it names none
    clearly (two or more shared word stems, and one best group), among the groups of the
    owner's catalogue edition."""
    match = MEASURE.search(item.text)
    if match is None:
        return None
    wanted = _stems(match.group(2))
    groups = ProcessGroup.objects.filter(edition=edition)
    scored = sorted(((_score(wanted, g.name), g) for g in groups), key=lambda p: -p[0])
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1], Decimal(match.group(1).replace(",", "."))


def bind_targets(roadmap: Roadmap) -> list[RegistryTarget]:
    """Binds every measure of an authority's roadmap whose text names a share of reengineered
    processes of a group; an existing binding is kept as it is."""
    owner = roadmap.owner
    if not owner.is_authority:
        return []
    edition = owner.edition
    status = ReengineeringStatus.objects.get(edition=edition, code="reengineered")
    bound = []
    for item in roadmap.items.filter(is_section=False, registry_target__isnull=True):
        suggestion = suggest_target(item, edition)
        if suggestion is not None:
            group, percent = suggestion
            bound.append(
                RegistryTarget.objects.create(
                    item=item, group=group, status=status, target_percent=percent
                )
            )
    return bound


@dataclass
class Progress:
    target: RegistryTarget
    matching: int
    total: int

    @property
    def percent(self) -> float:
        return 100 * self.matching / self.total if self.total else 0.0

    @property
    def reached(self) -> bool:
        return self.total > 0 and self.percent >= float(self.target.target_percent)


def progress(item: RoadmapItem) -> Progress | None:
    target = getattr(item, "registry_target", None)
    owner = item.roadmap.owner
    if target is None or not owner.is_authority:
        return None
    rows = Process.objects.filter(authority=owner, group=target.group, is_excluded=False)
    return Progress(target, rows.filter(status=target.status).count(), rows.count())


def follow_wording(item: RoadmapItem) -> None:
    """An amended measure's binding follows its new wording ("10 %" became "30 %"); a text
    that no longer names a share leaves the binding as it was."""
    target = RegistryTarget.objects.filter(item=item).first()
    if target is None:
        return
    suggestion = suggest_target(item, item.roadmap.owner.edition)
    if suggestion is not None and (target.group, target.target_percent) != suggestion:
        target.group, target.target_percent = suggestion
        target.save(update_fields=["group", "target_percent"])
