from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sampledata.demo import DAYS, PER_DAY, demo_activity_seed


class Command(BaseCommand):
    help = (
        "Fill the demo with a month of arrivals and their follow-up, once per day (idempotent; after seed_demo). "
        "Never on real data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DAYS, help="how many days back, today included")
        parser.add_argument("--per-day", type=int, default=PER_DAY, help="arrivals on a whole day")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DJANGO_DEBUG off (made-up travellers: never on real data).",
        )

    def handle(self, *args, days, per_day, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("seed_demo_activity adds made-up travellers; it runs only with DJANGO_DEBUG=1.")
        try:
            stats = demo_activity_seed(days=days, per_day=per_day)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if stats["arrivals"]:
            self.stdout.write(self.style.SUCCESS(f"Demo activity: {stats['arrivals']:,} arrivals added."))
        else:
            self.stdout.write("Demo activity: every day is there already; nothing added.")
        self.stdout.write(
            "Daily digest to the console: DJANGO_DEBUG=1 .venv/bin/python manage.py send_digest "
            "(the demo accounts subscribe; once per account per day)."
        )
