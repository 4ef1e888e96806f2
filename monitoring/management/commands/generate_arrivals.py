from django.core.management.base import BaseCommand, CommandError

from sampledata.synthetic import generate


class Command(BaseCommand):
    help = "Add N realistic synthetic arrivals (people, travel stops) for benchmarks and demos. Never on real data."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="number of arrivals to add")
        parser.add_argument("--seed", type=int, default=2020, help="random seed (same seed, same data)")
        parser.add_argument("--chunk", type=int, default=500_000, help="rows per transaction on PostgreSQL")

    def handle(self, *args, count, seed, chunk, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        try:
            stats = generate(count=count, seed=seed, chunk=chunk, out=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        rate = stats["arrivals"] / stats["seconds"] if stats["seconds"] else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"{stats['arrivals']:,} arrivals and {stats['persons']:,} people added in "
                f"{stats['seconds']:.1f} s ({rate:,.0f} arrivals/s)."
            )
        )
