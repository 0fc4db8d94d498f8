from datetime import datetime
from pathlib import Path

from django.core.management import CommandError
from django.db import transaction

from portal.management.commands._import import ImportCommand, refused_as_command_error
from roadmaps.models import LegalActKind, Roadmap
from roadmaps.services import amendments
from roadmaps.services.importer import (
    ImportRefused,
    find_organization,
    get_or_create_act,
    import_roadmap,
)
from roadmaps.services.reader import read_roadmap


def _date(value: str):
    try:
        return datetime.strptime(value.strip(), "%d.%m.%Y").date()
    except ValueError:
        try:
            return datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError as error:
            raise CommandError(f"Дата «{value}» не распознана: нужна ДД.ММ.ГГГГ.") from error


def _read(path: Path, owner):
    # ValueError: the reader's SpreadsheetError, a sentence naming the file
    with refused_as_command_error(ValueError):
        return read_roadmap(path, owner)


class Command(ImportCommand):
    help = (
        "Загружает дорожную карту (план мероприятий) из таблицы: текст с табуляциями, как в "
        "исходных документах, или XLSX/XLS того же вида. Печатает отчет: пункты, пропущенные "
        "повторы шапки, склеенные ячейки, нераспознанные сроки и ответственные — с номерами строк."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="Файл .txt/.tsv (столбцы через табуляцию), .xlsx или .xls."
        )
        parser.add_argument(
            "--owner",
            help="Чей план: код (id), полное или сокращенное наименование субъекта, "
            "муниципального образования или органа власти. Без него — только проверка.",
        )
        parser.add_argument("--title", help="Наименование плана (по умолчанию — из файла).")
        parser.add_argument("--appendix", default="", help="Номер приложения, например 29.")
        parser.add_argument(
            "--parent", help="Код (id) плана, приложением к которому является этот план."
        )
        parser.add_argument("--template", action="store_true", help="Это типовой план.")
        parser.add_argument(
            "--amend",
            metavar="ID",
            help="Код (id) загруженного плана: файл — его новая редакция. Измененные пункты "
            "меняются, новые добавляются, отсутствующие в файле исключаются — на основании "
            "акта (--act-number, --act-date).",
        )
        self.add_dry_run(parser)
        parser.add_argument(
            "--act-kind",
            default=LegalActKind.ORDER,
            choices=LegalActKind.values,
            help="Вид правового акта, утвердившего эту редакцию плана.",
        )
        parser.add_argument("--act-number", help="Номер акта, например 329-рп.")
        parser.add_argument("--act-date", help="Дата акта, ДД.ММ.ГГГГ.")
        parser.add_argument(
            "--act-issuer", default="", help="Кем принят: «Правительства Омской области»."
        )
        parser.add_argument("--act-title", default="", help="Наименование акта.")

    def handle(self, *args, file, owner=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл {file} не найден.")
        if options["amend"]:
            return self.amend(path, options["amend"], dry_run, options)
        org = None
        if owner:
            with refused_as_command_error(LookupError):
                org = find_organization(owner)
        elif not dry_run:
            raise CommandError("Укажите --owner (чей план) или запустите с --dry-run.")
        if bool(options["act_number"]) != bool(options["act_date"]):
            raise CommandError("Для правового акта укажите и --act-number, и --act-date.")
        parent = None
        if options["parent"]:
            parent = Roadmap.objects.filter(pk=options["parent"]).first()
            if parent is None:
                raise CommandError(f"План с кодом {options['parent']} не найден.")

        report = _read(path, org)
        self.write_report(report)
        if self.stops_at_check(dry_run):
            return
        with refused_as_command_error(ImportRefused), transaction.atomic():
            act = self.act(options) if options["act_number"] else None
            roadmap = import_roadmap(
                report,
                owner=org,
                title=options["title"] or "",
                act=act,
                parent=parent,
                appendix_number=options["appendix"].strip(),
                is_template=options["template"],
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Записано: дорожная карта {roadmap.pk} «{roadmap.title}», "
                f"пунктов — {roadmap.items.count()}."
            )
        )

    def act(self, options):
        return get_or_create_act(
            options["act_kind"],
            options["act_number"].strip(),
            _date(options["act_date"]),
            options["act_issuer"].strip(),
            options["act_title"].strip(),
        )

    def amend(self, path: Path, roadmap_id: str, dry_run: bool, options):
        roadmap = Roadmap.objects.select_related("owner").filter(pk=roadmap_id).first()
        if roadmap is None:
            raise CommandError(f"План с кодом {roadmap_id} не найден.")
        if not dry_run and not (options["act_number"] and options["act_date"]):
            raise CommandError(
                "Изменения вносятся правовым актом: укажите --act-number и --act-date "
                "(или запустите с --dry-run)."
            )
        report = _read(path, roadmap.owner)
        self.write_report(report)
        plan = amendments.plan_edition(roadmap, report)
        self.stdout.write(amendments.plan_text(plan))
        if plan.errors:
            raise CommandError("Изменения не внесены: исправьте ошибки в файле.")
        if self.stops_at_check(dry_run):
            return
        with refused_as_command_error(amendments.AmendmentRefused), transaction.atomic():
            act = self.act(options)
            counts = amendments.apply_amendment(
                plan, act, reason=f"Новая редакция плана из файла {path.name}; {act}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Изменения внесены ({act}): {amendments.counts_text(counts)}.")
        )
