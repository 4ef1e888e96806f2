"""The arrival list as a camat or wali nagari uses it: today by default, filters in the URL, search, pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from conftest import ALANG_LAWEH, BELAKANG_PONDOK, SAWAHAN, make_nik
from monitoring.tests import fixtures

pytestmark = pytest.mark.django_db
camat, days_ago = fixtures.camat, fixtures.days_ago  # shared fixtures
LIST = reverse("monitoring:arrival_list")


def shown(response):
    return [a["person__id_number"] for a in response.context["arrivals"]]


def test_today_by_default_newest_first_with_masked_nik(client, camat, make_arrival, make_person, days_ago):
    early = make_arrival(person=make_person(name="Rahmat Hidayat"), arrived_at=days_ago(0, hour=0, minute=5))
    late = make_arrival(person=make_person(name="Siti Aminah", sex="P"), arrived_at=days_ago(0, hour=23, minute=55))
    make_arrival(arrived_at=days_ago(1, hour=23, minute=59))  # yesterday, WIB
    client.force_login(camat)
    response = client.get(LIST)
    assert response.status_code == 200
    assert shown(response) == [late.person.id_number, early.person.id_number]
    body = response.content.decode()
    assert late.person.masked_id in body
    assert late.person.id_number not in body  # lists never show the whole NIK
    assert "Siti Aminah" in body


def test_only_arrivals_bound_for_the_users_area(client, village_head, make_arrival):
    own = make_arrival(destination=ALANG_LAWEH)
    make_arrival(destination=BELAKANG_PONDOK)
    make_arrival(destination=SAWAHAN)
    client.force_login(village_head)
    assert shown(client.get(LIST)) == [own.person.id_number]


def test_filters_are_kept_in_the_url(client, camat, make_arrival, days_ago, other_checkpoint, regions):
    a = make_arrival(destination=ALANG_LAWEH, arrived_at=days_ago(3), isolation_required=True)
    make_arrival(destination=BELAKANG_PONDOK, arrived_at=days_ago(3), isolation_required=True)
    make_arrival(destination=ALANG_LAWEH, arrived_at=days_ago(3), isolation_required=False)
    make_arrival(destination=ALANG_LAWEH, arrived_at=days_ago(3), isolation_required=True, checkpoint=other_checkpoint)
    riau = regions.get(code="14.71")
    make_arrival(destination=ALANG_LAWEH, arrived_at=days_ago(3), isolation_required=True, origin=riau)
    make_arrival(destination=ALANG_LAWEH, arrived_at=days_ago(9), isolation_required=True)
    client.force_login(camat)
    day = (timezone.localdate() - timedelta(days=5)).isoformat()
    today = timezone.localdate().isoformat()
    url = f"{LIST}?dari={day}&sampai={today}&tujuan={ALANG_LAWEH}&isolasi=ya&posko=dharmasraya-jambi&asal=15"
    response = client.get(url)
    assert shown(response) == [a.person.id_number]
    # The export links carry the same filters.
    assert f"tujuan={ALANG_LAWEH}" in response.content.decode()


def test_nik_search_is_exact_and_over_all_dates(client, camat, make_arrival, make_person, days_ago):
    person = make_person(id_number=make_nik(serial=4242))
    hit = make_arrival(person=person, arrived_at=days_ago(40))
    make_arrival(person=make_person(id_number=make_nik(serial=4243)), arrived_at=days_ago(40))
    client.force_login(camat)
    response = client.get(LIST, {"q": person.id_number})
    assert shown(response) == [hit.person.id_number]
    assert AuditEvent.objects.filter(action="search", user=camat).count() == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Budi Santosa", True),  # a letter changed
        ("Budi Santso", True),  # a letter missing
        ("santoso", True),
        ("budi", True),
        ("Ahmad", False),
        ("Bodi", False),  # too little of a short name left
    ],
)
def test_name_search_tolerates_typos(client, camat, make_arrival, make_person, query, expected):
    """The page promises "nama boleh salah ketik sedikit": on the embedded SQLite default as on PostgreSQL."""
    make_arrival(person=make_person(name="Budi Santoso"))
    make_arrival(person=make_person(name="Yuliani Putri", sex="P"))
    client.force_login(camat)
    names = [a["person__name"] for a in client.get(LIST, {"q": query}).context["arrivals"]]
    assert names == (["Budi Santoso"] if expected else [])


def _postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


PAIRS = [  # query, name, similar enough
    ("Budi Santosa", "Budi Santoso", True),
    ("santso", "Budi Santoso", False),
    ("Zulkarnian", "Zulkarnain Batubara", True),
    ("Rahmad", "Rahmat Hidayat", True),
    ("Bodi", "Budi Santoso", False),
    ("Siti Nurhaliza", "Siti Nur Haliza Putri", True),
    ("Desmawaty Piliang", "Desmawati Chaniago Piliang", False),  # a word between: 0.55
    ("Yusrizal", "Yulizar Koto", False),
]


@pytest.mark.parametrize(("query", "name", "similar"), PAIRS)
def test_the_portable_similarity_is_pg_trgms_word_similarity(query, name, similar):
    """SQLite's fallback scores as PostgreSQL's pg_trgm does, so a search finds the same people."""
    from regions.names import WORD_SIMILARITY, word_similarity

    ours = word_similarity(query.upper(), name.upper())
    assert (ours >= WORD_SIMILARITY) == similar
    if not _postgres():
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT word_similarity(%s, %s)", [query.upper(), name.upper()])
        theirs = cursor.fetchone()[0]
    if theirs >= WORD_SIMILARITY or ours:
        assert ours == pytest.approx(theirs, abs=1e-6)
    assert (ours >= WORD_SIMILARITY) == (theirs >= WORD_SIMILARITY)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "13710117059"}, "NIK terdiri dari 16 angka"),
        ({"dari": "2026-13-45"}, "tanggal"),
        ({"dari": "2026-11-20", "sampai": "2026-11-01"}, "Tanggal akhir tidak boleh sebelum tanggal awal"),
        ({"tujuan": "13.06"}, "Wilayah tujuan tidak dikenal di wilayah Anda"),
        ({"tujuan": "99.99"}, "Wilayah tujuan tidak dikenal di wilayah Anda"),
        ({"posko": "tidak-ada"}, "Posko tidak dikenal"),
        ({"q": "a" * 5000}, "paling banyak 100 karakter"),
        ({"q": "Budi\x00"}, "Karakter null tidak diizinkan"),
    ],
)
def test_bad_filters_get_a_clear_indonesian_message(client, camat, params, message):
    client.force_login(camat)
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()


def test_keyset_pages_walk_every_row_once_in_order(client, camat, make_arrival, days_ago):
    same_time = days_ago(0, hour=8)
    ids = [make_arrival(arrived_at=same_time if i % 3 else days_ago(0, hour=1 + i % 20)).pk for i in range(120)]
    client.force_login(camat)
    seen, url = [], LIST
    pages = 0
    while url:
        response = client.get(url)
        pages += 1
        seen += [a["id"] for a in response.context["arrivals"]]
        page = response.context["page"]
        url = f"{LIST}?{response.context['query']}&setelah={page.next_cursor}" if page.next_cursor else None
    assert pages == 3
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    # And back again from the last page with "newer".
    response = client.get(f"{LIST}?{response.context['query']}&sebelum={response.context['page'].prev_cursor}")
    assert [a["id"] for a in response.context["arrivals"]] == seen[50:100]


def test_list_query_count_does_not_grow_with_rows(client, camat, make_arrival, django_assert_max_num_queries):
    client.force_login(camat)
    for _ in range(5):
        make_arrival()
    client.get(LIST)  # warm caches (content types, session)
    with django_assert_max_num_queries(27) as small:  # 11 of them: the rate-limit counter (shared cache)
        client.get(LIST, {"q": "Budi"})
    for _ in range(25):
        make_arrival()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST, {"q": "Budi"})
    assert len(response.context["arrivals"]) == 30


def test_roles_without_view_permission_are_refused_and_audited(client, officer, make_arrival):
    make_arrival()
    client.force_login(officer)
    response = client.get(LIST)
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="denied", user=officer)
    assert event.object_id == "monitoring:arrival_list"
