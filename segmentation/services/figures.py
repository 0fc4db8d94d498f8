"""Computes the stored segmentation coverage of every authority
(segmentation.models.SegmentationFigures) with authority_coverages(), the service the page of
one authority reads, a batch of authorities at a time (registry.services.figures)."""

from __future__ import annotations

from django.utils import timezone

from registry.services.figures import in_batches, upsert
from segmentation.models import SegmentationFigures
from segmentation.services.coverage import ASPECTS, authority_coverages

FIELDS = (
    "services",
    *ASPECTS,
    "groups_with_services",
    "groups_complete",
    "percent",
    "computed_at",
)


def segmentation_figures(authorities) -> list[SegmentationFigures]:
    now = timezone.now()
    coverages = authority_coverages(authorities, counts_only=True)
    figures = []
    for authority in authorities:
        entries = [e for e in coverages[authority.pk] if e.services]
        services = sum(len(e.services) for e in entries)
        covered = {a: sum(e.covered(a) for e in entries) for a in ASPECTS}
        percent = 100 * sum(covered.values()) / (len(ASPECTS) * services) if services else 0
        figures.append(
            SegmentationFigures(
                authority=authority,
                services=services,
                **covered,
                groups_with_services=len(entries),
                groups_complete=sum(1 for e in entries if e.complete),
                percent=round(percent, 2),
                computed_at=now,
            )
        )
    return figures


def recompute_segmentation(progress=None) -> int:
    """Every authority's figures; returns how many authorities were computed."""
    return in_batches(
        progress, lambda batch: upsert(SegmentationFigures, segmentation_figures(batch), FIELDS)
    )
