"""Coverage of the registry by segmentation (roadmap measures 3.x.1-3.x.3): for each process
group of an authority, which services (registry rows not excluded) have no segment profile,
no touchpoints, no satisfaction assessment. A record kept for a whole group covers every
service of the group; one kept for a row covers that row."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from registry.models import Organization, Process, ProcessGroup
from segmentation.models import SatisfactionAssessment, SegmentProfile, Touchpoint

ASPECTS = ("profile", "touchpoints", "assessment")
ASPECT_LABELS = {
    "profile": "профиль клиентского сегмента",
    "touchpoints": "точки взаимодействия",
    "assessment": "оценка удовлетворенности",
}


# Roadmap measures 3.x.1-3.x.3 in the seeds' wording: what each one demands.
MEASURE_PATTERNS = (
    ("touchpoints", re.compile(r"точ\w* взаимодейств|точ\w* контакт", re.IGNORECASE)),
    ("profile", re.compile(r"сегментац", re.IGNORECASE)),
    ("assessment", re.compile(r"удовлетворенн", re.IGNORECASE)),
)


def demanded_by_measure(text: str) -> str | None:
    """Which part of the coverage a roadmap measure asks for, if any."""
    for aspect, pattern in MEASURE_PATTERNS:
        if pattern.search(text or ""):
            return aspect
    return None


@dataclass
class GroupCoverage:
    group: ProcessGroup
    services: list[Process] = field(default_factory=list)
    missing: dict[str, list[Process]] = field(default_factory=lambda: defaultdict(list))
    profiles: list[SegmentProfile] = field(default_factory=list)  # for the group or its rows

    def covered(self, aspect: str) -> int:
        return len(self.services) - len(self.missing[aspect])

    def percent(self, aspect: str) -> float:
        return 100 * self.covered(aspect) / len(self.services) if self.services else 0

    @property
    def cells(self) -> list[tuple[str, str, int, float, list[Process]]]:
        """(aspect, label, covered, percent, services without it) for the table and its bars."""
        return [
            (a, ASPECT_LABELS[a], self.covered(a), self.percent(a), self.missing[a])
            for a in ASPECTS
        ]

    @property
    def complete(self) -> bool:
        return all(not self.missing[a] for a in ASPECTS)


def _covered(records, group_key: str, process_key: str) -> tuple[set[int], set[int]]:
    groups, processes = set(), set()
    for group_id, process_id in records.values_list(group_key, process_key):
        if process_id:
            processes.add(process_id)
        elif group_id:
            groups.add(group_id)
    return groups, processes


def authority_coverage(authority: Organization) -> list[GroupCoverage]:
    live = {"authority": authority, "is_archived": False}
    profiles = SegmentProfile.objects.filter(**live)
    profiles_by_group = defaultdict(list)
    for profile in profiles.prefetch_related("groups", "processes").order_by("name"):
        groups = {g.pk for g in profile.groups.all()}
        for group_id in groups | {p.group_id for p in profile.processes.all()}:
            profiles_by_group[group_id].append(profile)
    covered = {
        "profile": (
            set(profiles.filter(groups__isnull=False).values_list("groups", flat=True)),
            set(profiles.filter(processes__isnull=False).values_list("processes", flat=True)),
        ),
        "touchpoints": _covered(Touchpoint.objects.filter(**live), "group_id", "process_id"),
        "assessment": _covered(
            SatisfactionAssessment.objects.filter(**live), "group_id", "process_id"
        ),
    }
    rows = defaultdict(list)
    for process in (
        Process.objects.filter(authority=authority, is_excluded=False)
        .select_related("typical_process")
        .order_by("identifier_number", "identifier")
    ):
        rows[process.group_id].append(process)
    result = []
    for group in ProcessGroup.objects.filter(edition__level=authority.level).order_by("order"):
        entry = GroupCoverage(group, rows[group.pk], profiles=profiles_by_group[group.pk])
        for aspect, (groups, processes) in covered.items():
            if group.pk in groups:
                continue
            entry.missing[aspect] = [p for p in entry.services if p.pk not in processes]
        result.append(entry)
    return result
