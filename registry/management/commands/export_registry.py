from django.core.management import BaseCommand, CommandError

from registry.models import Process
from registry.services.organizations import find_authority
from registry.services.xlsx_export import export_registry


class Command(BaseCommand):
    help = (
        "Выгружает реестр процессов органа власти в XLSX по типовой форме "
        "(исключенные из реестра строки не выгружаются)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "authority", help="Код (id), сокращенное или полное наименование органа власти."
        )
        parser.add_argument("-o", "--output", required=True, help="Путь к файлу .xlsx.")

    def handle(self, *args, authority, output, **options):
        try:
            org = find_authority(authority)
        except LookupError as error:
            raise CommandError(str(error)) from error
        rows = Process.objects.filter(authority=org, is_excluded=False)
        result = export_registry(rows, output)
        self.stdout.write(
            self.style.SUCCESS(f"{org.full_name}: выгружено строк — {result.rows}, файл {output}")
        )
