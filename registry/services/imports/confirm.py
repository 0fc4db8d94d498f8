"""The confirm of an upload: the preview checked again and written (an officer's file) or made
his proposal (a unit's file), all or nothing. The same function serves the web request (a
small file) and the job (a large one, `registry.jobs.apply_import`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.imports import CHANGED, NEW
from portal.scoping import restrict
from registry.models import ImportBatch, ImportStatus, Proposal
from registry.services import proposals as proposal_service
from registry.services.xlsx_import import ImportRefused, RegistryImport
from registry.services.xlsx_reader import ParsedSheet

IMPORT_LOCK = "import:{pk}"  # the job lock of an upload's apply (portal.jobs)
APPLYING = (
    "Эта загрузка уже применяется (задание № {number}): дождитесь его окончания. "
    "Повторное подтверждение не нужно."
)
EXPIRED = (
    "Загрузка не подтверждена в срок ({days} дн.) и удалена: загрузите файл снова. "
    "Ничего не записано."
)
NOT_IN_PREVIEW = "Эта загрузка уже применена или отменена."
TAKEN_MEANWHILE = "Эта загрузка уже отменена или удалена по сроку: ничего не записано."


@dataclass
class Confirmation:
    level: str  # the message's level: "success", "info" or "error"
    message: str
    proposal: Proposal | None = None

    @property
    def done(self) -> bool:
        return self.level == "success"


def rows_to_write(batch: ImportBatch) -> int:
    """New and changed rows of the preview the user confirms (the stored report)."""
    rows = batch.report.get("rows", []) if isinstance(batch.report, dict) else []
    return sum(1 for row in rows if row.get("action") in (NEW, CHANGED))


@transaction.atomic
def confirm_upload(batch_pk: int, user, progress=None) -> Confirmation:
    """Applies the upload as `user` confirmed it; `progress(done, total)` counts the rows
    written (a job's bar). Raises ImportBatch.DoesNotExist for an upload out of his reach."""
    # Locked, so that a double click applies the file once.
    batch = (
        restrict(ImportBatch, user)
        .select_related("authority", "default_unit")
        .select_for_update(of=("self",))
        .get(pk=batch_pk)
    )
    if batch.expired:
        if batch.status == ImportStatus.PREVIEW:
            batch.purge(ImportStatus.EXPIRED)
        return Confirmation("error", EXPIRED.format(days=settings.UPLOAD_RETENTION_DAYS))
    if batch.status != ImportStatus.PREVIEW:
        return Confirmation("info", NOT_IN_PREVIEW)
    if progress is not None:
        progress(0, rows_to_write(batch))
    importer = RegistryImport(batch.authority, user, batch.default_unit)
    source = ParsedSheet.from_json(batch.sheet) if batch.sheet else bytes(batch.file_data)
    # The officer's file writes the registry; a unit's file becomes its proposal.
    direct = user.applies_changes_directly
    proposal = None
    try:
        with transaction.atomic():  # a refusal rolls back the write, not the batch update
            if direct:
                reason = f"Загрузка из файла «{batch.file_name}»"
                report = importer.apply(source, batch.fingerprint, reason=reason, progress=progress)
            else:
                report = importer.checked(source, batch.fingerprint)
                proposal = proposal_service.propose_import(
                    user, batch.default_unit, importer.rows_to_write(report), progress=progress
                )
    except ImportRefused as refused:
        batch.report = refused.report.to_json()
        batch.fingerprint = refused.report.fingerprint()
        batch.save(update_fields=["report", "fingerprint"])
        return Confirmation("error", refused.message)
    # The batch is claimed out of PREVIEW by a conditional UPDATE: if a cancel or the purge
    # took it meanwhile, nothing of this confirm is kept.
    status = ImportStatus.APPLIED if direct else ImportStatus.PROPOSED
    batch.report = report.to_json()
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
        status=status, applied_at=timezone.now(), report=batch.report
    )
    if not claimed:
        transaction.set_rollback(True)
        return Confirmation("error", TAKEN_MEANWHILE)
    batch.status = status
    batch.purge()  # the history keeps the report; the rows as read are not needed again
    new, changed = report.count(NEW), report.count(CHANGED)
    if direct:
        return Confirmation(
            "success", f"Реестр обновлен: новых строк — {new}, измененных — {changed}."
        )
    return Confirmation(
        "success",
        f"Строки файла добавлены в предложение № {proposal.pk}: новых — {new}, измененных — "
        f"{changed}. Реестр изменится после проверки уполномоченным лицом; направьте "
        "предложение на проверку.",
        proposal,
    )
