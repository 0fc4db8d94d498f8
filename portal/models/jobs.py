"""A piece of long work a user asked for (an export, a mailing, a publication): its state,
progress and result file. The work itself runs in a task worker (portal.jobs); this row is
what the user's pages read while it runs and what stays as the record after it.

Nothing is deleted: `purge_jobs` drops an old result's bytes and marks `purged_at`."""

from __future__ import annotations

import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from portal.scoping import CHANGE, SELF_ONLY, VIEW, RestrictedQuerySet, Scope


class JobState(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "выполняется"
    DONE = "done", "готово"
    FAILED = "failed", "ошибка"


# «N из M …» of each kind of counter (`Job.counted`, as start_job is given it): "из" takes
# the genitive, из 1 (21) строки, из 2 (5, 11) строк; the forms are in locale/ru.
PROGRESS_PHRASES = {
    "строки|строк": ngettext_lazy(
        "%(done)s из %(count)s строки", "%(done)s из %(count)s строк", "count"
    ),
    "письма|писем": ngettext_lazy(
        "%(done)s из %(count)s письма", "%(done)s из %(count)s писем", "count"
    ),
    "органа власти|органов власти": ngettext_lazy(
        "%(done)s из %(count)s органа власти", "%(done)s из %(count)s органов власти", "count"
    ),
}

FINISHED = (JobState.DONE, JobState.FAILED)
ACTIVE = (JobState.QUEUED, JobState.RUNNING)


def result_upload_to(instance, filename: str) -> str:
    """A fresh storage name: nothing is overwritten, the download name is kept apart."""
    suffix = re.sub(r"[^a-z0-9.]", "", PurePath(filename).suffix.lower())[:10]
    return f"jobs/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class Job(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jobs",
        verbose_name="кто запустил",
    )
    kind = models.CharField("вид", max_length=64, db_index=True)
    title = models.CharField("задание", max_length=300)
    state = models.CharField(
        "состояние", max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    params = models.JSONField("параметры", default=dict, blank=True)
    done = models.PositiveIntegerField("обработано", default=0)
    total = models.PositiveIntegerField("всего", null=True, blank=True)
    # What the counters count: a key of PROGRESS_PHRASES («N из M строк»).
    counted = models.CharField("что считается", max_length=40, default="строки|строк")
    task_id = models.CharField("задача обработчика", max_length=64, blank=True)
    created_at = models.DateTimeField("запущено", default=timezone.now, db_index=True)
    started_at = models.DateTimeField("начато", null=True, blank=True)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)
    summary = models.TextField("итог", blank=True)
    message = models.TextField("сообщение об ошибке", blank=True)
    result = models.FileField("файл", upload_to=result_upload_to, max_length=255, blank=True)
    result_name = models.CharField("имя файла", max_length=255, blank=True)
    result_type = models.CharField("тип файла", max_length=100, blank=True)
    result_size = models.PositiveBigIntegerField("размер файла, байт", null=True, blank=True)
    purged_at = models.DateTimeField("файл удален", null=True, blank=True)
    # What the work holds while queued or running ("publish:12"): a second job with the same
    # lock is refused by the database (job_lock_while_active), whichever web worker asks.
    lock = models.CharField("блокировка", max_length=100, blank=True)
    # Where the user goes on from the job's page (the versions, the upload); none: nowhere.
    back_url = models.CharField("адрес возврата", max_length=300, blank=True)
    back_label = models.CharField("текст ссылки возврата", max_length=100, blank=True)

    # Jobs are per user: whoever asked sees the job and its file, nobody else (administrators
    # included; they see the rows, never the files, in the admin).
    scoping = Scope(author="user", rules={VIEW: SELF_ONLY, CHANGE: SELF_ONLY})
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "задание"
        verbose_name_plural = "задания"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=JobState.values), name="job_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(done__lte=models.F("total")),
                name="job_done_within_total",
            ),
            models.UniqueConstraint(
                fields=["lock"],
                condition=models.Q(state__in=ACTIVE) & ~models.Q(lock=""),
                name="job_lock_while_active",
            ),
        ]

    def __str__(self) -> str:
        return f"Задание № {self.pk}: {self.title}"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def progress_text(self) -> str:
        if self.total is None:
            return f"обработано: {self.done}" if self.done else ""
        phrase = PROGRESS_PHRASES.get(self.counted)
        if phrase is None:  # a kind of counter with no phrase yet: the bare figures
            return f"{self.done} из {self.total}"
        return phrase % {"done": self.done, "count": self.total}

    @property
    def has_file(self) -> bool:
        return self.state == JobState.DONE and bool(self.result) and self.purged_at is None
