"""Long work in the task worker, with progress the user's page polls.

    @job_task
    def send_reminders(run, *, day):
        for done, letter in enumerate(letters, 1):
            ...
            run.progress(done, len(letters))
        run.save_file("отчет.csv", data, "text/csv")
        return "Писем: 5."          # the summary the job's page shows

    job = start_job(user, "reminders", "Рассылка напоминаний", send_reminders, day="2026-12-02")

`start_job` writes the `Job` row and enqueues the task once the transaction commits (a worker
never meets a job that is not there yet). The worker (`manage.py db_worker`, any number of
them on any number of machines) runs the function with a `JobRun`: `progress(done, total)`
writes the counters at most every 1 % or every second; the result file goes through Django's
storage (the database or S3, never a worker's disk). Any exception ends the job as "ошибка"
with a Russian message: a `JobRefused`'s own text, or a generic one for anything else (the
traceback goes to the log, never to the user).

Tasks are django-tasks' (Django 6's `django.tasks` when present): the parameters must be JSON.
Work that must write all or nothing (a publication, an import's apply) runs in one transaction;
its progress is then written through a second connection of its own (PostgreSQL), so the
page's poll sees it before the work commits. On SQLite, which has one writer, it is written in
the work's transaction and seen when it ends.

`start_job(..., lock="publish:12")` refuses a second job holding the same lock while the first
is queued or running (a unique index: whichever web worker asks): `JobBusy` names the job.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone

from portal.models import Job, JobState
from portal.models.jobs import ACTIVE

try:  # Django 6 ships the framework; the backport is the same API
    from django.tasks import task
except ImportError:  # pragma: no cover - Django 5.2
    from django_tasks import task

logger = logging.getLogger("portal.jobs")

FAILED_MESSAGE = (
    "Задание не выполнено из-за внутренней ошибки портала. Запустите его еще раз; если ошибка "
    "повторится, сообщите администратору номер задания — {number}."
)
NOT_QUEUED_MESSAGE = (
    "Задание не поставлено в очередь: обработчик заданий недоступен. Запустите его еще раз "
    "позже; если ошибка повторится, сообщите администратору номер задания — {number}."
)
STOPPED_MESSAGE = "Задание прервано: обработчик заданий был остановлен. Запустите его еще раз."
PROGRESS_SECONDS = 1.0


class JobRefused(Exception):  # noqa: N818 - a refusal, not a bug
    """The work cannot be done for a reason the user should read (in Russian): shown as is."""


class JobBusy(Exception):  # noqa: N818 - a refusal, not a bug
    """The same work is already queued or running: `job` is that job."""

    def __init__(self, job: Job | None, message: str):
        super().__init__(message)
        self.job = job
        self.message = message


def active_job(lock: str) -> Job | None:
    """The queued or running job that holds `lock`, if any."""
    return Job.objects.filter(lock=lock, state__in=ACTIVE).first()


def stale_jobs(now=None):
    """Jobs running longer than JOB_STALE_HOURS: their worker stopped with them."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.JOB_STALE_HOURS)
    return Job.objects.filter(state=JobState.RUNNING, started_at__lt=since)


def stop_stale(jobs, now=None) -> int:
    """Marks stale jobs failed, which also frees their locks."""
    now = now or timezone.now()
    return jobs.update(state=JobState.FAILED, finished_at=now, message=STOPPED_MESSAGE)


