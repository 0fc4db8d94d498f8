from django.conf import settings
from django.core.management import BaseCommand
from django.db.models import Q
from django.utils import timezone

from registry.models import ImportBatch, ImportStatus
from registry.models.imports import retention


class Command(BaseCommand):
    help = (
        "Удаляет данные загрузок реестра из файлов (прочитанные строки, сохраненный файл): "
        "у неподтвержденных — старше UPLOAD_RETENTION_DAYS дней (они становятся «не "
        "подтвержден в срок»), у примененных, отмененных и отклоненных — сразу. Записи о "
        "загрузках и их отчеты остаются. Для cron, раз в день."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Только посчитать, ничего не менять."
        )

    def handle(self, *args, dry_run=False, **options):
        cutoff = timezone.now() - retention()
        expired = ImportBatch.objects.filter(status=ImportStatus.PREVIEW, created_at__lt=cutoff)
        done = ImportBatch.objects.exclude(status=ImportStatus.PREVIEW).filter(
            Q(purged_at__isnull=True) | ~Q(sheet={}) | ~Q(file_data=b"")
        )
        counts = (expired.count(), done.count())
        if not dry_run:
            # Row by row through the model, a few fields each: uploads are few.
            # Row by row, each a conditional UPDATE: a batch confirmed or cancelled since the
            # SELECT keeps its status (purge() updates only a PREVIEW still past the cutoff).
            expired_done = 0
            for batch in expired.only("pk", "status", "report"):
                expired_done += batch.purge(ImportStatus.EXPIRED, created_before=cutoff)
            for batch in done.only("pk", "report"):
                batch.purge()
            counts = (expired_done, counts[1])
        verb = "будут очищены" if dry_run else "очищены"
        self.stdout.write(
            f"Загрузки старше {settings.UPLOAD_RETENTION_DAYS} дн. без подтверждения: "
            f"{counts[0]}; завершенные с оставшимися данными: {counts[1]} — {verb}."
        )
