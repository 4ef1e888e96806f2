"""The JSON entry API as the offline queue and the fault drills use it (contract in docs/entry.md)."""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import ALANG_LAWEH, make_nik
from travellers.models import Arrival, Person, TravelStop

pytestmark = pytest.mark.django_db
URL = "/posko/api/kedatangan/"


def post(client, body, **extra):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", **extra)


def test_url_name_matches_the_contract():
    assert reverse("travellers:api_arrival_create") == URL


def test_a_new_arrival_answers_201_with_ids(officer_client, payload):
    body = payload()
    response = post(officer_client, body)
    assert response.status_code == 201
    answer = response.json()
    arrival = Arrival.objects.get()
    assert answer == {"id": arrival.pk, "entry_key": body["entry_key"], "created": True, "person_id": arrival.person_id}
    assert arrival.person.phone == "+6281234567890"
    assert arrival.plate == "BH 1234 AB"
    assert str(arrival.temperature) == "36.5"
    assert TravelStop.objects.get().arrival == arrival


def test_the_same_entry_key_again_answers_200_with_the_same_arrival(officer_client, payload):
    body = payload()
    first = post(officer_client, body).json()
    response = post(officer_client, body)
    assert response.status_code == 200
    assert response.json() == {**first, "created": False}
    assert Arrival.objects.count() == 1


def test_a_resend_is_answered_even_if_its_data_would_no_longer_pass(officer_client, payload):
    body = payload()
    post(officer_client, body)
    response = post(officer_client, {**body, "name": "", "destination": "99"})
    assert response.status_code == 200
    assert response.json()["created"] is False


def test_a_returning_nik_is_the_same_person(officer_client, payload):
    nik = make_nik(sex="P")
    first = post(officer_client, payload(id_number=nik)).json()
    second = post(officer_client, payload(id_number=nik)).json()
    assert first["person_id"] == second["person_id"]
    assert first["id"] != second["id"]
    assert Person.objects.count() == 1


def test_sex_and_birth_date_are_taken_from_the_nik_when_left_out(officer_client, payload):
    body = payload(id_number=make_nik(sex="P"))
    del body["sex"], body["birth_date"]
    assert post(officer_client, body).status_code == 201
    person = Person.objects.get()
    assert (person.sex, person.birth_date.isoformat()) == ("P", "1990-05-17")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id_number": "1371"}, "id_number", "NIK harus 16 angka; yang diketik 4 angka."),
        ({"sex": "L"}, "sex", "Jenis kelamin tidak cocok dengan NIK (NIK ini milik seorang perempuan)."),
        ({"birth_date": "1990-05-18"}, "birth_date", "Tanggal lahir tidak cocok dengan NIK (menurut NIK: 17-05-1990)."),
        ({"destination": "15.71"}, "destination", "Wilayah tidak dikenal atau tidak berlaku lagi. Pilih dari daftar."),
        ({"name": "Siti\x00Rahmah"}, "name", "Isian berisi karakter kendali yang tidak diizinkan."),
        ({"name": "<script>alert(1)</script>"}, "name", "Isian tidak boleh berisi tanda < atau >."),
        ({"name": "x" * 101}, "name", None),
        ({"name": ["a", "b"]}, "name", "Jenis nilai salah: harus teks atau angka."),
        ({"temperature": True}, "temperature", "Jenis nilai salah: harus teks atau angka."),
        ({"temperature": "50"}, "temperature", None),
        ({"phone": "12345"}, "phone", None),
        ({"plate": "1234"}, "plate", "Nomor polisi ditulis huruf wilayah, angka, lalu huruf akhir, mis. BA 1234 XY."),
        ({"symptoms": ["zombie"]}, "symptoms", None),
        ({"symptoms": "fever"}, "symptoms", "Harus berupa daftar teks."),
        ({"travel_stops": [1, 2]}, "travel_stops", "Harus berupa daftar objek."),
        ({"entry_key": "123"}, "entry_key", "entry_key harus berupa UUID."),
        ({"arrived_at": "2999-01-01T10:00:00+07:00"}, "arrived_at", "Waktu tiba tidak boleh di masa depan."),
        ({"name": None}, "name", None),
    ],
)
def test_bad_fields_answer_400_in_indonesian_and_store_nothing(officer_client, payload, changes, field, message):
    response = post(officer_client, payload(**changes))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    if message:
        assert message in errors[field]
    assert not Arrival.objects.exists() and not Person.objects.exists()


def test_missing_fields_are_each_named(officer_client):
    response = post(officer_client, {"entry_key": str(uuid.uuid4())})
    assert response.status_code == 400
    errors = response.json()["errors"]
    for field in ["id_number", "name", "origin", "destination", "destination_address", "purpose", "transport"]:
        assert errors[field] == ["Bidang ini tidak boleh kosong."], field


