"""Time the follow-up figures and the due-checks list against a large province, then roll back.

Usage (PostgreSQL, a throw-away database; regions are loaded if missing):
    DJANGO_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/sipantau_bench \
        .venv/bin/python bench/followup_summary.py --orders 50000
Prints the timings and the query counts; nothing stays in the database.
"""

import argparse
import os
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipantau.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from checkpoints.models import Checkpoint  # noqa: E402
from monitoring.followup import followup_summary  # noqa: E402
from monitoring.models import Check, IsolationOrder  # noqa: E402
from regions.loading import load_regions  # noqa: E402
from regions.models import Region  # noqa: E402
from travellers.models import Arrival, Person  # noqa: E402


class Rollback(Exception):
    pass


def timed(label, fn, repeat=5):
    best, queries = None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        queries = len(captured.captured_queries)
    print(f"{label:<48} {best * 1000:8.1f} ms  {queries:3d} queries")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=20000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code="13").exists():
        load_regions(province="13")
    villages = list(Region.objects.filter(code__startswith="13.", level=Region.Level.VILLAGE).values_list("pk", "code"))
    origin = Region.objects.get(code="15.71")
    today = timezone.localdate()
    try:
        with transaction.atomic():
            post = Checkpoint.objects.create(code=f"bench-{uuid.uuid4().hex[:6]}", name="Bench", regency=origin)
            people = Person.objects.bulk_create(
                Person(id_type="passport", id_number=f"B{i:09d}", name=f"Orang {i}", sex="L")
                for i in range(args.orders)
            )
            now = timezone.now()
            arrivals = Arrival.objects.bulk_create(
                Arrival(
                    person=person,
                    checkpoint=post,
                    arrived_at=now - timedelta(hours=i % (24 * 20)),
                    origin=origin,
                    destination_id=villages[i % len(villages)][0],
                    destination_code=villages[i % len(villages)][1],
                    destination_address="Jl. Bench",
                    purpose="homecoming",
                    transport="car",
                )
                for i, person in enumerate(people)
            )
            orders = IsolationOrder.objects.bulk_create(
                IsolationOrder(
                    person=a.person,
                    arrival=a,
                    destination_code=a.destination_code,
                    reason="bench",
                    start_date=timezone.localdate(a.arrived_at),
                    days=14,
                    end_date=timezone.localdate(a.arrived_at) + timedelta(days=14),
                )
                for a in arrivals
            )
            Check.objects.bulk_create(
                Check(order=o, day=today - timedelta(days=d), at_home=(o.pk + d) % 7 != 0, checked_at=now)
                for o in orders
                for d in range(1, 4)
                if o.start_date <= today - timedelta(days=d)
            )
            connection.cursor().execute("ANALYZE") if connection.vendor == "postgresql" else None
            print(f"{len(orders)} orders over {len(villages)} villages, {Check.objects.count()} checks")
            province = User.objects.create(username=f"bench-prov-{uuid.uuid4().hex[:6]}", role="province")
            province.jurisdictions.set(Region.objects.filter(code="13"))
            regency = User.objects.create(username=f"bench-kab-{uuid.uuid4().hex[:6]}", role="regency")
            regency.jurisdictions.set(Region.objects.filter(code="13.71"))
            village = User.objects.create(username=f"bench-desa-{uuid.uuid4().hex[:6]}", role="village")
            village.jurisdictions.set(Region.objects.filter(code=villages[0][1]))
            for label, user in (("province", province), ("regency 13.71", regency), ("village", village)):
                user = User.objects.get(pk=user.pk)
                timed(f"followup_summary({label})", lambda user=user: followup_summary(user))
                timed(
                    f"due list, first 200 ({label})",
                    lambda user=user: list(
                        IsolationOrder.objects.visible_to(user)
                        .due()
                        .with_check_state()
                        .order_by("end_date", "id")[:200]
                    ),
                )
            raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    main()
