"""Coverage of the registry by segmentation (roadmap measures 3.x.1-3.x.3): for each process
group of an authority, which services (registry rows not excluded) have no segment profile,
no touchpoints, no satisfaction assessment. A record kept for a whole group covers every
service of the group; one kept for a row covers that row."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from registry.models import Organization, Process, ProcessGroup
from registry.models.organizations import editions_by_authority
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
    def gaps(self) -> list[tuple[Process, list[bool]]]:
        """The services lacking any part, each once, with whether it lacks each of ASPECTS
        (the page lists a service once, not once per part it lacks)."""
        missing = {a: {p.pk for p in self.missing[a]} for a in ASPECTS}
        return [
            (p, [p.pk in missing[a] for a in ASPECTS])
            for p in self.services
            if any(p.pk in missing[a] for a in ASPECTS)
        ]

    @property
    def complete(self) -> bool:
        return all(not self.missing[a] for a in ASPECTS)


def _covered(records, group_key: str, process_key: str) -> dict[int, tuple[set, set]]:
    """Per authority: (groups covered as a whole, rows covered one by one)."""
    covered = defaultdict(lambda: (set(), set()))
    for authority_id, group_id, process_id in records.values_list(
        "authority_id", group_key, process_key
    ):
        groups, processes = covered[authority_id]
        if process_id:
            processes.add(process_id)
        elif group_id:
            groups.add(group_id)
    return covered


def authority_coverages(authorities, counts_only=False) -> dict[int, list[GroupCoverage]]:
    """authority_coverage() of each authority (by pk) in a constant number of queries: the
    catalogue, the rows and the records of all of them are each read once. `counts_only`:
    rows and profiles are read as ids only (the stored figures count them, never show them)."""
    authorities = list(authorities)
    live = {"authority__in": [a.pk for a in authorities], "is_archived": False}
    profiles = SegmentProfile.objects.filter(**live)
    if counts_only:
        profiles = profiles.only("pk", "authority_id", "name").prefetch_related(
            Prefetch("groups", ProcessGroup.objects.only("pk")),
            Prefetch("processes", Process.objects.only("pk", "group_id")),
        )
    else:
        profiles = profiles.prefetch_related("groups", "processes")
    profiles_by_group = defaultdict(list)
    profiled = defaultdict(lambda: (set(), set()))  # as _covered() gives for the records
    for profile in profiles.order_by("name"):
        own_groups = {g.pk for g in profile.groups.all()}
        own_rows = {p.pk: p.group_id for p in profile.processes.all()}
        groups, processes = profiled[profile.authority_id]
        groups.update(own_groups)
        processes.update(own_rows)
        for group_id in own_groups | set(own_rows.values()):
            profiles_by_group[profile.authority_id, group_id].append(profile)
    covered = {
        "profile": profiled,
        "touchpoints": _covered(Touchpoint.objects.filter(**live), "group_id", "process_id"),
        "assessment": _covered(
            SatisfactionAssessment.objects.filter(**live), "group_id", "process_id"
        ),
    }
    rows = defaultdict(list)
    services = Process.objects.filter(authority__in=live["authority__in"], is_excluded=False)
    if counts_only:
        services = services.only("pk", "authority_id", "group_id")
    else:
        services = services.select_related("typical_process")
    for process in services.order_by("identifier_number", "identifier"):
        rows[process.authority_id, process.group_id].append(process)
    editions = editions_by_authority(authorities)
    groups_per_edition = defaultdict(list)
    for group in ProcessGroup.objects.filter(edition__in=set(editions.values())).order_by("order"):
        groups_per_edition[group.edition_id].append(group)
    result = {}
    for authority in authorities:
        entries = []
        for group in groups_per_edition[editions[authority.pk]]:
            key = authority.pk, group.pk
            entry = GroupCoverage(group, rows[key], profiles=profiles_by_group[key])
            for aspect, per_authority in covered.items():
                groups, processes = per_authority[authority.pk]
                if group.pk in groups:
                    continue
                entry.missing[aspect] = [p for p in entry.services if p.pk not in processes]
            entries.append(entry)
        result[authority.pk] = entries
    return result


def authority_coverage(authority: Organization) -> list[GroupCoverage]:
    return authority_coverages([authority])[authority.pk]
