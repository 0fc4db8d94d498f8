"""Recomputes the stored coverage figures of every authority in this process: the catalogue
coverage (registry) and the segmentation coverage. For a cron that keeps them fresh before
anyone opens the pages (the pages queue the same work as a job when the figures are stale).
Here, not in registry: segmentation may import registry, not the other way round."""

from __future__ import annotations

import time

from django.core.management import BaseCommand

from registry.services.figures import recompute_catalogue
from segmentation.services.figures import recompute_segmentation

WORK = {
    "catalogue": ("охват перечня", recompute_catalogue),
    "segmentation": ("охват услуг сегментацией", recompute_segmentation),
}


class Command(BaseCommand):
    help = "Пересчитать сохраненный охват перечня и охват сегментацией по всем органам власти."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=sorted(WORK), help="Только один из расчетов.")

    def handle(self, *args, only=None, **options):
        for key, (label, work) in WORK.items():
            if only and key != only:
                continue
            start = time.monotonic()
            done = work()
            seconds = time.monotonic() - start
            self.stdout.write(f"{label.capitalize()}: органов власти — {done}, {seconds:.1f} с.")