def test_travel_stops_are_checked_row_by_row(officer_client, payload):
    stops = [{"region": "15.71", "date_from": "2020-01-01", "date_to": "2020-01-02"}, {"region": "xx"}]
    errors = post(officer_client, payload(travel_stops=stops)).json()["errors"]["travel_stops"]
    assert any(e.startswith("Baris 1: Riwayat perjalanan hanya untuk 14 hari") for e in errors)
    assert "Baris 2: Wilayah: Wilayah tidak dikenal atau tidak berlaku lagi. Pilih dari daftar." in errors


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", b"\xff\xfe", "null", '"text"'])
def test_a_body_that_is_not_one_json_object_answers_400(officer_client, body):
    response = post(officer_client, body)
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"]


def test_a_5_mb_body_answers_413(officer_client, payload):
    response = post(officer_client, payload(name="x" * 5_000_000))
    assert response.status_code == 413
    assert response.json() == {"errors": {"__all__": ["Data terlalu besar."]}}
    assert not Arrival.objects.exists()


def test_non_officers_and_anonymous_requests_get_403_json(client, village_head, payload):
    # JSON, not a redirect to the login page: the offline queue keeps the entry and asks to log in.
    response = post(client, payload())
    assert response.status_code == 403
    assert response.json()["errors"]["__all__"] == ["Sesi berakhir. Masuk kembali lalu kirim ulang."]
    client.force_login(village_head)
    response = post(client, payload())
    assert response.status_code == 403
    assert response.json()["errors"]["__all__"] == ["Hanya petugas posko yang dapat mencatat kedatangan."]


def test_csrf_header_is_required(officer, payload):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert post(client, payload()).status_code == 403
    client.get("/posko/catat/")
    token = client.cookies["csrftoken"].value
    assert post(client, payload(), HTTP_X_CSRFTOKEN=token).status_code == 201


# ---- known traveller lookup --------------------------------------------------
def test_lookup_finds_a_known_nik_with_previous_arrivals(officer_client, payload):
    nik = make_nik(sex="P")
    post(officer_client, payload(id_number=nik))
    answer = officer_client.get(reverse("travellers:api_person_lookup"), {"nik": nik[:4] + " " + nik[4:]}).json()
    assert answer["found"] is True
    assert answer["person"]["name"] == "Siti Rahmah"
    assert "phone" not in answer["person"]  # only the pre-fill: travellers/tests/test_lookup.py
    assert len(answer["arrivals"]) == 1  # entered at this post today
    assert answer["arrivals"][0]["checkpoint"] == "Posko Dharmasraya – Jambi"


def test_lookup_of_an_unknown_or_malformed_nik(officer_client):
    url = reverse("travellers:api_person_lookup")
    assert officer_client.get(url, {"nik": make_nik()}).json() == {"found": False}
    response = officer_client.get(url, {"nik": "12ab"})
    assert response.status_code == 400


def test_lookup_is_for_officers_only_and_audited(client, village_head, officer, payload):
    from accounts.models import AuditEvent

    nik = make_nik()
    client.force_login(officer)
    post(client, payload(id_number=nik, sex="L"))
    client.get(reverse("travellers:api_person_lookup"), {"nik": nik})
    assert AuditEvent.objects.filter(action="search", object_type="travellers.person", detail__found=True).count() == 1
    client.force_login(village_head)
    assert client.get(reverse("travellers:api_person_lookup"), {"nik": nik}).status_code == 403


# ---- concurrency: PostgreSQL only (SQLite serialises writers by locking the file) ----------
@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_posts_store_one_arrival(officer, payload):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    login = Client()
    login.force_login(officer)
    body = json.dumps(payload())
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    statuses, errors = [], []

    def send():
        client = Client()
        client.cookies = login.cookies
        try:
            barrier.wait()
            response = client.post(URL, body, content_type="application/json")
            statuses.append((response.status_code, response.json()))
        except Exception as error:  # reported below: a thread's exception would otherwise vanish
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(status for status, _ in statuses) == [200] * (threads_count - 1) + [201], statuses
    assert len({answer["id"] for _, answer in statuses}) == 1
    assert Arrival.objects.count() == 1
    assert Person.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_new_arrivals_of_one_new_nik_make_one_person(officer, payload):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    login = Client()
    login.force_login(officer)
    nik = make_nik(sex="P")
    bodies = [json.dumps(payload(id_number=nik)) for _ in range(6)]  # six keys, one person
    barrier = threading.Barrier(len(bodies))
    statuses, errors = [], []

    def send(body):
        client = Client()
        client.cookies = login.cookies
        try:
            barrier.wait()
            statuses.append(client.post(URL, body, content_type="application/json").status_code)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses == [201] * 6
    assert Person.objects.count() == 1
    assert Arrival.objects.count() == 6


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Siti\x00Rahmah"},
        {"origin_place": "\x00"},
        {"symptoms": ["batuk\x00"]},
        {"travel_stops": [{"region": "15.71", "place": "Pasar\x00", "date_from": "", "date_to": ""}]},
        {"plate\x00": "x"},
    ],
    ids=["name", "origin_place", "symptoms", "travel_stops", "key"],
)
def test_a_nul_anywhere_in_the_json_is_a_400_and_nothing_is_stored(officer_client, payload, change):
    response = post(officer_client, payload(**change))
    assert response.status_code == 400
    assert "karakter kendali" in json.dumps(response.json()["errors"])
    assert Arrival.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        '{"symptoms":' + "[" * 100_000 + "]" * 100_000 + "}",  # json.loads: RecursionError
        '{"symptoms":' + "[" * 900 + "]" * 900 + "}",  # parses, but deeper than any entry
        '{"travel_stops": [{"region": ' + '{"a": ' * 500 + "1" + "}" * 500 + "}]}",
    ],
    ids=["100000-deep", "900-deep", "deep-in-a-stop"],
)
def test_deeply_nested_json_is_a_400_not_a_500(officer_client, payload, body):
    response = post(officer_client, body)
    assert response.status_code == 400
    assert response.json() == {"errors": {"__all__": ["Isi permintaan bersarang terlalu dalam."]}}
    assert Arrival.objects.count() == 0


