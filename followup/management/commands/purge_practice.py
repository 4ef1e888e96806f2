"""manage.py purge_practice: delete practice records (nightly; followup/practice.py says which)."""

from django.core.management.base import BaseCommand

from followup.practice import purge_practice


class Command(BaseCommand):
    help = "Hapus data latihan yang dicatat sebelum hari ini (setiap malam); --all: semua data latihan."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", dest="everything", help="Hapus juga data latihan hari ini.")

    def handle(self, *args, everything=False, **options):
        removed = purge_practice(everything=everything)
        self.stdout.write(f"Data latihan dihapus: {sum(removed.values())} baris.")
        for label, n in sorted(removed.items()):
            self.stdout.write(f"  {label}: {n}")
