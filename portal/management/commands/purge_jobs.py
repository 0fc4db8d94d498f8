"""Old jobs' result files: the bytes go, the job stays as the record. For cron, once a day:

30 3 * * *  cd /srv/portal && .venv/bin/python manage.py purge_jobs
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from portal.jobs import stale_jobs, stop_stale
from portal.management.purge import PurgeCommand
from portal.models import Job


class Command(PurgeCommand):
    help = (
        "Удаляет файлы результатов заданий старше JOB_RESULT_RETENTION_DAYS дней (задание "
        "остается с отметкой «файл удален») и отмечает ошибкой задания, которые выполняются "
        "дольше JOB_STALE_HOURS часов (их обработчик остановился). Для cron, раз в день."
    )

    def querysets(self, now):
        old = Job.objects.filter(
            purged_at__isnull=True,
            finished_at__lt=now - timedelta(days=settings.JOB_RESULT_RETENTION_DAYS),
        ).exclude(result="")
        return old, stale_jobs(now)

    def count(self):
        old, stale = self.querysets(timezone.now())
        return old.count(), stale.count()

    def purge(self):
        now = timezone.now()
        old, stale = self.querysets(now)
        purged = 0
        for job in old.only("pk", "result"):
            # Bytes first, then the mark: deleting is idempotent in both storages, so a run
            # that stops in between drops nothing twice and leaves nothing behind.
            job.result.storage.delete(job.result.name)
            purged += Job.objects.filter(pk=job.pk, purged_at__isnull=True).update(purged_at=now)
        stopped = stop_stale(stale, now)
        return purged, stopped

    summary = (
        "Файлы заданий старше {days} дн.: {0} — {will}удалены; заданий, выполняющихся дольше "
        "{hours} ч: {1} — {will}отмечены ошибкой."
    )

    def terms(self):
        return {"days": settings.JOB_RESULT_RETENTION_DAYS, "hours": settings.JOB_STALE_HOURS}