@pytest.mark.parametrize(
    "field",
    ["name", "home_address", "origin_place", "destination_address", "plate", "phone", "purpose", "entry_key"],
)
def test_a_lone_surrogate_in_a_text_field_is_a_400_with_a_clear_message(officer_client, payload, field):
    body = json.dumps(payload()).replace(f'"{field}": "', f'"{field}": "\\ud800', 1)
    assert "\\ud800" in body
    response = post(officer_client, body)
    assert response.status_code == 400
    assert "surrogate tunggal" in response.json()["errors"][field][0]
    assert Arrival.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [{"symptoms": ["batuk\udfff"]}, {"travel_stops": [{"region": "15.71", "place": "\ud800"}]}, {"x\ud800": "1"}],
    ids=["symptoms", "travel_stops", "key"],
)
def test_a_lone_surrogate_in_lists_and_keys_is_a_400(officer_client, payload, change):
    response = post(officer_client, json.dumps(payload(**change)))  # json.dumps writes \ud800 escapes
    assert response.status_code == 400
    assert "surrogate tunggal" in json.dumps(response.json()["errors"])
    assert Arrival.objects.count() == 0


def test_a_form_post_instead_of_json_is_a_400(officer_client, payload):
    response = officer_client.post(URL, payload())
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == ["Isi permintaan bukan JSON yang sah."]
    assert Arrival.objects.count() == 0


def test_a_new_arrival_costs_a_fixed_number_of_queries(officer_client, payload, django_assert_max_num_queries):
    post(officer_client, payload())  # the session's first request
    # session, user, 2 permissions, the key, the regions, the person, the arrival, its stop, the
    # isolation order and its event, the savepoints the retry rules need, and
    # the name the document is known under (a new name needs the officer's confirmation)
    with django_assert_max_num_queries(24):
        assert post(officer_client, payload()).status_code == 201
    body = payload()
    body["travel_stops"] = body["travel_stops"] * 3
    with django_assert_max_num_queries(24):  # the stops go in one insert, their regions in one read
        assert post(officer_client, body).status_code == 201
    with django_assert_max_num_queries(7):  # a resend: session, user, permissions, the key
        assert post(officer_client, body).status_code == 200


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("origin", "15"),  # a province: too coarse for an origin
        ("origin", "retired"),
        ("home_region", "retired"),
        ("destination", "13.71.01"),  # a kecamatan: the destination is a village or hamlet
        ("destination", "retired"),
        ("travel_stops", "retired"),
    ],
)
def test_regions_read_in_one_go_keep_the_fields_rules(officer_client, payload, regions, field, code):
    if code == "retired":
        code = "15.71"
        regions.filter(code=code).update(retired=True)
        if field == "destination":
            code = ALANG_LAWEH
            regions.filter(code=code).update(retired=True)
    body = payload()
    if field == "travel_stops":
        body["travel_stops"][0]["region"] = code
    else:
        body[field] = code
    response = post(officer_client, body)
    assert response.status_code == 400
    assert "Wilayah tidak dikenal atau tidak berlaku lagi" in json.dumps(response.json(), ensure_ascii=False)
    assert Arrival.objects.count() == 0


# The entry's own transaction: Django logs its BEGIN and COMMIT beside the statements.
TRANSACTION_STATEMENTS = 2


@pytest.mark.django_db(transaction=True)  # counted as in production: the entry's own transaction, no test savepoints
def test_an_entry_costs_at_most_ten_queries(officer_client, payload, django_assert_max_num_queries):
    post(officer_client, payload())  # the session's first request
    nik = make_nik(sex="P", serial=7)
    # session, user, regions, the person (locked; and whether the key is stored), the person's
    # insert, the arrival's (isolation decided before it), its stop, the exemption rule, the
    # isolation order and its event; no savepoint, no second write of the arrival
    with django_assert_max_num_queries(10 + TRANSACTION_STATEMENTS):
        first = post(officer_client, payload(id_number=nik))
    assert first.status_code == 201
    # A returning traveller: no person to insert, their running order looked up (and restarted).
    with django_assert_max_num_queries(10 + TRANSACTION_STATEMENTS):
        again = post(officer_client, payload(id_number=nik))
    assert again.status_code == 201
    arrival = Arrival.objects.get(pk=again.json()["id"])
    assert arrival.isolation_required
    assert arrival.isolation_orders.get().events.count() == 2  # opened, restarted
    assert arrival.travel_stops.count() == 1
