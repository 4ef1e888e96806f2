"""Rebuild monitoring/data/sumbar-regencies.json (the overview map) from nusa-13's regencies.csv."""

import gzip
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from monitoring import mapdata

DEFAULT_SOURCE = Path(settings.BASE_DIR).parent / "shared" / "data" / "nusa-13" / "regencies.csv"


class Command(BaseCommand):
    help = "Simplify and project the regency boundaries of nusa-13 into the overview map's SVG paths."

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", default=str(DEFAULT_SOURCE), help="nusa regencies.csv")
        parser.add_argument("--output", default=str(mapdata.MAP_FILE))
        parser.add_argument("--tolerance", type=float, default=mapdata.TOLERANCE, help="in viewBox units")

    def handle(self, *args, source, output, tolerance, **options):
        content = mapdata.build(mapdata.read_regencies(source), tolerance=tolerance)
        size = mapdata.write(content, output)
        packed = len(gzip.compress(Path(output).read_bytes(), 9))
        self.stdout.write(f"{len(content['regions'])} regions, {size} bytes, {packed} bytes gzipped → {output}")
