"""A command of a library the portal must not run: it stops with a Russian sentence saying
why, before anything is read or written. Named like the library's command, it takes its place
("portal" is above the library in INSTALLED_APPS)."""

from django.core.management.base import BaseCommand, CommandError


class RefusedCommand(BaseCommand):
    reason = ""

    def add_arguments(self, parser):
        # The library's options, so that they reach the refusal instead of an argument error.
        parser.add_argument("--clear", action="store_true")
        parser.add_argument("--path")

    def handle(self, *args, **options):
        raise CommandError(self.reason)
