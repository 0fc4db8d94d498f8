from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from portal.management.purge import PurgeCommand
from registry.models import ImportBatch, ImportStatus
from registry.models.imports import retention


class Command(PurgeCommand):
    help = (
        "Удаляет данные загрузок реестра из файлов (прочитанные строки, сохраненный файл): "
        "у неподтвержденных — старше UPLOAD_RETENTION_DAYS дней (они становятся «не "
        "подтвержден в срок»), у примененных, отмененных и отклоненных — сразу. Записи о "
        "загрузках и их отчеты остаются. Для cron, раз в день."
    )

    def querysets(self):
        cutoff = timezone.now() - retention()
        expired = ImportBatch.objects.filter(status=ImportStatus.PREVIEW, created_at__lt=cutoff)
        done = ImportBatch.objects.exclude(status=ImportStatus.PREVIEW).filter(
            Q(purged_at__isnull=True) | ~Q(sheet={}) | ~Q(file_data=b"")
        )
        return cutoff, expired, done

    def count(self):
        _, expired, done = self.querysets()
        return expired.count(), done.count()

    def purge(self):
        cutoff, expired, done = self.querysets()
        # Row by row, each a conditional UPDATE: a batch confirmed or cancelled since the
        # SELECT keeps its status (purge() updates only a PREVIEW still past the cutoff).
        expired_done = 0
        for batch in expired.only("pk", "status", "report"):
            expired_done += batch.purge(ImportStatus.EXPIRED, created_before=cutoff)
        finished = 0
        for batch in done.only("pk", "report"):
            batch.purge()
            finished += 1
        return expired_done, finished

    summary = (
        "Загрузки старше {days} дн. без подтверждения: {0}; завершенные с оставшимися "
        "данными: {1} — {will}очищены."
    )

    def terms(self):
        return {"days": settings.UPLOAD_RETENTION_DAYS}
