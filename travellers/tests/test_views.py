"""The entry form, the officer's day list and corrections, through the test client."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ALANG_LAWEH, SAWAHAN, make_nik
from travellers.models import Arrival, ArrivalChange, Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("midday")]
CREATE = "/posko/catat/"


def form_data(people=1, stops=0, key=None, **changes):
    """POST data of the entry form for `people` travellers in one vehicle."""
    data = {
        "entry_key": str(key or uuid.uuid4()),
        "orang-TOTAL_FORMS": str(people),
        "orang-INITIAL_FORMS": "0",
        "riwayat-TOTAL_FORMS": str(stops),
        "riwayat-INITIAL_FORMS": "0",
        "origin": "15.71",
        "origin_place": "Jambi",
        "transport": "car",
        "plate": "BH 1234 AB",
    }
    for i in range(people):
        p = f"orang-{i}-"
        data.update(
            {
                p + "id_type": "nik",
                p + "id_number": make_nik(),
                p + "name": f"Orang {i + 1}",
                p + "phone": "0812 3456 789" + str(i),
                p + "purpose": "homecoming",
                p + "temperature": "36,6",
            }
        )
        if i == 0:
            data.update({p + "destination": ALANG_LAWEH, p + "destination_address": "Jl. Sutan Syahrir 1"})
        else:
            data[p + "same_destination"] = "on"
    today = timezone.localdate()
    for i in range(stops):
        p = f"riwayat-{i}-"
        data.update(
            {
                p + "region": "15.71",
                p + "place": "Rumah",
                p + "date_from": (today - timedelta(days=5)).isoformat(),
                p + "date_to": today.isoformat(),
            }
        )
    data.update(changes)
    return data


def test_the_form_carries_a_fresh_entry_key_each_time(officer_client):
    first = officer_client.get(CREATE).context["trip"]["entry_key"].value()
    second = officer_client.get(CREATE).context["trip"]["entry_key"].value()
    assert first and second and first != second


def test_one_traveller_is_stored_and_the_form_is_ready_for_the_next(officer_client, officer):
    response = officer_client.post(CREATE, form_data(stops=1), follow=True)
    assert response.redirect_chain == [(CREATE, 302)]
    arrival = Arrival.objects.get()
    assert arrival.person.name == "Orang 1"
    assert arrival.person.phone == "+6281234567890"
    assert str(arrival.temperature) == "36.6"
    assert arrival.travel_stops.count() == 1
    assert arrival.vehicle_group is None and arrival.vehicle_role == ""
    assert "Tersimpan: Orang 1." in response.content.decode()


def test_a_double_tap_stores_one_arrival(officer_client):
    data = form_data()
    officer_client.post(CREATE, data)
    response = officer_client.post(CREATE, data, follow=True)
    assert Arrival.objects.count() == 1
    assert "sudah tersimpan sebelumnya" in response.content.decode()


def test_a_car_of_four_is_four_arrivals_sharing_plate_origin_and_destination(officer_client):
    data = form_data(people=4, stops=1)
    data["orang-3-same_destination"] = ""  # the last passenger gets off elsewhere
    data["orang-3-destination"] = SAWAHAN
    data["orang-3-destination_address"] = "Jl. Sawahan 3"
    response = officer_client.post(CREATE, data, follow=True)
    assert "Tersimpan 4 orang" in response.content.decode()
    arrivals = list(Arrival.objects.order_by("id"))
    assert len(arrivals) == 4
    assert len({a.vehicle_group for a in arrivals}) == 1 and arrivals[0].vehicle_group
    assert {a.plate for a in arrivals} == {"BH 1234 AB"}
    assert {a.origin.code for a in arrivals} == {"15.71"}
    assert [a.destination_code for a in arrivals] == [ALANG_LAWEH] * 3 + [SAWAHAN]
    assert [a.vehicle_role for a in arrivals] == ["driver", "passenger", "passenger", "passenger"]
    assert all(a.travel_stops.count() == 1 for a in arrivals)


def test_a_removed_passenger_is_not_stored(officer_client):
    data = form_data(people=3, **{"orang-1-DELETE": "on"})
    officer_client.post(CREATE, data)
    assert Arrival.objects.count() == 2


def test_errors_are_shown_in_indonesian_with_400_and_nothing_is_stored(officer_client):
    data = form_data(people=2, **{"orang-1-id_number": "1371", "orang-0-name": "<b>x</b>"})
    response = officer_client.post(CREATE, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "NIK harus 16 angka; yang diketik 4 angka." in html
    assert "Isian tidak boleh berisi tanda &lt; atau &gt;." in html
    assert "Belum tersimpan." in html
    assert not Arrival.objects.exists() and not Person.objects.exists()


def test_sex_mismatch_with_the_nik_is_an_error(officer_client):
    data = form_data(**{"orang-0-id_number": make_nik(sex="P"), "orang-0-sex": "L"})
    response = officer_client.post(CREATE, data)
    assert "Jenis kelamin tidak cocok dengan NIK" in response.content.decode()
    assert not Arrival.objects.exists()


def test_too_many_people_or_a_forged_count_is_refused(officer_client):
    response = officer_client.post(CREATE, form_data(people=13))
    assert response.status_code == 400
    assert not Arrival.objects.exists()


def test_same_person_at_the_same_post_within_hours_asks_for_confirmation(officer_client):
    nik = make_nik()
    officer_client.post(CREATE, form_data(**{"orang-0-id_number": nik}))
    data = form_data(**{"orang-0-id_number": nik})
    response = officer_client.post(CREATE, data)
    assert response.status_code == 200
    assert "sudah dicatat di posko ini dalam 6 jam terakhir" in response.content.decode()
    assert Arrival.objects.count() == 1
    officer_client.post(CREATE, {**data, "confirm_repeat": "1"})
    assert Arrival.objects.count() == 2
    assert Person.objects.count() == 1


def test_the_form_is_for_officers_with_a_post_only(client, village_head, officer):
    client.force_login(village_head)
    assert client.get(CREATE).status_code == 403
    assert client.get(reverse("travellers:arrival_today")).status_code == 403
    officer.checkpoint = None
    officer.save()
    client.force_login(officer)
    assert client.get(CREATE).status_code == 403


def test_the_form_costs_the_same_queries_however_many_arrivals_exist(
    officer_client, make_arrival, officer, django_assert_max_num_queries
):
    for _ in range(3):
        make_arrival(officer=officer)
    officer_client.get(CREATE)  # the process's region lists, cached once (regions/offline.py)
    with django_assert_max_num_queries(8) as few:
        officer_client.get(CREATE)
    for _ in range(30):
        make_arrival(officer=officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        officer_client.get(CREATE)


# ---- the officer's day -------------------------------------------------------
def test_day_list_shows_todays_entries_of_the_post_newest_first(
    officer_client, officer, make_arrival, other_checkpoint
):
    now = timezone.now()
    older = make_arrival(officer=officer, arrived_at=now - timedelta(minutes=30))
    newer = make_arrival(arrived_at=now - timedelta(minutes=5))  # a colleague's entry at the same post
    make_arrival(checkpoint=other_checkpoint)  # another post
    make_arrival(officer=officer, arrived_at=now - timedelta(days=1))  # yesterday
    response = officer_client.get(reverse("travellers:arrival_today"))
    assert list(response.context["arrivals"]) == [newer, older]
    assert response.context["counts"]["total"] == 2
    assert response.context["counts"]["mine"] == 1
    html = response.content.decode()
    assert reverse("travellers:arrival_update", args=[older.pk]) in html
    assert reverse("travellers:arrival_update", args=[newer.pk]) not in html  # not theirs to correct


def test_day_list_comes_in_pages_of_fifty_with_counts_over_the_whole_day(officer_client, officer, make_arrival):
    for _ in range(53):
        make_arrival(officer=officer)
    url = reverse("travellers:arrival_today")
    first = officer_client.get(url)
    assert len(first.context["arrivals"]) == 50 and first.context["counts"]["total"] == 53
    html = first.content.decode()
    assert 'start="53"' in html and "?halaman=2" in html and "Halaman 1 dari 2" in html
    second = officer_client.get(url, {"halaman": 2})
    assert len(second.context["arrivals"]) == 3
    assert 'start="3"' in second.content.decode()
    assert officer_client.get(url, {"halaman": "x"}).status_code == 200  # a wrong page number shows page 1


def test_day_list_query_count_does_not_grow(officer_client, officer, make_arrival, django_assert_max_num_queries):
    url = reverse("travellers:arrival_today")
    for _ in range(5):
        make_arrival(officer=officer)
    with django_assert_max_num_queries(10) as few:
        officer_client.get(url)
    for _ in range(15):
        make_arrival(officer=officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = officer_client.get(url)
    assert len(response.context["arrivals"]) == 20


def test_another_posts_or_yesterdays_entry_answers_404(officer_client, officer, make_arrival, other_checkpoint):
    elsewhere = make_arrival(checkpoint=other_checkpoint, officer=officer)
    yesterday = make_arrival(officer=officer, arrived_at=timezone.now() - timedelta(days=1))
    colleagues = make_arrival()
    for arrival in (elsewhere, yesterday, colleagues):
        url = reverse("travellers:arrival_update", args=[arrival.pk])
        assert officer_client.get(url).status_code == 404
        assert officer_client.post(url, {"name": "x"}).status_code == 404


def correction_data(arrival, **changes):
    person = arrival.person
    data = {
        "orang-0-id_type": person.id_type,
        "orang-0-id_number": person.id_number,
        "orang-0-name": person.name,
        "orang-0-sex": person.sex,
        "orang-0-birth_date": person.birth_date.isoformat(),
        "orang-0-phone": person.phone,
        "orang-0-destination": arrival.destination_code,
        "orang-0-destination_address": arrival.destination_address,
        "orang-0-purpose": arrival.purpose,
        "origin": arrival.origin.code,
        "transport": arrival.transport,
        "plate": arrival.plate,
    }
    data.update(changes)
    return data


def test_correction_keeps_who_when_and_old_to_new(officer_client, officer, make_arrival):
    arrival = make_arrival(officer=officer)
    url = reverse("travellers:arrival_update", args=[arrival.pk])
    assert officer_client.get(url).status_code == 200
    data = correction_data(arrival, **{"orang-0-phone": "0811 222 333", "orang-0-destination": SAWAHAN})
    response = officer_client.post(url, data, follow=True)
    assert "Perbaikan tersimpan: nomor HP, tujuan." in response.content.decode()
    arrival.refresh_from_db()
    assert arrival.destination_code == SAWAHAN
    assert arrival.person.phone == "+62811222333"
    change = ArrivalChange.objects.get()
    assert change.changed_by == officer
    assert [(c["field"], c["old"], c["new"]) for c in change.changes] == [
        ("phone", "—", "+62811222333"),
        ("destination", "Kelurahan Alang Laweh", "Kelurahan Sawahan"),
    ]
    history = officer_client.get(url).content.decode()
    assert "Kelurahan Alang Laweh</del> → <ins>Kelurahan Sawahan" in history


def test_a_correction_made_in_indonesian_reads_in_english_where_its_words_depend_on_the_language(
    officer_client, officer, make_arrival
):
    arrival = make_arrival(officer=officer, transport="car")
    url = reverse("travellers:arrival_update", args=[arrival.pk])
    officer_client.post(url, correction_data(arrival, transport="bus"), follow=True)
    line = ArrivalChange.objects.get().changes[0]
    assert (line["old"], line["new"], line["old_value"], line["new_value"]) == ("Mobil pribadi", "Bus", "car", "bus")
    officer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    history = officer_client.get(url).content.decode()
    assert "Private car</del> → <ins>Bus" in history


def test_correcting_a_mistyped_nik_moves_the_entry_to_the_right_person(officer_client, officer, make_arrival):
    arrival = make_arrival(officer=officer)
    wrong = arrival.person
    right_nik = make_nik()
    url = reverse("travellers:arrival_update", args=[arrival.pk])
    officer_client.post(url, correction_data(arrival, **{"orang-0-id_number": right_nik}))
    arrival.refresh_from_db()
    assert arrival.person.id_number == right_nik
    assert not Person.objects.filter(pk=wrong.pk).exists()  # nobody else arrived under the typo


def test_an_unchanged_correction_records_nothing(officer_client, officer, make_arrival):
    arrival = make_arrival(officer=officer)
    url = reverse("travellers:arrival_update", args=[arrival.pk])
    officer_client.post(url, correction_data(arrival))
    assert not ArrivalChange.objects.exists()


def test_an_invalid_correction_changes_nothing(officer_client, officer, make_arrival):
    arrival = make_arrival(officer=officer)
    url = reverse("travellers:arrival_update", args=[arrival.pk])
    response = officer_client.post(url, correction_data(arrival, **{"orang-0-name": "a\x00b"}))
    assert response.status_code == 400
    arrival.refresh_from_db()
    assert arrival.person.name == "Budi Santoso"
    assert not ArrivalChange.objects.exists()


# ---- bad input through the HTML form ------------------------------------------
def test_a_5_mb_form_body_answers_400_in_indonesian_and_stores_nothing(officer_client):
    response = officer_client.post(CREATE, form_data(**{"orang-0-name": "x" * 5_000_000}))
    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.content.decode()
    assert not Arrival.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"orang-TOTAL_FORMS": "abc"},  # a tampered management form
        {"orang-TOTAL_FORMS": "0"},  # nobody
        {"entry_key": "not-a-uuid"},
        {"orang-0-temperature": "panas"},
        {"orang-0-birth_date": "31-02-1990"},
        {"origin": "13.71.01.1002.01.99"},
        {"orang-0-destination": "15.71"},  # outside the province
        {"riwayat-TOTAL_FORMS": "1", "riwayat-0-region": "15.71", "riwayat-0-date_from": "01-01-2020"},
        {"orang-0-address": "\u202eevil", "orang-0-destination_address": "Jl. \u202eevil"},  # bidi override
    ],
)
def test_malformed_submissions_answer_400_and_store_nothing(officer_client, changes):
    response = officer_client.post(CREATE, form_data(**changes))
    assert response.status_code == 400
    assert not Arrival.objects.exists() and not Person.objects.exists()


def test_an_unknown_district_in_the_nik_is_stored_with_a_warning(officer_client):
    data = form_data(**{"orang-0-id_number": make_nik(district="13.71.99")})
    response = officer_client.post(CREATE, data, follow=True)
    assert Arrival.objects.count() == 1
    assert "Kode kecamatan pada NIK (13.71.99) tidak ada di data wilayah" in response.content.decode()


def test_a_vehicle_entry_costs_a_fixed_number_of_queries(officer_client, django_assert_max_num_queries):
    officer_client.get(CREATE)  # the session's first request
    # As the JSON API's, with the double-entry check and the name the document
    # is known under
    with django_assert_max_num_queries(25):
        assert officer_client.post(CREATE, form_data(stops=1)).status_code == 302
    # Each further passenger: their key, person, arrival, stops, order; the regions are still one read.
    with django_assert_max_num_queries(27 + 2 * 17):  # and the vehicle's savepoint
        assert officer_client.post(CREATE, form_data(people=3, stops=2)).status_code == 302


def test_pages_go_compressed_to_a_phone_that_accepts_it(officer_client, officer, make_arrival):
    """Issue 14: HTML is gzip-compressed (Django's GZipMiddleware, with its BREACH padding)."""
    import gzip

    for _ in range(20):
        make_arrival(officer=officer)
    for url in (CREATE, reverse("travellers:arrival_today")):
        plain = officer_client.get(url)
        packed = officer_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
        body = gzip.decompress(packed.content)
        print(f"{url}: {len(plain.content)} bytes, {len(packed.content)} compressed")
        assert len(packed.content) < len(body) / 3
