"""Reminder e-mails about overdue and soon-due tasks. For cron, once a working day:

0 9 * * 1-5  cd /srv/portal && .venv/bin/python manage.py send_reminders
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.workdays import ProductionCalendar
from registry.services import reminders


class Command(BaseCommand):
    help = "Отправляет напоминания о задачах с истекающим или истекшим сроком."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="дата, на которую считать сроки (ГГГГ-ММ-ДД)")
        parser.add_argument("--dry-run", action="store_true", help="показать, не отправляя")
        parser.add_argument(
            "--force", action="store_true", help="отправить, даже если сегодня уже отправлено"
        )

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
