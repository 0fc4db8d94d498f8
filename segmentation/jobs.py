"""Segmentation's long work, run as jobs in the task worker (portal.jobs)."""

from __future__ import annotations

from portal.jobs import job_task
from segmentation.services import figures

SEGMENTATION_FIGURES = "segmentation_figures"


@job_task
def recompute_segmentation_figures(run) -> str:
    """The stored segmentation coverage of every authority (the national coverage page)."""
    done = figures.recompute_segmentation(progress=run.progress)
    return f"Охват услуг сегментацией рассчитан для органов власти: {done}."
