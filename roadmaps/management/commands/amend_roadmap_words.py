from pathlib import Path

from django.core.management import CommandError

from portal.management.commands._import import ImportCommand, refused_as_command_error
from roadmaps.models import LegalActKind, Roadmap
from roadmaps.services.amendments import AmendmentRefused, act_text, words
from roadmaps.services.importer import get_or_create_act

from .import_roadmap import _date


class Command(ImportCommand):
    help = (
        "Вносит в дорожную карту изменения слов, как их излагает правовой акт: «в строке 1.4 "
        "слова … заменить словами …», «в строках 2.6, 2.7 слова … исключить», «в названии "
        "слова …», «после таблицы дополнить сноской …». Печатает каждую строку до и после; "
        "если слов в какой-либо строке нет, не вносит ничего."
    )

    def add_arguments(self, parser):
        parser.add_argument("roadmap", help="Код (id) плана.")
        parser.add_argument(
            "--replace",
            nargs=3,
            action="append",
            default=[],
            metavar=("СТРОКИ", "СЛОВА", "НОВЫЕ_СЛОВА"),
            help="В строках (например, «2.6, 2.7») слова заменить новыми.",
        )
        parser.add_argument(
            "--exclude",
            nargs=2,
            action="append",
            default=[],
            metavar=("СТРОКИ", "СЛОВА"),
            help="В строках слова исключить.",
        )
        parser.add_argument(
            "--title", nargs=2, action="append", default=[], metavar=("СЛОВА", "НОВЫЕ_СЛОВА")
        )
        parser.add_argument("--footnote", action="append", default=[], help="Текст сноски.")
        parser.add_argument(
            "--from-text",
            type=Path,
            help="Файл с текстом акта: изменения читаются из его предложений (все — к этому "
            "плану; оставьте в файле только относящиеся к нему).",
        )
        self.add_dry_run(parser)
        parser.add_argument("--act-kind", default=LegalActKind.ORDER, choices=LegalActKind.values)
        parser.add_argument("--act-number", help="Номер акта, например 329-рп.")
        parser.add_argument("--act-date", help="Дата акта, ДД.ММ.ГГГГ.")
        parser.add_argument("--act-issuer", default="", help="«Правительства Омской области».")
        parser.add_argument("--act-title", default="")

    def handle(self, *args, roadmap, dry_run=False, **options):
        plan_of = Roadmap.objects.filter(pk=roadmap).first() if roadmap.isdigit() else None
        if plan_of is None:
            raise CommandError(f"План с кодом {roadmap} не найден.")
        edits = self.edits(options)
        if not edits:
            raise CommandError("Не указано ни одного изменения (--replace, --exclude, --title, …).")
        plan = words.plan_words(plan_of, edits)
        for change in plan:
            self.stdout.write(f"{change.where} · {change.column}:")
            self.stdout.write(f"  было:   {change.before}")
            self.stdout.write(f"  станет: {change.after}")
        if plan.errors:
            raise CommandError("\n".join(plan.errors))
        if self.stops_at_check(dry_run):
            return
        if not (options["act_number"] and options["act_date"]):
            raise CommandError(
                "Изменения вносятся правовым актом: укажите --act-number и --act-date "
                "(или запустите с --dry-run)."
            )
        with refused_as_command_error(AmendmentRefused):
            act = get_or_create_act(
                options["act_kind"],
                options["act_number"].strip(),
                _date(options["act_date"]),
                options["act_issuer"].strip(),
                options["act_title"].strip(),
            )
            words.amend_words(plan_of, edits, act, fingerprint=plan.fingerprint())
        self.stdout.write(self.style.SUCCESS(f"Изменения слов внесены ({act})."))

    def edits(self, options) -> list[words.WordEdit]:
        edits = []
        if options["from_text"]:
            try:
                text = options["from_text"].read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                raise CommandError(
                    f"Файл {options['from_text']} не прочитан: его нет или он не в UTF-8."
                ) from None
            edits += act_text.parse_act_text(text)
        for numbers, old, new in options["replace"]:
            edits.append(words.WordEdit(words.ROWS, self.numbers(numbers), old, new))
        for numbers, old in options["exclude"]:
            edits.append(words.WordEdit(words.ROWS, self.numbers(numbers), old, ""))
        for old, new in options["title"]:
            edits.append(words.WordEdit(words.TITLE, old=old, new=new))
        for text in options["footnote"]:
            edits.append(words.WordEdit(words.FOOTNOTE, new=text))
        return edits

    def numbers(self, text: str) -> list[str]:
        numbers, bad = words.parse_numbers(text)
        if bad:
            raise CommandError(f"Не номер строки: {', '.join(bad)} (нужен вид 1.4 или 2.6, 2.7).")
        return numbers
