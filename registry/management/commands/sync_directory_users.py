"""LDAP accounts checked against the directory (registry.services.directory_sync). For cron,
every hour (docs/deployment.md); running it again changes nothing more:

0 * * * *  cd /opt/portal && .venv/bin/python manage.py sync_directory_users
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registry.backends import DirectoryLDAPBackend, DirectoryUnavailable
from registry.services import directory_sync
from registry.services.directory import DISABLED
from registry.services.directory_sync import MOVED


class Command(BaseCommand):
    help = (
        "Сверяет учетные записи LDAP с каталогом: отключает тех, кого в каталоге нет или кто "
        "не входит ни в одну группу из «Групп каталога» (ключи API отзываются, сеансы "
        "завершаются), и обновляет роль и организацию по группам."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="показать, не меняя")

    def handle(self, *args, dry_run=False, **options):
        if not settings.LDAP_ENABLED:
            self.stdout.write(
                "Вход через LDAP выключен (LDAP_SERVER_URI не задан): сверять не с чем."
            )
            return
        backend = DirectoryLDAPBackend()
        try:
            entries = [(user, backend.entry(user)) for user in directory_sync.ldap_users()]
        except DirectoryUnavailable as error:
            raise CommandError(
                f"Каталог не ответил ({error}). Учетные записи не изменены; повторите позже."
            ) from None
        refusal = directory_sync.looks_misconfigured(entries)
        if refusal:
            raise CommandError(refusal)
        outcomes = directory_sync.sync(entries, dry_run=dry_run)
        prefix = "Будет: " if dry_run else ""
        for outcome in outcomes:
            if outcome.change == DISABLED:
                self.stdout.write(f"{prefix}отключена {outcome.user.username}: {outcome.text}.")
            elif outcome.change == MOVED:
                self.stdout.write(f"{prefix}изменена {outcome.user.username}: {outcome.text}.")
        disabled = sum(o.change == DISABLED for o in outcomes)
        moved = sum(o.change == MOVED for o in outcomes)
        self.stdout.write(
            f"Проверено учетных записей LDAP: {len(outcomes)}; отключено: {disabled}, "
            f"изменено: {moved}, без изменений: {len(outcomes) - disabled - moved}."
        )
