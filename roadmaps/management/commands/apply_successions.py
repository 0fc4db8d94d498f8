"""Plans of reorganized bodies pass to their successors from the successor date. For cron,
once a day (and run by seed_demo); running it again moves nothing more:

5 0 * * *  cd /srv/portal && .venv/bin/python manage.py apply_successions
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from roadmaps.services.succession import apply_successions


class Command(BaseCommand):
    help = "Передает планы и мероприятия реорганизованных органов их правопреемникам."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="на какую дату (ГГГГ-ММ-ДД), по умолчанию сегодня")
        parser.add_argument("--dry-run", action="store_true", help="показать, не передавая")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"Дата «{options['date']}» не распознана: укажите ГГГГ-ММ-ДД."
                ) from None
        transfers = apply_successions(day, dry_run=options["dry_run"])
        if not transfers:
            self.stdout.write(
                "Передавать нечего: у органов, правопреемник которых уже приступил к работе, "
                "не осталось планов и мероприятий."
            )
            return
        verb = "Будет передано" if options["dry_run"] else "Передано"
        for transfer in transfers:
            self.stdout.write(f"{verb}: {transfer.text()}")
            for refusal in transfer.refused:
                self.stderr.write(refusal)
