import time

from django.conf import settings
from django.core.management.base import BaseCommand

from regions.loading import load_regions
from regions.models import Region


class Command(BaseCommand):
    help = "Load or refresh Indonesia's regions (Kemendagri codes) from the shipped data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            default=settings.SIPANTAU_PROVINCE,
            help="Code of the home province whose villages are loaded (default: SIPANTAU_PROVINCE).",
        )

    def handle(self, *args, province, **options):
        started = time.monotonic()
        result = load_regions(province=province)
        counts = ", ".join(f"{Region.Level(level).label}: {count}" for level, count in sorted(result.by_level.items()))
        self.stdout.write(counts)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} created, {result.updated} updated, {result.retired} retired, "
                f"{result.unchanged} unchanged in {time.monotonic() - started:.1f} s."
            )
        )
        self.stdout.write("Region data © idn-area-data contributors, ODbL 1.0 (regions/data/README.md).")
