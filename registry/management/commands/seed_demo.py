from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.urls import reverse

from registry.services.demo import load_demo
from roadmaps.services.demo import load_collective_demo, load_seed_roadmaps
from segmentation.services.demo import load_demo_segmentation
from segmentation.services.survey_demo import load_demo_survey


class Command(BaseCommand):
    help = "Загружает демонстрационные органы власти, строки реестра и пользователей всех ролей."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Загрузить и при выключенном DEBUG (демо-пароли известны всем!).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG выключен: демо-пользователи с известным паролем на рабочем сервере "
                "недопустимы. Если это стенд, запустите с --force."
            )
        users, password = load_demo()
        roadmaps = load_seed_roadmaps()
        load_collective_demo(next(u for u in users if u.username == "coordinator"))
        officer = next(u for u in users if u.username == "officer")
        load_demo_segmentation(officer)
        survey = load_demo_survey(officer)
        self.stdout.write(self.style.SUCCESS("Демонстрационные данные загружены."))
        self.stdout.write(f"  Анкета: {reverse('survey_public', args=[survey.code])}")
        for roadmap, report in roadmaps:
            warnings = f", замечаний при чтении: {len(report.warnings)}" if report else ""
            self.stdout.write(f"  Дорожная карта: {roadmap}{warnings}")
        self.stdout.write(f"Пароль всех демо-пользователей: {password}")
        for user in users:
            org = user.organization.display_name if user.organization else "все органы власти"
            if user.territory is not None:
                org = f"{org}: органы власти — {user.territory.display_name}"
            self.stdout.write(f"  {user.username:<18} {user.get_role_display()} — {org}")
