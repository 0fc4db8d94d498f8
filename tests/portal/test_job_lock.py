"""Jobs that hold a lock (portal.jobs.start_job(lock=...)): a second one is refused while the
first is queued or running, whichever process asks; and all-or-nothing work shows progress."""

from __future__ import annotations

import pytest
from django.db import connection

from portal import jobs
from portal.models import Job, JobState
from tests.conftest import World
from tests.portal import job_tasks
from tests.portal.workers import run_worker


@pytest.mark.django_db
def test_a_second_job_with_the_same_lock_is_refused_until_the_first_ends(world):
    first = jobs.start_job(world.officer, "t", "Первое", job_tasks.count_rows, lock="x:1", rows=1)
    with pytest.raises(jobs.JobBusy) as busy:
        jobs.start_job(
            world.official, "t", "Второе", job_tasks.count_rows, lock="x:1", busy="№ {number}"
        )
    assert busy.value.job == first and busy.value.message == f"№ {first.pk}"
    assert jobs.active_job("x:1") == first
    other = jobs.start_job(world.officer, "t", "Другое", job_tasks.count_rows, lock="x:2", rows=1)
    unlocked = [jobs.start_job(world.officer, "t", "Без", job_tasks.count_rows, rows=1)] * 2
    assert Job.objects.count() == 3 and other.lock == "x:2" and unlocked[0].lock == ""

    Job.objects.filter(pk=first.pk).update(state=JobState.FAILED)
    assert jobs.active_job("x:1") is None
    again = jobs.start_job(world.officer, "t", "Снова", job_tasks.count_rows, lock="x:1", rows=1)
    assert again.state == JobState.QUEUED


@pytest.mark.django_db
def test_a_job_lost_with_its_worker_does_not_hold_its_lock(world, settings):
    from datetime import timedelta

    from django.utils import timezone

    lost = jobs.start_job(world.officer, "t", "Потерянное", job_tasks.count_rows, lock="x:1")
    started = timezone.now() - timedelta(hours=settings.JOB_STALE_HOURS, minutes=1)
    Job.objects.filter(pk=lost.pk).update(state=JobState.RUNNING, started_at=started)
    again = jobs.start_job(world.officer, "t", "Снова", job_tasks.count_rows, lock="x:1", rows=1)
    lost.refresh_from_db()
    assert lost.state == JobState.FAILED and lost.message == jobs.STOPPED_MESSAGE
    assert jobs.active_job("x:1") == again

    # one that runs, however long, but within the hours still holds it
    Job.objects.filter(pk=again.pk).update(state=JobState.RUNNING, started_at=timezone.now())
    with pytest.raises(jobs.JobBusy):
        jobs.start_job(world.officer, "t", "Третье", job_tasks.count_rows, lock="x:1")


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_works_transaction_is_seen_before_it_commits():
    world = World()
    job = jobs.start_job(
        world.officer, "t", "Одной транзакцией", job_tasks.rows_in_one_transaction, rows=300
    )
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    if connection.vendor == "postgresql":  # written through the run's own connection
        assert job.summary == "Увидено: 300."
    else:  # SQLite has one writer: the counters come with the work's commit
        assert job.summary == "Увидено: 0."
    assert (job.done, job.total) == (300, 300)
