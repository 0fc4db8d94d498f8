from pathlib import Path

from django.core.management import CommandError
from django.utils import timezone

from portal.management.commands._import import ImportCommand, refused_as_command_error
from portal.spreadsheets.reader import SpreadsheetError, read_file
from registry.models import Organization
from registry.services.organizations import find_authority
from registry.services.xlsx_import import ImportRefused, RegistryImport


class Command(ImportCommand):
    help = (
        "Загружает реестр процессов органа власти из XLSX или XLS: печатает предпросмотр "
        "(новые, измененные, ошибки) и записывает все строки одной транзакцией."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "authority", help="Код (id), сокращенное или полное наименование органа власти."
        )
        parser.add_argument("file", help="Файл .xlsx или .xls.")
        self.add_dry_run(parser)
        parser.add_argument("--unit", help="Подразделение для новых строк (код или наименование).")

    def handle(self, *args, authority, file, dry_run=False, unit=None, **options):
        with refused_as_command_error(LookupError):
            org = find_authority(authority)
        default_unit = self._unit(org, unit)
        path = Path(file)
        with refused_as_command_error(SpreadsheetError):
            data = read_file(path)  # the size checked before a byte is read
        importer = RegistryImport(org, None, default_unit)
        sheet, report = importer.read(data, path.name)
        if report.file_errors:  # the file is unreadable: the reader's sentence, exit 1
            raise CommandError(" ".join(report.file_errors))
        self.write_report(report)
        if self.stops_at_check(dry_run):
            return
        with refused_as_command_error(ImportRefused):
            importer.apply(sheet, report.fingerprint())  # the rows as read, not the file again
        self.stdout.write(
            self.style.SUCCESS(
                f"Записано: новых строк — {report.count('new')}, "
                f"измененных — {report.count('changed')}."
            )
        )

    def _unit(self, authority, reference):
        units = Organization.objects.units().filter(authority=authority)
        if reference is None:
            active = list(units.active_on(timezone.localdate()))
            return active[0] if len(active) == 1 else None
        for unit in units:
            if reference in (str(unit.pk), unit.full_name, unit.short_name):
                return unit
        names = "; ".join(f"{u.pk}: {u.display_name}" for u in units)
        raise CommandError(
            f"Подразделение «{reference}» не найдено. Подразделения органа: {names}."
        )
