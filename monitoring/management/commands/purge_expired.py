"""manage.py purge_expired: list what retention would remove; with --yes, remove it (audited)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from monitoring.retention import expired_arrivals, expired_logs, retention_cutoff, retention_purge

SHOWN = 50


class Command(BaseCommand):
    help = "Hapus data pribadi yang masa simpannya habis (tanpa --yes: hanya daftar untuk ditinjau)."

    def add_arguments(self, parser):
        parser.add_argument("--yes", action="store_true", help="Benar-benar hapus (default: hanya tinjau).")

    def handle(self, *args, yes=False, **options):
        arrivals = expired_arrivals().select_related("person")
        count = arrivals.count()
        self.stdout.write(f"Batas: tujuan berakhir sebelum {retention_cutoff():%d-%m-%Y}.")
        self.stdout.write(f"Kedatangan kedaluwarsa: {count}")
        # The review shows what goes without printing it again: masked ids, dates, areas.
        for arrival in arrivals[:SHOWN]:
            ended = arrival.purpose_end or timezone.localdate(arrival.arrived_at)
            self.stdout.write(
                f"  #{arrival.pk} {arrival.person.masked_id} tiba {timezone.localtime(arrival.arrived_at):%d-%m-%Y}"
                f" → {arrival.destination_code}, tujuan berakhir {ended:%d-%m-%Y}"
            )
        if count > SHOWN:
            self.stdout.write(f"  … dan {count - SHOWN} lainnya")
        for label, queryset in expired_logs().items():
            self.stdout.write(f"{label} kedaluwarsa: {queryset.count()}")
        if not yes:
            self.stdout.write("Tinjauan saja: tidak ada yang dihapus. Jalankan lagi dengan --yes untuk menghapus.")
            return
        result = retention_purge()
        self.stdout.write(f"Dihapus: {result.arrivals} kedatangan (direkap: {result.tallied}).")
        for label, n in sorted(result.removed.items()):
            self.stdout.write(f"  {label}: {n}")
