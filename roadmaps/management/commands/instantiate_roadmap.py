from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from registry.models import User
from roadmaps.models import Roadmap
from roadmaps.services.importer import ImportRefused, find_organization
from roadmaps.services.templates import instantiate


class Command(BaseCommand):
    help = "Создает план органа власти по типовому плану (дорожной карте)."

    def add_arguments(self, parser):
        parser.add_argument("template", type=int, help="код (id) типового плана")
        parser.add_argument("authority", help="орган власти: код, полное или краткое имя")
        parser.add_argument(
            "--unit", help="подразделение вместо «структурное подразделение органа»"
        )
        parser.add_argument(
            "--unit-for",
            action="append",
            default=[],
            metavar="ОТВЕТСТВЕННЫЙ=ПОДРАЗДЕЛЕНИЕ",
            help="подразделение вместо другого ответственного типового плана, например "
            "«структурное подразделение органа, ответственное за кадровое обеспечение=Отдел "
            "кадров» (можно несколько раз)",
        )
        parser.add_argument(
            "--deadline",
            action="append",
            default=[],
            metavar="НОМЕР=СРОК",
            help="свой срок пункта, например 3.1.2.=до 01.03.2027 (можно несколько раз)",
        )
        parser.add_argument("--user", required=True, help="от чьего имени (логин)")

    def handle(self, *args, **options):
        try:
            template = Roadmap.objects.get(pk=options["template"], is_template=True)
            authority = find_organization(options["authority"])
            unit = find_organization(options["unit"], kinds=("unit",)) if options["unit"] else None
            user = User.objects.get(username=options["user"])
            deadlines = dict(d.split("=", 1) for d in options["deadline"])
            units = {
                name.strip(): find_organization(value.strip(), kinds=("unit",))
                for name, value in (u.split("=", 1) for u in options["unit_for"])
            }
            roadmap = instantiate(
                template, authority, user=user, unit=unit, units=units, deadlines=deadlines
            )
        except Roadmap.DoesNotExist:
            raise CommandError(f"Типового плана с кодом {options['template']} нет.") from None
        except User.DoesNotExist:
            raise CommandError(f"Пользователя «{options['user']}» нет.") from None
        except ValueError:
            raise CommandError(
                "--deadline: укажите НОМЕР=СРОК, например 3.1.2.=до 01.03.2027; --unit-for: "
                "ОТВЕТСТВЕННЫЙ=ПОДРАЗДЕЛЕНИЕ."
            ) from None
        except (ImportRefused, LookupError, PermissionDenied) as refused:
            raise CommandError(str(refused)) from None
        except ValidationError as refused:
            raise CommandError("; ".join(refused.messages)) from None
        count = roadmap.items.count()
        self.stdout.write(f"Создан план «{roadmap}» (код {roadmap.pk}), пунктов: {count}.")
