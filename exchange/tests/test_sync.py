"""Incremental sync: since and cursor pull new and changed records only; pages stay stable while rows are added."""

from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ALANG_LAWEH

from .conftest import order_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(call, api_client):
    _client, token = api_client("system_nik", "13.71")

    def read(name="exchange:arrival_list", **params):
        response = call(reverse(name), token, **params)
        assert response.status_code == 200, response.content
        return response.json()

    return read


def drain(read, name="exchange:arrival_list", cursor=None, **params):
    """Follow next_cursor until has_more is false; (ids in order, the cursor to keep)."""
    ids = []
    while True:
        page = read(name, **({"cursor": cursor} if cursor else {}), **params)
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"] or cursor
        if not page["has_more"]:
            return ids, cursor


def test_the_sync_loop_pulls_new_records_only(clock, settled, register, reader):
    first = [register(destination=ALANG_LAWEH) for _ in range(5)]
    settled()
    ids, cursor = drain(reader, limit=2)
    assert ids == [a.pk for a in first]

    assert drain(reader, cursor=cursor, limit=2) == ([], cursor)  # nothing new: same cursor back

    clock.shift(timedelta(minutes=5))
    second = [register(destination=ALANG_LAWEH) for _ in range(3)]
    settled()
    ids, cursor = drain(reader, cursor=cursor, limit=2)
    assert ids == [a.pk for a in second]


def test_a_changed_record_comes_again_after_the_cursor(clock, settled, register, reader, follow_up, make_user):
    arrivals = [register(destination=ALANG_LAWEH) for _ in range(3)]
    settled()
    ids, cursor = drain(reader, "exchange:isolation_order_list")
    orders = [order_of(a) for a in arrivals]
    assert ids == [o.pk for o in orders]

    clock.shift(timedelta(hours=1))
    follow_up.isolation_close(order=orders[1], user=make_user("village", ALANG_LAWEH), reason="Salah catat tujuan.")
    settled()
    page = reader("exchange:isolation_order_list", cursor=cursor)
    assert [(i["id"], i["state"], i["status"]) for i in page["items"]] == [(orders[1].pk, "closed", "closed")]


def test_since_reads_records_changed_at_or_after_it(clock, settled, register, reader):
    register(destination=ALANG_LAWEH)
    clock.shift(timedelta(hours=2))
    boundary = timezone.now()
    later = [register(destination=ALANG_LAWEH) for _ in range(2)]
    settled()
    page = reader(since=boundary.isoformat())
    assert [i["id"] for i in page["items"]] == [a.pk for a in later]
    # The same moment written in UTC means the same thing.
    page = reader(since=boundary.astimezone(UTC).isoformat())
    assert [i["id"] for i in page["items"]] == [a.pk for a in later]


def test_pages_stay_stable_while_rows_are_added(clock, settled, register, reader):
    """Rows added between two page reads land after the cursor: none repeated, none skipped."""
    first = [register(destination=ALANG_LAWEH) for _ in range(4)]
    settled()
    page = reader(limit=2)
    seen = [i["id"] for i in page["items"]]
    cursor = page["next_cursor"]
    added = [register(destination=ALANG_LAWEH) for _ in range(3)]  # while the client pages
    settled()
    ids, _cursor = drain(reader, cursor=cursor, limit=2)
    seen += ids
    assert seen == [a.pk for a in first + added]
    assert len(seen) == len(set(seen))


def test_rows_of_the_last_moments_wait_until_settled(clock, settled, register, reader):
    """A row is served once SIPANTAU_EXCHANGE_SETTLE_SECONDS have passed, so a late commit is never skipped."""
    arrival = register(destination=ALANG_LAWEH)
    assert reader()["items"] == []
    settled()
    assert [i["id"] for i in reader()["items"]] == [arrival.pk]


def test_the_fhir_page_carries_the_cursor_in_its_next_link(clock, settled, register, reader, call, api_client):
    arrivals = [register(destination=ALANG_LAWEH) for _ in range(3)]
    settled()
    bundle = reader("exchange:fhir_arrivals", limit=2)
    nexts = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
    assert len(nexts) == 1 and "cursor=" in nexts[0]
    encounters = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Encounter"]
    assert [e["resource"]["identifier"][0]["value"] for e in encounters] == [str(a.entry_key) for a in arrivals[:2]]
    cursor = nexts[0].split("cursor=")[1]
    from urllib.parse import unquote

    rest = reader("exchange:fhir_arrivals", limit=2, cursor=unquote(cursor))
    encounters = [e for e in rest["entry"] if e["resource"]["resourceType"] == "Encounter"]
    assert [e["resource"]["identifier"][0]["value"] for e in encounters] == [str(arrivals[2].entry_key)]
    assert not [link for link in rest["link"] if link["relation"] == "next"]
