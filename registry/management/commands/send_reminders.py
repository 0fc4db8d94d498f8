"""Reminder e-mails about overdue and soon-due tasks. For cron, once a working day:

0 9 * * 1-5  cd /srv/portal && .venv/bin/python manage.py send_reminders

With --background --user NAME the letters are sent by the task worker as a job of that user,
who follows its progress and gets the report on the job's page ("Мои задания").
"""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from portal.jobs import start_job
from portal.workdays import ProductionCalendar
from registry import jobs
from registry.services import reminders


class Command(BaseCommand):
    help = "Отправляет напоминания о задачах с истекающим или истекшим сроком."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="дата, на которую считать сроки (ГГГГ-ММ-ДД)")
        parser.add_argument("--dry-run", action="store_true", help="показать, не отправляя")
        parser.add_argument(
            "--force", action="store_true", help="отправить, даже если сегодня уже отправлено"
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="отправить обработчиком заданий (manage.py db_worker), с ходом и отчетом",
        )
        parser.add_argument("--user", help="чье это задание (с --background): имя пользователя")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date: «{options['date']}» — не дата; укажите ГГГГ-ММ-ДД."
                ) from None
        if not options["date"] and not ProductionCalendar().is_working_day(today):
            self.stdout.write(f"{today:%d.%m.%Y} — нерабочий день: напоминания не отправляются.")
            return
        if options["background"]:
            self.start(today, options)
            return
        result = reminders.send(today, options["force"], options["dry_run"])
        for letter in result.sent:
            self.stdout.write(
                f"{'Будет отправлено' if options['dry_run'] else 'Отправлено'}: "
                f"{letter.user.email} — задач {len(letter.tasks)}"
            )
        for letter, error in result.failed:
            self.stderr.write(f"Не отправлено: {letter.user.email} — {error}")
        self.stdout.write(
            f"Писем: {len(result.sent)}; уже отправлены сегодня: {result.skipped}; "
            f"с ошибкой: {len(result.failed)}."
        )
        if result.failed:
            raise CommandError("Часть напоминаний не отправлена; повторите позже.")

    def start(self, today, options):
        if not options["user"]:
            raise CommandError("--background: укажите --user — кому показать ход и отчет.")
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"--user: активного пользователя «{options['user']}» нет.")
        if not user.is_administrator:
            # the report names every recipient of every authority
            raise CommandError("--user: отчет о рассылке получает только администратор.")
        job = start_job(
            user,
            "reminders",
            f"Рассылка напоминаний на {today:%d.%m.%Y}"
            + (" (проверка, без отправки)" if options["dry_run"] else ""),
            jobs.send_reminders,
            counted="письма|писем",
            day=today.isoformat(),
            force=options["force"],
            dry_run=options["dry_run"],
        )
        address = settings.PORTAL_URL + reverse("portal:job_detail", args=[job.pk])
        self.stdout.write(
            f"Рассылка поставлена в очередь: задание № {job.pk}, ход и отчет — {address}"
        )
