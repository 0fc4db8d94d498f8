"""What every spreadsheet-import command shares: a --dry-run that writes nothing, the read
report printed, a file with errors refused, and a refusal of a service as the command's
Russian sentence with a non-zero exit (never a traceback)."""

from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError


class ImportCommand(BaseCommand):
    def add_dry_run(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Только проверить, ничего не записывать."
        )

    def write_report(self, report) -> None:
        """The report as read; a file with errors stops the command before anything is written."""
        self.stdout.write(report.text())
        if report.has_errors:
            raise CommandError("В файле есть ошибки: ничего не записано.")

    def stops_at_check(self, dry_run: bool) -> bool:
        """True, having said so, when the command only checks the file."""
        if dry_run:
            self.stdout.write("Проверка без записи (--dry-run): ничего не записано.")
        return dry_run


@contextmanager
def refused_as_command_error(*refusals: type[Exception]):
    """A refusal of the reader or a service (its message is the Russian sentence) ends the
    command with that sentence and exit code 1."""
    try:
        yield
    except refusals as refusal:
        raise CommandError(str(refusal)) from refusal
