"""The charts of the coverage pages (portal.charts): of one authority, read live per process
group; of the country, from the stored SegmentationFigures the page has summed."""

from __future__ import annotations

from django.utils.text import capfirst

from portal.charts import Chart, Series
from segmentation.services.coverage import ASPECT_LABELS, ASPECTS, GroupCoverage


def authority_chart(entries: list[GroupCoverage]) -> Chart:
    """Per process group: its services and how many have each part (the page's table)."""
    return Chart(
        key="groups",
        title="Охват услуг по группам процессов",
        category="Группа процессов",
        labels=[e.group.label for e in entries],
        series=[
            Series("Услуг в реестре", [len(e.services) for e in entries], "chart-total"),
            *(
                Series(f"С: {ASPECT_LABELS[a]}", [e.covered(a) for e in entries], f"aspect-{a}")
                for a in ASPECTS
            ),
        ],
        stacked=False,
    )


def national_chart(totals: dict) -> Chart:
    """`totals`: the page's sums of the stored figures (services and each part)."""
    services = totals.get("services") or 0
    covered = [totals.get(a) or 0 for a in ASPECTS]
    return Chart(
        key="aspects",
        title="Охват услуг по отбору",
        category="Что есть у услуги",
        labels=[capfirst(ASPECT_LABELS[a]) for a in ASPECTS],
        series=[
            Series("Охвачено услуг", covered, "chart-covered"),
            Series("Не охвачено услуг", [services - n for n in covered], "chart-missing"),
        ],
        total_label="Услуг в реестре",
    )