class JobRun:
    """What a job's function gets: the job, its user and the ways to report back."""

    def __init__(self, job: Job, clock: Callable[[], float] = time.monotonic):
        self.job = job
        self.user = job.user
        self._clock = clock
        self._written = (job.done, job.total)
        self._written_at = clock()
        self._side = None  # the connection progress takes inside the work's transaction
        # Only a run that began outside any transaction has its job row committed for another
        # connection to update (a test's transaction, or a caller's, has not committed it).
        self._may_use_side = not connection.in_atomic_block

    def progress(self, done: int, total: int | None = None) -> None:
        """Records the counters when they moved by 1 % of the total, or a second has passed,
        or the work is complete; otherwise nothing is written."""
        done = max(0, done if total is None else min(done, total))
        written_done, written_total = self._written
        step = max(1, (total or 0) // 100)
        now = self._clock()
        if (done, total) == self._written:
            return
        if (
            total == written_total
            and done != total
            and done - written_done < step
            and now - self._written_at < PROGRESS_SECONDS
        ):
            return
        self._write_counters(done, total)
        self.job.done, self.job.total = done, total
        self._written, self._written_at = (done, total), now

    def _write_counters(self, done: int, total: int | None) -> None:
        side_wanted = self._may_use_side and connection.in_atomic_block
        if not side_wanted or connection.vendor != "postgresql":
            Job.objects.filter(pk=self.job.pk).update(done=done, total=total)
            return
        if self._side is None:
            # Its own autocommit connection: the work's transaction has not committed yet.
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET done = %s, total = %s WHERE id = %s",
                [done, total, self.job.pk],
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None

    def save_file(self, name: str, content, content_type: str) -> None:
        """Keeps the result with the job: `content` is bytes or an open binary file."""
        if isinstance(content, bytes):
            content = ContentFile(content)
        elif not isinstance(content, File):
            content = File(content)
        self.job.result.save(name, content, save=False)
        self.job.result_name = name
        self.job.result_type = content_type
        self.job.result_size = self.job.result.size
        Job.objects.filter(pk=self.job.pk).update(
            result=self.job.result.name,
            result_name=name,
            result_type=content_type,
            result_size=self.job.result_size,
        )

    def write_file(self, name: str, content_type: str, write: Callable[[str], object]) -> None:
        """Calls write(path) on a temporary file (XlsxWriter's streaming exports) and keeps
        the file with the job; the temporary file is removed at once."""
        handle, path = tempfile.mkstemp(prefix="job-", suffix=os.path.splitext(name)[1])
        os.close(handle)
        try:
            write(path)
            with open(path, "rb") as stream:
                self.save_file(name, stream, content_type)
        finally:
            os.unlink(path)


def job_task(function=None, **task_options):
    """Makes `function(run, **params) -> summary | None` a task that runs it as a job.

    The task takes the job's id and the parameters; `task_options` are django-tasks' own
    (`queue_name`, `priority`, `backend`)."""

    def wrap(function):
        @functools.wraps(function)
        def run_job(job_id: int, **params):
            return _run(function, job_id, params)

        return task(**task_options)(run_job)

    return wrap(function) if function is not None else wrap


def _run(function, job_id: int, params: dict):
    """Claims the queued job (once, whichever worker gets it), runs the work, records how it
    ended. A failure is recorded and raised again, so the task's own record (admin) keeps it."""
    started = timezone.now()
    if not Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=started
    ):
        logger.warning("Job %s is not waiting in the queue; not run again.", job_id)
        return None
    job = Job.objects.select_related("user").get(pk=job_id)
    run = JobRun(job)
    try:
        summary = function(run, **params)
    except BaseException as error:
        run.close()
        if isinstance(error, JobRefused):
            message = str(error)
            logger.info("Job %s (%s) refused: %s", job_id, job.kind, message)
        elif isinstance(error, Exception):
            message = FAILED_MESSAGE.format(number=job_id)
            logger.exception("Job %s (%s) failed", job_id, job.kind)
        else:  # the worker is being stopped (a second Ctrl+C, SIGTERM twice)
            message = STOPPED_MESSAGE
            logger.warning("Job %s (%s) stopped with its worker", job_id, job.kind)
        _finish(job, JobState.FAILED, message=message)
        raise
    run.close()
    done = job.total if job.total is not None else job.done
    _finish(job, JobState.DONE, summary=str(summary or ""), done=done)
    return None


def _finish(job: Job, state: str, **fields) -> None:
    # Only a running job: one purge_jobs marked stopped stays failed if its worker wakes up.
    Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
        state=state, finished_at=timezone.now(), **fields
    )


BUSY_MESSAGE = "Это задание уже выполняется (задание № {number}): дождитесь его окончания."


def start_job(
    user,
    kind: str,
    title: str,
    work,
    *,
    counted: str = "строки|строк",
    lock: str = "",
    back: tuple[str, str] = ("", ""),
    busy: str = BUSY_MESSAGE,
    **params,
) -> Job:
    """Writes the job and enqueues `work` (a `job_task`) after the transaction commits.
    `counted` names what the counters count, a key of `PROGRESS_PHRASES` ("письма|писем":
    из 1 письма, из 5 писем; a new kind adds its phrase there and its forms in locale/ru);
    `lock` refuses a second such job while this one is queued or running (`JobBusy` with
    `busy`, "{number}" being the running job's); `back` is (address, label) of the link the
    job's page offers."""
    if lock:  # a job lost with its worker must not hold the lock until purge_jobs runs
        stop_stale(stale_jobs().filter(lock=lock))
    try:
        with transaction.atomic():
            job = Job.objects.create(
                user=user,
                kind=kind,
                title=title[:300],
                counted=counted,
                params=params,
                lock=lock,
                back_url=back[0][:300],
                back_label=back[1][:100],
            )
    except IntegrityError:
        running = active_job(lock) if lock else None
        if running is None:  # not the lock (or it was freed meanwhile): a real error
            raise
        raise JobBusy(running, busy.format(number=running.pk)) from None
    transaction.on_commit(functools.partial(_enqueue, job.pk, work, params))
    return job


def _enqueue(job_id: int, work, params: dict) -> None:
    try:
        result = work.enqueue(job_id, **params)
    except Exception:
        logger.exception("Job %s could not be enqueued", job_id)
        Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
            state=JobState.FAILED,
            finished_at=timezone.now(),
            message=NOT_QUEUED_MESSAGE.format(number=job_id),
        )
        return
    # The immediate backend (tests, development) has run the job by now: the id still helps.
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])
