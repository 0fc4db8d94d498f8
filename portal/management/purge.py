"""What the cron commands that clear expired data share: they count first, change nothing
under --dry-run, and print one Russian line of what they did (or would do)."""

from __future__ import annotations

from django.core.management import BaseCommand


class PurgeCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Только посчитать, ничего не менять."
        )

    def handle(self, *args, dry_run=False, **options):
        counts = self.count() if dry_run else self.purge()
        self.stdout.write(self.report(counts, dry_run))

    def count(self) -> tuple[int, ...]:
        raise NotImplementedError

    def purge(self) -> tuple[int, ...]:
        """Does the work; returns what it actually changed."""
        raise NotImplementedError

    # What was done, with {0}, {1}… for the counts and {will} where the verb's tense goes:
    # «будут » under --dry-run, nothing after the work ("… — {will}удалены").
    summary = ""

    def report(self, counts: tuple[int, ...], dry_run: bool) -> str:
        return self.summary.format(*counts, will="будут " if dry_run else "", **self.terms())

    def terms(self) -> dict:
        """The settings the summary names (retention days and the like)."""
        return {}
