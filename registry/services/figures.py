"""Computes the stored catalogue coverage of every authority (registry.models.CatalogueFigures)
with the same services the page of one authority reads, a batch of authorities at a time:
memory stays flat, and the page's figures are exactly what each authority's own page shows."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Q
from django.utils import timezone

from registry.models import CatalogueFigures, Organization, Process
from registry.services.campaigns import catalogue_coverages, status_distributions

BATCH = 200
FIELDS = (
    "rows",
    "reengineered",
    "groups_total",
    "groups_covered",
    "typicals_total",
    "typicals_covered",
    "percent",
    "computed_at",
)


def in_batches(progress: Callable[[int, int], object] | None, compute) -> int:
    """Calls compute(authorities) for every authority, BATCH at a time, in pk order."""
    ids = list(Organization.objects.authorities().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = list(Organization.objects.filter(pk__in=ids[start : start + BATCH]))
        compute(batch)
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids)


def upsert(model, rows: list, fields=FIELDS) -> None:
    """Rows replace the authority's previous figures in place (nothing is deleted)."""
    model.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["authority"], update_fields=list(fields)
    )


def row_counts(authorities) -> dict[int, tuple[int, int]]:
    """(rows in the registry, of them reengineered) per authority: every row counts, with a
    group (column 6) or without one."""
    counted = (
        Process.objects.filter(authority__in=authorities, is_excluded=False)
        .values("authority_id")
        .annotate(
            rows=Count("pk"), reengineered=Count("pk", filter=Q(status__is_reengineered=True))
        )
        .order_by()
        .values_list("authority_id", "rows", "reengineered")
    )
    return {authority_id: (rows, done) for authority_id, rows, done in counted}


def catalogue_figures(authorities) -> list[CatalogueFigures]:
    now = timezone.now()
    coverages = catalogue_coverages(authorities)
    distributions = status_distributions(authorities)
    counts = row_counts(authorities)
    figures = []
    for authority in authorities:
        coverage, groups = coverages[authority.pk], distributions[authority.pk]
        groups_total = len(groups)
        rows, reengineered = counts.get(authority.pk, (0, 0))
        figures.append(
            CatalogueFigures(
                authority=authority,
                rows=rows,
                reengineered=reengineered,
                groups_total=groups_total,
                groups_covered=groups_total - len(coverage.missing_groups),
                typicals_total=coverage.typical_total,
                typicals_covered=coverage.typical_covered,
                percent=round(coverage.percent, 2),
                computed_at=now,
            )
        )
    return figures


def recompute_catalogue(progress=None) -> int:
    """Every authority's figures; returns how many authorities were computed."""
    return in_batches(progress, lambda batch: upsert(CatalogueFigures, catalogue_figures(batch)))
