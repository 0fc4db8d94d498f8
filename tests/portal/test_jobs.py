"""Jobs (portal.jobs): long work in a real task worker, its progress, its file (its owner's
only), its failure as a Russian message; the pages, the status endpoint, the purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import jobs
from portal.models import Job, JobState
from portal.scoping import CHANGE, OFFICIAL, VIEW, Reach, Scope, can, restrict
from tests.conftest import World
from tests.portal import job_tasks
from tests.portal.workers import run_worker

worker_db = pytest.mark.django_db(transaction=True)


def pages(job: Job) -> dict[str, str]:
    return {
        name: reverse(f"portal:{name}", args=[job.pk])
        for name in ("job_detail", "job_status", "job_file")
    }


@worker_db
def test_a_job_runs_in_the_worker_with_progress_and_a_file_for_its_owner_only(client):
    world = World()
    job = jobs.start_job(world.official, "test", "Выгрузка строк", job_tasks.count_rows, rows=1000)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    assert job.task_id  # enqueued once the transaction (here: autocommit) committed
    client.force_login(world.official)
    queued = client.get(pages(job)["job_status"]).json()
    assert (queued["state_label"], queued["percent"], queued["finished"]) == (
        "в очереди",
        0,
        False,
    )

    run_worker()

    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert (job.done, job.total) == (1000, 1000)
    assert job.started_at <= job.finished_at
    # Progress was written while the work ran, at most every 1 % (the work is quicker than 1 s
    # a hundred times over), and the reader saw it.
    written = int(job.summary.rsplit(": ", 1)[1].rstrip("."))
    assert 90 <= written <= 105, job.summary
    status = client.get(pages(job)["job_status"])
    assert status["Content-Type"] == "application/json"
    assert status.json() == {
        "id": job.pk,
        "state": "done",
        "state_label": "готово",
        "finished": True,
        "done": 1000,
        "total": 1000,
        "percent": 100,
        "progress_text": "1000 из 1000 строк",
        "summary": job.summary,
        "message": "",
        "file_name": "Строки.csv",
        "download_url": pages(job)["job_file"],
    }
    page = client.get(pages(job)["job_detail"]).content.decode()
    assert 'data-bar-width="100"' in page and "1000 из 1000 строк" in page
    assert pages(job)["job_file"] in page
    download = client.get(pages(job)["job_file"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    body = b"".join(download.streaming_content).decode()
    assert body.startswith("1;строка 1\n") and body.endswith("1000;строка 1000\n")
    # The file is in the storage, not on the worker's disk.
    assert job.result.name.startswith("jobs/") and job.result.storage.exists(job.result.name)

    # Nobody else reaches the job, whatever his authority: not his colleague, not his
    # officer, not an administrator.
    for other in (world.other_official, world.officer, world.coordinator, world.admin):
        client.force_login(other)
        assert {n: client.get(u).status_code for n, u in pages(job).items()} == dict.fromkeys(
            pages(job), 404
        ), other
        assert job.title not in client.get(reverse("portal:job_list")).content.decode()
    client.logout()
    assert all(client.get(u).status_code == 302 for u in pages(job).values())


@worker_db
def test_a_failing_job_shows_a_russian_message_and_logs_the_traceback(client):
    world = World()
    broken = jobs.start_job(world.official, "test", "Сломанная выгрузка", job_tasks.breaks)
    refused = jobs.start_job(world.official, "test", "Пустая выгрузка", job_tasks.refuses)

    log = run_worker()

    assert "Traceback" in log and "ZeroDivisionError" in log
    broken.refresh_from_db()
    refused.refresh_from_db()
    assert broken.state == refused.state == JobState.FAILED
    assert broken.message == jobs.FAILED_MESSAGE.format(number=broken.pk)
    assert (broken.done, broken.total) == (3, 10)  # as far as it got
    assert refused.message == "В реестре нет строк для выгрузки: измените условия отбора."
    client.force_login(world.official)
    for job in (broken, refused):
        page = client.get(pages(job)["job_detail"]).content.decode()
        assert job.message in page
        assert "Traceback" not in page and "internal detail" not in page
        status = client.get(pages(job)["job_status"]).json()
        assert (status["state_label"], status["message"], status["download_url"]) == (
            "ошибка",
            job.message,
            "",
        )
        assert client.get(pages(job)["job_file"]).status_code == 404
    assert "Traceback" not in client.get(reverse("portal:job_list")).content.decode()


def test_progress_is_written_at_most_every_percent_or_second(world):
    job = Job.objects.create(user=world.official, kind="test", title="Тест")
    now = [0.0]
    run = jobs.JobRun(job, clock=lambda: now[0])
    with CaptureQueriesContext(connection) as queries:
        for done in range(10_001):
            run.progress(done, 10_000)
    assert 100 <= len(queries) <= 101
    job.refresh_from_db()
    assert (job.done, job.total) == (10_000, 10_000)

    job = Job.objects.create(user=world.official, kind="test", title="Тест")
    run = jobs.JobRun(job, clock=lambda: now[0])
    with CaptureQueriesContext(connection) as queries:
        run.progress(1, 1_000_000)
        run.progress(2, 1_000_000)  # under 1 % and within the second: not written
        now[0] += 1.5
        run.progress(3, 1_000_000)  # a second later: written
        run.progress(5, 4)  # past the total: clamped, never above it
    assert len(queries) == 3
    job.refresh_from_db()
    assert (job.done, job.total) == (4, 4)


def test_a_job_is_run_once_whichever_worker_takes_it(world):
    job = Job.objects.create(user=world.official, kind="test", title="Тест", state="running")
    assert jobs._run(job_tasks.refuses.func, job.pk, {}) is None
    job.refresh_from_db()
    assert (job.state, job.message) == (JobState.RUNNING, "")


def test_a_job_that_cannot_be_queued_says_so(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(type(job_tasks.count_rows), "enqueue", down)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(world.official, "test", "Тест", job_tasks.count_rows, rows=1)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.message == jobs.NOT_QUEUED_MESSAGE.format(number=job.pk)


def test_the_list_shows_the_users_own_jobs_newest_first(client, world):
    mine = [Job.objects.create(user=world.official, kind="t", title=f"Мое {n}") for n in (1, 2)]
    Job.objects.create(user=world.officer, kind="t", title="Чужое")
    client.force_login(world.official)
    page = client.get(reverse("portal:job_list")).content.decode()
    assert page.index("Мое 2") < page.index("Мое 1")
    assert "Чужое" not in page
    assert reverse("portal:job_detail", args=[mine[0].pk]) in page


def test_progress_words_agree_with_the_number(world):
    job = Job(user=world.official, done=1, total=21, counted="письма|писем")
    assert job.progress_text == "1 из 21 письма"
    job.total = 11
    assert job.progress_text == "1 из 11 писем"
    assert Job(user=world.official, done=3, total=5).progress_text == "3 из 5 строк"
    assert Job(user=world.official, done=0).progress_text == ""


def test_purge_drops_old_files_keeps_the_jobs_and_ends_lost_ones(client, world, settings):
    settings.JOB_RESULT_RETENTION_DAYS = 7
    now = timezone.now()
    old = Job.objects.create(
        user=world.official,
        kind="t",
        title="Старая выгрузка",
        state=JobState.DONE,
        finished_at=now - timedelta(days=8),
        result_name="Старая.csv",
        result_type="text/csv",
    )
    old.result.save("Старая.csv", ContentFile(b"1;2\n"))
    fresh = Job.objects.create(
        user=world.official, kind="t", title="Свежая", state=JobState.DONE, finished_at=now
    )
    fresh.result.save("Свежая.csv", ContentFile(b"3;4\n"))
    lost = Job.objects.create(
        user=world.official,
        kind="t",
        title="Потерянная",
        state=JobState.RUNNING,
        started_at=now - timedelta(hours=settings.JOB_STALE_HOURS + 1),
    )
    storage_name = old.result.name

    call_command("purge_jobs", dry_run=True)
    assert Job.objects.filter(purged_at__isnull=False).count() == 0
    call_command("purge_jobs")

    old.refresh_from_db()
    fresh.refresh_from_db()
    lost.refresh_from_db()
    assert old.purged_at is not None and not old.result.storage.exists(storage_name)
    assert fresh.purged_at is None and fresh.result.storage.exists(fresh.result.name)
    assert (lost.state, lost.message) == (JobState.FAILED, jobs.STOPPED_MESSAGE)
    assert Job.objects.count() == 3  # nothing deleted
    client.force_login(world.official)
    assert client.get(reverse("portal:job_file", args=[old.pk])).status_code == 404
    page = client.get(reverse("portal:job_detail", args=[old.pk])).content.decode()
    assert "Файл удален" in page
    assert client.get(reverse("portal:job_file", args=[fresh.pk])).status_code == 200


def test_a_file_gone_from_the_storage_is_a_404(client, world):
    job = Job.objects.create(user=world.official, kind="t", title="Т", state=JobState.DONE)
    job.result.save("т.csv", ContentFile(b"1"))
    job.result.storage.delete(job.result.name)
    client.force_login(world.official)
    response = client.get(reverse("portal:job_file", args=[job.pk]))
    assert response.status_code == 404


def test_jobs_are_reached_by_their_owner_alone_in_restrict_and_can(world):
    rows = [Job.objects.create(user=u, kind="t", title="Т") for u in (world.official, world.admin)]
    users = [AnonymousUser(), world.official, world.officer, world.coordinator, world.admin]
    for user in users:
        for action in (VIEW, CHANGE):
            reached = set(restrict(Job, user, action).values_list("pk", flat=True))
            assert reached == {row.pk for row in rows if can(user, action, row)}
            assert reached == {row.pk for row in rows if row.user_id == user.pk}


def test_a_scope_without_an_owner_admits_only_self_and_all():
    with pytest.raises(ImproperlyConfigured):
        Scope(author="user")  # the default rules reach by authority
    with pytest.raises(ImproperlyConfigured):
        Scope(rules={VIEW: {OFFICIAL: Reach.SELF}, CHANGE: {OFFICIAL: Reach.SELF}})
