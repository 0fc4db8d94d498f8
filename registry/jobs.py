"""The registry's long work, run as jobs in the task worker (portal.jobs)."""

from __future__ import annotations

import csv
import io
import logging
from datetime import date

from portal.jobs import job_task
from registry.services import figures, reminders

logger = logging.getLogger("registry.reminders")

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


def _cell(value) -> str:
    """A CSV cell Excel will not run: text starting like a formula gets a leading quote."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def reminders_report(result: reminders.SendResult, dry_run: bool) -> bytes:
    """One line per letter, for Excel as Russian installations open a CSV (";", BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Пользователь", "Адрес", "Задач", "Итог"])
    done = "будет отправлено" if dry_run else "отправлено"
    for letter in result.sent:
        writer.writerow([_cell(letter.user), _cell(letter.user.email), len(letter.tasks), done])
    for letter, _error in result.failed:
        writer.writerow(
            [_cell(letter.user), _cell(letter.user.email), len(letter.tasks), REFUSED_LETTER]
        )
    return out.getvalue().encode("utf-8-sig")
