"""A new API token for a user, printed once (for scripts and tests)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.api.tokens import create_token, too_long
from portal.models import APIToken


class Command(BaseCommand):
    help = "Создает ключ API пользователя и печатает его (ключ показывается один раз)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="логин пользователя")
        parser.add_argument("--name", default="", help="назначение ключа")
        parser.add_argument(
            "--days",
            type=int,
            default=settings.API_TOKEN_DAYS,
            help=f"срок действия в днях (по умолчанию {settings.API_TOKEN_DAYS})",
        )
        parser.add_argument(
            "--write", action="store_true", help="чтение и запись (по умолчанию только чтение)"
        )

    def handle(self, username, name, days, write, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Пользователь «{username}» не найден или отключен.")
        if days > settings.API_TOKEN_MAX_DAYS:  # a huge --days would overflow the date first
            raise CommandError(too_long())
        if len(name) > APIToken._meta.get_field("name").max_length:
            raise CommandError("Назначение ключа — не длиннее 200 символов.")
        try:
            token, key = create_token(
                user,
                name=name or "manage.py create_api_token",
                writable=write,
                expires_at=timezone.now() + timedelta(days=days),
            )
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        self.stderr.write(
            f"Ключ {token.prefix}… пользователя {user.username}: {token.access_label}, "
            f"действует до {timezone.localtime(token.expires_at):%d.%m.%Y %H:%M}."
        )
        self.stdout.write(key)
