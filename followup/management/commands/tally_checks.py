"""manage.py tally_checks: recount the daily tallies of isolation visits from the visits themselves."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from followup.tallies import recent_first, tally_checks


class Command(BaseCommand):
    help = (
        "Hitung ulang rekap pemantauan isolasi per hari dari data pemantauan (setelah impor massal atau untuk "
        "perbaikan). Tanpa --dari: semua hari; --terkini: satu masa isolasi terakhir."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dari", help="first day to recount, YYYY-MM-DD")
        parser.add_argument("--terkini", action="store_true", help="only the days the follow-up figures show")

    def handle(self, *args, dari=None, terkini=False, **options):
        try:
            first = date.fromisoformat(dari) if dari else recent_first() if terkini else None
        except ValueError as error:
            raise CommandError(f"--dari: {error}") from error
        rows = tally_checks(first)
        since = f" sejak {first:%d-%m-%Y}" if first else ""
        self.stdout.write(f"Rekap pemantauan dihitung ulang{since}: {rows} baris.")
