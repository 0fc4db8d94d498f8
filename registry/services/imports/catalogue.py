"""The values a registry file is matched against: the authority's edition of the catalogue and
the names of authorities, compared tolerantly (case, ё/е, spaces, quotes, trailing dots)."""

from __future__ import annotations

from collections import defaultdict

from registry.models import (
    CellVariant,
    Organization,
    PlacementPoint,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    TypicalProcess,
    normalize_text,
)
from registry.services.row_values import RowNames


def key(value: str) -> str:
    """Tolerant comparison form: case, ё/е, spaces, quotes and trailing dots do not count."""
    text = (
        normalize_text(value)
        .replace("«", '"')
        .replace("»", '"')
        .replace("“", '"')
        .replace("”", '"')
    )
    return text.rstrip(". ;")


class Catalogue:
    """The authority's edition of the catalogue, indexed for tolerant matching."""

    def __init__(self, edition):
        self.groups: dict[str, ProcessGroup] = {}
        for group in ProcessGroup.objects.filter(edition=edition):
            for name in (group.name, group.short_name, group.code):
                if name:
                    self.groups[key(name)] = group
        self.group_names = [g.name for g in ProcessGroup.objects.filter(edition=edition)]
        self.typicals: dict[tuple[int, str], TypicalProcess] = {}
        self.typicals_by_name: dict[str, list[TypicalProcess]] = defaultdict(list)
        for typical in TypicalProcess.objects.filter(group__edition=edition).select_related(
            "group"
        ):
            self.typicals[(typical.group_id, key(typical.name))] = typical
            self.typicals_by_name[key(typical.name)].append(typical)
        self.statuses: dict[str, ReengineeringStatus] = {}
        statuses = list(ReengineeringStatus.objects.filter(edition=edition))
        for status in statuses:
            for name in (status.name, *status.aliases):
                self.statuses[key(name)] = status
        self.status_names = [s.name for s in statuses]
        kinds = list(ProcessKind.objects.filter(edition=edition))
        self.kinds = {key(k.name): k for k in kinds}
        self.kinds.update({key(k.name).replace(" ", ""): k for k in kinds})
        self.kind_names = [k.name for k in kinds]
        points = list(PlacementPoint.objects.all())
        self.points = {key(p.name): p for p in points}
        self.points.update({p.code: p for p in points})
        self.point_names = [p.name for p in points]
        self.point_order = {p.pk: p.order for p in points}
        # How hand-kept files write an empty cell or a placement point (CellVariant, data).
        self.empty_words: set[str] = set()
        self.point_variants: dict[str, PlacementPoint] = {}
        by_pk = {p.pk: p for p in points}
        for variant in CellVariant.objects.all():
            if variant.meaning == CellVariant.EMPTY:
                self.empty_words.add(variant.key)
            elif variant.placement_point_id in by_pk:
                self.point_variants[variant.key] = by_pk[variant.placement_point_id]
        self.row_names = RowNames(
            groups={g.pk: g.label for g in self.groups.values()},  # column 6 as printed
            typicals={t.pk: t.name for t in self.typicals.values()},
            statuses={s.pk: s.name for s in statuses},
            kinds={k.pk: k.name for k in kinds},
            points={p.pk: p.name for p in sorted(points, key=lambda p: p.order)},
        )


def authority_names() -> dict[str, list[Organization]]:
    """Every name an authority goes by; a short name may belong to several authorities."""
    names: dict[str, list[Organization]] = defaultdict(list)
    for org in Organization.objects.authorities().prefetch_related("aliases"):
        for name in {org.full_name, org.short_name, *(a.name for a in org.aliases.all())}:
            if name and org not in names[key(name)]:
                names[key(name)].append(org)
    return names
