"""The region list reads the newest rows of the area and stops: what PostgreSQL reads for a page
stays within a small multiple of the rows it shows, however long the area's history, after ANALYZE."""

import json
import random
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import ALANG_LAWEH, make_nik
from monitoring.paging import PAGE_SIZE
from travellers.models import Arrival, Person

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="PostgreSQL only, the database SIPANTAU runs on: its planner and its EXPLAIN are what is "
        "checked (DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]
LIST = reverse("monitoring:arrival_list")
# The area takes a tenth of the traffic, today as over its long history (as a regency or a
# kecamatan does of a province's, or less): old arrivals bound for it by the thousand.
HISTORY = 3000  # arrivals bound for the area before today
TODAY = PAGE_SIZE + 10  # more than a page today
ELSEWHERE = 9  # arrivals bound elsewhere for each one bound for the area
BOUND = 4 * PAGE_SIZE  # rows of the arrival table a page may read (it shows PAGE_SIZE, looks at one more)


def fill(regions, checkpoint, *, area_villages, elsewhere):
    """A long history bound for the area, more than a page of it today, and traffic elsewhere."""
    rng = random.Random(12)
    people = Person.objects.bulk_create(
        Person(id_number=make_nik(serial=n), name=f"Pelaku {n}", sex="L") for n in range(1, 201)
    )
    origin = regions.get(code="15.71")
    villages = list(regions.filter(code__in=area_villages + elsewhere))
    inside = [v for v in villages if v.code in area_villages]
    outside = [v for v in villages if v.code in elsewhere]
    now = timezone.now()

    def arrival(destination, at):
        return Arrival(
            entry_key=uuid.uuid4(),
            person=rng.choice(people),
            checkpoint=checkpoint,
            arrived_at=at,
            origin=origin,
            destination=destination,
            destination_code=destination.code,
            destination_address="Jl. Sudirman No. 1",
            purpose=Arrival.Purpose.HOMECOMING,
            transport=Arrival.Transport.CAR,
        )

    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    span = max((now - today_start).total_seconds(), 60)

    def past():
        return now - timedelta(days=1 + rng.random() * 700)

    def today():
        return today_start + timedelta(seconds=rng.random() * span)

    rows = [arrival(rng.choice(inside), past()) for _ in range(HISTORY)]
    rows += [arrival(rng.choice(outside), past()) for _ in range(HISTORY * ELSEWHERE)]
    rows += [arrival(rng.choice(inside), today()) for _ in range(TODAY)]
    rows += [arrival(rng.choice(outside), today()) for _ in range(TODAY * ELSEWHERE)]
    Arrival.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def list_query(client, url):
    """The SQL of the page's rows (the query ordered by time, one row more than a page), as it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    pages = [
        q["sql"] for q in captured if 'FROM "travellers_arrival"' in q["sql"] and f"LIMIT {PAGE_SIZE + 1}" in q["sql"]
    ]
    assert len(pages) == 1, pages
    return response, pages[0]


def rows_read(sql):
    """Rows PostgreSQL read from the arrival table for `sql` (kept or filtered away, every loop)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'travellers_arrival'")
        indexes = {name for (name,) in cursor.fetchall()}
    plan = plan if isinstance(plan, list) else json.loads(plan)
    total, stack = 0, [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        stack.extend(node.get("Plans", []))
        # A bitmap's index scan names only its index; the heap scan over it, only the table.
        if node.get("Relation Name") == "travellers_arrival" or node.get("Index Name") in indexes:
            read = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
            read += node.get("Rows Removed by Index Recheck", 0)
            total += read * node["Actual Loops"]
    return total


@pytest.mark.parametrize(
    ("role", "code", "area_villages", "elsewhere"),
    [
        # Kota Padang: its kecamatan Padang Barat's villages against Kabupaten Padang Pariaman's.
        ("regency", "13.71", [ALANG_LAWEH, "13.71.01.1001", "13.71.02.1001"], ["13.06.01.2001", "13.06.02.2001"]),
        ("district", "13.71.01", [ALANG_LAWEH, "13.71.01.1001"], ["13.71.02.1001", "13.06.01.2001"]),
        ("village", ALANG_LAWEH, [ALANG_LAWEH], ["13.71.01.1001", "13.71.02.1001"]),
    ],
)
def test_a_page_of_the_areas_list_reads_a_bounded_number_of_rows(
    client, make_user, regions, checkpoint, role, code, area_villages, elsewhere
):
    fill(regions, checkpoint, area_villages=area_villages, elsewhere=elsewhere)
    client.force_login(make_user(role, code))
    response, sql = list_query(client, LIST)
    assert len(response.context["arrivals"]) == PAGE_SIZE  # today holds more than a page
    assert rows_read(sql) <= BOUND
    # The next page of today, and a whole year (the search across history walks the same way).
    response, sql = list_query(client, f"{LIST}?setelah={response.context['page'].next_cursor}")
    assert len(response.context["arrivals"]) == TODAY - PAGE_SIZE
    assert rows_read(sql) <= BOUND
    year_ago = (timezone.localdate() - timedelta(days=365)).isoformat()
    response, sql = list_query(client, f"{LIST}?dari={year_ago}")
    assert len(response.context["arrivals"]) == PAGE_SIZE
    assert rows_read(sql) <= BOUND
