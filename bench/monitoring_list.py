"""Benchmark: the arrival list, search, overview and export on a large table (PostgreSQL).

    DJANGO_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/sipantau_bench \\
        .venv/bin/python bench/monitoring_list.py --rows 200000

Fills the database named in DATABASE_URL (never a real one: it adds fake travellers), then times
each page through Django's test client as a province task force and a camat. Figures: docs/bench-monitoring.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipantau.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

FIRST = ["Budi", "Siti", "Rahmat", "Yuliani", "Fajar", "Dewi", "Andi", "Rina", "Joko", "Nur", "Hendra", "Fitri"]
LAST = ["Santoso", "Aminah", "Hidayat", "Putri", "Pratama", "Lestari", "Saputra", "Wati", "Koto", "Chaniago"]


def fill(rows):
    from accounts.models import User
    from checkpoints.models import Checkpoint
    from regions.models import Region
    from travellers.models import Arrival, Person

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code=settings.SIPANTAU_PROVINCE).exists():
        call_command("load_regions", verbosity=0)
    call_command("seed_demo", verbosity=0)
    have = Arrival.objects.count()
    if have >= rows:
        return
    villages = list(Region.objects.filter(level=Region.Level.VILLAGE, code__startswith="13.").values_list("id", "code"))
    padang = [v for v in villages if v[1].startswith("13.71.01.")]
    origins = list(Region.objects.filter(level=Region.Level.REGENCY).exclude(code__startswith="13.").values_list("id"))
    posts = list(Checkpoint.objects.values_list("id", flat=True))
    rng = random.Random(13)
    now = timezone.now()
    batch = 5000
    for start in range(have, rows, batch):
        people = [
            Person(
                id_number=f"1371{rng.randrange(10**11, 10**12)}{i % 10}"[:16],
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                sex="L",
                birth_date=date(1990, 1, 1),
            )
            for i in range(start, min(start + batch, rows))
        ]
        people = Person.objects.bulk_create(people, ignore_conflicts=False)
        arrivals = []
        for person in people:
            dest_id, dest_code = rng.choice(padang) if rng.random() < 0.05 else rng.choice(villages)
            arrivals.append(
                Arrival(
                    person=person,
                    checkpoint_id=rng.choice(posts),
                    arrived_at=now - timedelta(minutes=rng.randrange(0, 60 * 24 * 90)),
                    origin_id=rng.choice(origins)[0],
                    destination_id=dest_id,
                    destination_code=dest_code,
                    destination_address="Jl. Bench",
                    purpose="homecoming",
                    transport="car",
                    isolation_required=rng.random() < 0.5,
                    entry_key=uuid.uuid4(),
                )
            )
        Arrival.objects.bulk_create(arrivals)
        print(f"  {start + len(people)} arrivals", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    User.objects.filter(username="provinsi").exists()


def timed(client, url, repeat=5):
    """Median milliseconds and query count of GET url."""
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                for _chunk in response.streaming_content:
                    pass
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    fill(args.rows)

    from accounts.models import User
    from monitoring.paging import cursor_for
    from travellers.models import Arrival

    settings.ALLOWED_HOSTS = ["testserver"]
    province, camat = User.objects.get(username="provinsi"), User.objects.get(username="camat")
    since = (timezone.localdate() - timedelta(days=89)).isoformat()
    week = (timezone.localdate() - timedelta(days=6)).isoformat()
    total = Arrival.objects.count()
    deep = Arrival.objects.visible_to(province).order_by("-arrived_at", "-id")[total // 2]
    name = Arrival.objects.order_by("?").select_related("person").first().person
    print(f"{total} arrivals in the table\n")
    print("| who | page | median ms | queries |\n| --- | --- | ---: | ---: |")
    for label, user in (("province", province), ("camat", camat)):
        client = Client()
        client.force_login(user)
        pages = [
            ("overview", "/pantau/"),
            ("list, today", "/pantau/kedatangan/"),
            ("list, 90 days, page 1", f"/pantau/kedatangan/?dari={since}"),
            (f"list, 90 days, row {total // 2}", f"/pantau/kedatangan/?dari={since}&setelah={cursor_for(deep)}"),
            ("NIK search", f"/pantau/kedatangan/?q={name.id_number}"),
            ("name search, typo", f"/pantau/kedatangan/?q={name.name.split()[0]}%20{name.name.split()[1][:-1]}a"),
            ("CSV export, 7 days", f"/pantau/kedatangan/ekspor.csv?dari={week}"),
            ("XLSX export, 7 days", f"/pantau/kedatangan/ekspor.xlsx?dari={week}"),
        ]
        for page, url in pages:
            ms, queries = timed(client, url, repeat=3 if "ekspor" in url else 5)
            print(f"| {label} | {page} | {ms:.0f} | {queries} |")
    # The deep page's query alone: keyset against OFFSET.
    from monitoring.paging import keyset_page, parse_cursor

    scoped = Arrival.objects.visible_to(province)
    for label, run in (
        ("keyset", lambda: keyset_page(scoped, after=parse_cursor(cursor_for(deep)))),
        ("OFFSET", lambda: list(scoped.order_by("-arrived_at", "-id")[total // 2 : total // 2 + 50])),
    ):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        print(f"\nrow {total // 2}, page of 50, query only, {label}: {statistics.median(times):.1f} ms")
    rows = Arrival.objects.visible_to(province).filter(arrived_at__gte=timezone.now() - timedelta(days=7)).count()
    print(f"7-day export rows (province): {rows}")


if __name__ == "__main__":
    main()
