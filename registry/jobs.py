"""The registry's long work, run as jobs in the task worker (portal.jobs)."""

from __future__ import annotations

import logging
from datetime import date

from portal import csvfile
from portal.jobs import job_task
from registry.services import reminders

logger = logging.getLogger("registry.reminders")

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
