"""Figures stored for pages that sum over the whole country (the coverage pages): when they
were computed, whether they are stale, and the one recomputation queued at a time.

An app keeps one row per authority (a model with `computed_at`, scoped by its authority), a
job that recomputes every row and a page that sums the rows the user may see. The page asks
`freshness()`; when the figures are older than FIGURES_STALE_MINUTES or an authority has
none, `recompute()` queues the job unless one of its kind is already queued or running."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from portal.jobs import JobBusy, start_job
from portal.models import Job, JobState


@dataclass
class Freshness:
    computed_at: datetime | None  # the oldest of the figures shown; None: nothing computed
    missing: int  # authorities with no figures yet
    job: Job | None  # the recomputation queued or running

    @property
    def stale(self) -> bool:
        if self.computed_at is None or self.missing:
            return True
        age = timezone.now() - self.computed_at
        return age > timedelta(minutes=settings.FIGURES_STALE_MINUTES)


def pending_job(kind: str) -> Job | None:
    """A recomputation of this kind still queued or running (one lost with its worker is
    marked failed by purge_jobs after JOB_STALE_HOURS; it does not block for longer)."""
    since = timezone.now() - timedelta(hours=settings.JOB_STALE_HOURS)
    return (
        Job.objects.filter(
            kind=kind, state__in=(JobState.QUEUED, JobState.RUNNING), created_at__gte=since
        )
        .order_by("-created_at")
        .first()
    )


def freshness(figures, expected: int, kind: str) -> Freshness:
    """`figures`: the stored rows the page shows; `expected`: how many authorities it should
    have rows for."""
    found = figures.order_by().aggregate(oldest=Min("computed_at"), rows=Count("pk"))
    return Freshness(found["oldest"], max(0, expected - found["rows"]), pending_job(kind))


def recompute(user, kind: str, title: str, work) -> tuple[Job, bool]:
    """Queues `work` (a job_task of no parameters) unless a job of `kind` is pending; returns
    the job and whether it was queued now. The job holds the lock `kind`, so two requests at
    the same instant queue one job, whichever web worker they reach."""
    job = pending_job(kind)
    if job is not None:
        return job, False
    try:
        job = start_job(user, kind, title, work, counted="органа власти|органов власти", lock=kind)
    except JobBusy as busy:  # another request queued it a moment ago
        return busy.job, False
    return job, True
