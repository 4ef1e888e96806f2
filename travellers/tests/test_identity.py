"""A known document typed with another name: the officer confirms, every arrival keeps its own name,
and the person's page tells who changed it and when."""

import json

import pytest
from django.urls import reverse

from conftest import make_nik
from travellers.models import Arrival, Person, PersonChange

from .test_views import CREATE, form_data

pytestmark = pytest.mark.django_db

NIK = make_nik(sex="P", serial=5151)
API = reverse("travellers:api_arrival_create")


def enter(client, name, **changes):
    # confirm_repeat: the same NIK twice at one post within hours is otherwise asked about first.
    data = {"orang-0-id_number": NIK, "orang-0-name": name, "confirm_repeat": "1", **changes}
    return client.post(CREATE, form_data(**data))


def test_a_new_name_for_a_known_nik_asks_the_officer_to_confirm(officer_client, officer):
    assert enter(officer_client, "Siti Rahmah").status_code == 302
    refused = enter(officer_client, "Siti Aminah")
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "tercatat atas nama Siti Rahmah" in page
    assert 'name="orang-0-confirm_identity_change"' in page
    assert Arrival.objects.count() == 1 and Person.objects.get().name == "Siti Rahmah"

    assert enter(officer_client, "Siti Aminah", **{"orang-0-confirm_identity_change": "on"}).status_code == 302
    first, second = Arrival.objects.order_by("arrived_at", "id")
    assert Person.objects.get().name == "Siti Aminah"
    assert (first.entered_name, second.entered_name) == ("Siti Rahmah", "Siti Aminah")
    change = PersonChange.objects.get()
    assert change.changed_by == officer and change.arrival == second
    assert [(c["field"], c["old"], c["new"]) for c in change.changes] == [("name", "Siti Rahmah", "Siti Aminah")]


def test_the_confirmation_box_stays_hidden_until_needed(officer_client):
    page = officer_client.get(CREATE).content.decode()
    assert 'class="identity-confirm" hidden' in page


def test_spacing_and_letter_case_are_not_a_new_name(officer_client):
    assert enter(officer_client, "Siti Rahmah").status_code == 302
    assert enter(officer_client, "  SITI   rahmah ").status_code == 302
    assert Person.objects.get().name == "Siti Rahmah"
    assert not PersonChange.objects.exists()


def test_the_json_api_says_which_name_is_stored_and_how_to_confirm(officer_client, payload):
    first = payload(id_number=NIK, name="Siti Rahmah")
    assert officer_client.post(API, json.dumps(first), content_type="application/json").status_code == 201
    again = payload(id_number=NIK, name="Siti Aminah")
    refused = officer_client.post(API, json.dumps(again), content_type="application/json")
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert "Siti Rahmah" in errors["name"][0]
    assert "confirm_identity_change" in errors
    confirmed = officer_client.post(
        API, json.dumps({**again, "confirm_identity_change": True}), content_type="application/json"
    )
    assert confirmed.status_code == 201
    assert Person.objects.get().name == "Siti Aminah"


def test_the_persons_page_shows_the_change_and_each_arrivals_own_name(client, officer_client, officer, make_user):
    officer.first_name, officer.last_name = "Rahmat", "Hidayat"
    officer.save()
    enter(officer_client, "Siti Rahmah")
    enter(officer_client, "Siti Aminah", **{"orang-0-confirm_identity_change": "on"})
    first, second = Arrival.objects.order_by("arrived_at", "id")
    client.force_login(make_user("district", "13.71.01", username="camat"))
    page = client.get(reverse("monitoring:arrival_detail", args=[second.pk])).content.decode()
    assert "Riwayat perubahan data orang ini" in page
    assert "<del>Siti Rahmah</del> → <ins>Siti Aminah</ins>" in page
    assert "Rahmat Hidayat" in page and "dicatat sebagai Siti Rahmah" in page
    page = client.get(reverse("monitoring:arrival_detail", args=[first.pk])).content.decode()
    assert "Nama saat dicatat" in page and "Siti Rahmah" in page


def test_an_uploaded_row_with_a_new_name_is_refused_with_the_way_to_enter_it(officer_client):
    from travellers.imports import report_texts

    from .test_imports import csv_file, row, upload_and_process

    enter(officer_client, "Siti Rahmah")
    batch, _page = upload_and_process(officer_client, csv_file([row(nomor_identitas=NIK, nama="Siti Aminah")]))
    assert batch.failed == 1
    messages = " ".join(report_texts(batch.report[0]))
    assert "Siti Rahmah" in messages and "formulir posko" in messages
