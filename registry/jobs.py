"""The registry's long work, run as jobs in the task worker (portal.jobs)."""

from __future__ import annotations

import logging
from datetime import date

from portal import csvfile
from portal.jobs import JobRefused, job_task
from portal.plurals import rows_text
from portal.scoping import can
from registry.models import ImportBatch, Organization
from registry.services import figures, publication, reminders
from registry.services.imports.confirm import confirm_upload

logger = logging.getLogger("registry.reminders")

PUBLISH_REFUSED = (
    "Публиковать реестр этого органа власти вы больше не можете: ничего не опубликовано."
)
UPLOAD_GONE = "Загрузка не найдена или больше недоступна вам: ничего не записано."

CATALOGUE_FIGURES = "catalogue_figures"


@job_task
def recompute_catalogue_figures(run) -> str:
    """The stored catalogue coverage of every authority (the national coverage page)."""
    done = figures.recompute_catalogue(progress=run.progress)
    return f"Охват перечня рассчитан для органов власти: {done}."


REFUSED_LETTER = "не отправлено: почтовый сервер не принял письмо, повторится при следующем запуске"


@job_task
def send_reminders(run, *, day: str, force: bool = False, dry_run: bool = False) -> str:
    """The day's reminder letters (services.reminders.send), with a report of every letter."""
    today = date.fromisoformat(day)
    result = reminders.send(today, force, dry_run, progress=run.progress)
    for letter, error in result.failed:
        logger.warning("Reminder to %s not sent: %s", letter.user.email, error)
    run.save_file(
        f"Напоминания {today:%d.%m.%Y}.csv",
        reminders_report(result, dry_run),
        "text/csv; charset=utf-8",
    )
    summary = (
        f"{'Будет отправлено' if dry_run else 'Отправлено'} писем: {len(result.sent)}; "
        f"уже отправлены в этот день: {result.skipped}; с ошибкой: {len(result.failed)}."
    )
    if result.failed:
        summary += " Неотправленные письма будут отправлены при следующем запуске рассылки."
    return summary


def reminders_report(result: reminders.SendResult, dry_run: bool) -> bytes:
    """One line per letter, for Excel as Russian installations open a CSV (portal.csvfile)."""
    done = "будет отправлено" if dry_run else "отправлено"
    lines = [(letter.user, letter.user.email, len(letter.tasks), done) for letter in result.sent]
    lines += [
        (letter.user, letter.user.email, len(letter.tasks), REFUSED_LETTER)
        for letter, _error in result.failed
    ]
    return csvfile.csv_bytes(["Пользователь", "Адрес", "Задач", "Итог"], lines)


@job_task
def publish_registry(run, *, authority_id: int) -> str:
    """A large registry's publication (services.publication.publish: all or nothing), with
    the rows written to the version's file as progress."""
    authority = Organization.objects.get(pk=authority_id)
    if not can(run.user, "publish", authority):  # his rights may have changed since he asked
        raise JobRefused(PUBLISH_REFUSED)
    try:
        version = publication.publish(authority, run.user, progress=run.progress)
    except publication.NothingToPublish as refused:
        raise JobRefused(str(refused)) from None
    return published_message(version)


def published_message(version) -> str:
    """What the officer reads once a version is out, on the page or the job's page."""
    return (
        f"Опубликована версия {version.number} ({rows_text(version.row_count)}). "
        "Она доступна на публичной странице без входа."
    )


@job_task
def apply_import(run, *, batch_id: int) -> str:
    """A large upload's confirm (services.imports.confirm: all or nothing), with the rows
    written as progress; a refusal is the job's message, the upload keeps its report."""
    try:
        confirmation = confirm_upload(batch_id, run.user, progress=run.progress)
    except ImportBatch.DoesNotExist:
        raise JobRefused(UPLOAD_GONE) from None
    if not confirmation.done:
        raise JobRefused(confirmation.message)
    return confirmation.message
