"""Reminder e-mails: each user gets one letter a day listing his tasks that are overdue or
due within SOON_WORKING_DAYS working days — the same tasks "my tasks" shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from portal.tasks import Task, tasks_for
from portal.workdays import ProductionCalendar
from registry.models import ReminderSent


@dataclass
class SendResult:
    sent: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (letter, error)
    skipped: int = 0


@dataclass
class Letter:
    user: object
    tasks: list[Task]
    subject: str
    body: str


def letters(today: date) -> list[Letter]:
    calendar = ProductionCalendar()
    result = []
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    for user in users.select_related("organization__authority").order_by("username"):
        due = [t for t in tasks_for(user, today, calendar) if t.due_soon(today, calendar)]
        if due:
            result.append(_letter(user, due, today))
    return result


def _letter(user, tasks: list[Task], today: date) -> Letter:
    overdue = sum(1 for t in tasks if t.overdue(today))
    subject = f"Портал клиентоцентричности: задач со сроком — {len(tasks)}" + (
        f", просрочено — {overdue}" if overdue else ""
    )
    lines = [f"{user.get_full_name() or user.username}, здравствуйте.", ""]
    lines.append("Задачи, срок которых истек или истекает в ближайшие рабочие дни:")
    for task in tasks:
        mark = "ПРОСРОЧЕНО, " if task.overdue(today) else ""
        lines.append(f"— {task.title} ({mark}срок {task.due:%d.%m.%Y})")
        if task.detail:
            lines.append(f"  {task.detail}")
        lines.append(f"  {settings.PORTAL_URL}{task.url}")
    lines += ["", f"Все задачи: {settings.PORTAL_URL}/registry/tasks/"]
    return Letter(user, tasks, subject, "\n".join(lines))


def send(today: date, force: bool = False, dry_run: bool = False, progress=None) -> SendResult:
    """Sends the day's letters, at most one per user and day unless forced. A letter the mail
    server refuses is reported and not marked sent, so the next run tries again. `progress`
    (a job's, portal.jobs) hears (letters done, letters in all) as it goes."""
    result = SendResult()
    due = letters(today)
    for done, letter in enumerate(due):
        if progress:
            progress(done, len(due))
        if dry_run:
            result.sent.append(letter)
            continue
        try:
            with transaction.atomic():
                if force:
                    ReminderSent.objects.update_or_create(
                        user=letter.user, sent_on=today, defaults={"task_count": len(letter.tasks)}
                    )
                else:
                    ReminderSent.objects.create(
                        user=letter.user, sent_on=today, task_count=len(letter.tasks)
                    )
                send_mail(letter.subject, letter.body, None, [letter.user.email])
        except IntegrityError:
            result.skipped += 1  # already reminded today
        except Exception as error:  # noqa: BLE001 — one refused letter must not stop the rest
            result.failed.append((letter, str(error)))
        else:
            result.sent.append(letter)
    if progress:
        progress(len(due), len(due))
    return result
