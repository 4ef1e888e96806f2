"""manage.py tally_arrivals: count every day that is over into ArrivalTally (nightly, after midnight WIB)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from monitoring.tallies import tally_until


class Command(BaseCommand):
    help = "Rekap kedatangan per hari untuk ringkasan wilayah besar (setiap malam setelah pukul 00.00 WIB)."

    def handle(self, *args, **options):
        yesterday = timezone.localdate() - timedelta(days=1)
        days = tally_until(yesterday)
        self.stdout.write(f"Hari yang direkap: {days} (sampai {yesterday:%d-%m-%Y}).")
