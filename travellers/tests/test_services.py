"""arrival_register: one transaction, one Person per document, one arrival per entry_key, its signal."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import ALANG_LAWEH, make_nik
from travellers.models import Arrival, Person, TravelStop
from travellers.services import arrival_register, member_key, vehicle_register
from travellers.signals import arrivals_registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    """receiver(function): connect `function` to arrivals_registered for the test's length."""
    connected = []

    def connect(function):
        arrivals_registered.connect(function, dispatch_uid=f"test-{function.__name__}")
        connected.append(function)

    yield connect
    for function in connected:
        arrivals_registered.disconnect(dispatch_uid=f"test-{function.__name__}")


@pytest.fixture
def fields(regions):
    def make(**changes):
        values = {
            "id_type": "nik",
            "id_number": make_nik(),
            "name": "Budi Santoso",
            "sex": "L",
            "birth_date": date(1990, 5, 17),
            "origin": regions.get(code="15.71"),
            "destination": regions.get(code=ALANG_LAWEH),
            "destination_address": "Jl. Sutan Syahrir 1",
            "purpose": "homecoming",
            "transport": "car",
        }
        values.update(changes)
        return values

    return make


def test_a_new_traveller_gets_a_person_and_an_arrival_at_the_officers_post(officer, fields):
    key = uuid.uuid4()
    arrival, created = arrival_register(officer=officer, entry_key=key, **fields(phone="+6281234567890"))
    assert created
    assert arrival.checkpoint == officer.checkpoint
    assert arrival.officer == officer
    assert arrival.destination_code == ALANG_LAWEH
    assert arrival.entry_key == key
    assert Person.objects.get().phone == "+6281234567890"


def test_the_same_entry_key_again_returns_the_stored_arrival(officer, fields):
    key = uuid.uuid4()
    first, created = arrival_register(officer=officer, entry_key=key, **fields(name="Budi"))
    again, created_again = arrival_register(officer=officer, entry_key=key, **fields(name="Budi Lain"))
    assert created and not created_again
    assert again.pk == first.pk
    assert Arrival.objects.count() == 1
    assert Person.objects.get().name == "Budi"  # a replay changes nothing


def test_a_returning_nik_reuses_the_person_and_updates_the_contact(officer, fields):
    nik = make_nik()
    first, _ = arrival_register(officer=officer, entry_key=uuid.uuid4(), **fields(id_number=nik, phone="+62811111111"))
    second, _ = arrival_register(officer=officer, entry_key=uuid.uuid4(), **fields(id_number=nik, phone="+62822222222"))
    assert first.person_id == second.person_id
    assert Person.objects.count() == 1
    assert Person.objects.get().phone == "+62822222222"
    assert Person.objects.get().arrivals.count() == 2


def test_another_posts_key_is_not_handed_out(officer, make_user, other_checkpoint, fields):
    key = uuid.uuid4()
    arrival_register(officer=officer, entry_key=key, **fields())
    elsewhere = make_user("officer", post=other_checkpoint)
    with pytest.raises(ValidationError) as excinfo:
        arrival_register(officer=elsewhere, entry_key=key, **fields())
    assert "entry_key" in excinfo.value.message_dict


def test_only_officers_with_a_post_register(village_head, fields):
    with pytest.raises(PermissionDenied):
        arrival_register(officer=village_head, entry_key=uuid.uuid4(), **fields())
    assert not Arrival.objects.exists()


def test_travel_stops_outside_the_14_days_store_nothing(officer, fields, regions):
    today = timezone.localdate()
    stop = {"region": regions.get(code="15.71"), "place": "", "date_from": today - timezone.timedelta(days=20)}
    stop["date_to"] = today - timezone.timedelta(days=18)
    with pytest.raises(ValidationError) as excinfo:
        arrival_register(officer=officer, entry_key=uuid.uuid4(), travel_stops=[stop], **fields())
    assert "14 hari" in excinfo.value.message_dict["travel_stops"][0]
    assert not Arrival.objects.exists() and not Person.objects.exists() and not TravelStop.objects.exists()


def test_invalid_model_values_store_nothing(officer, fields):
    with pytest.raises(ValidationError):
        arrival_register(officer=officer, entry_key=uuid.uuid4(), **fields(purpose="tourism"))
    assert not Person.objects.exists()


def test_arrivals_registered_is_sent_for_new_arrivals_only(officer, fields, receiver):
    calls = []

    def record(sender, *, arrivals, **kwargs):
        calls.append((sender, [a.pk for a in arrivals]))

    receiver(record)
    key = uuid.uuid4()
    arrival, _ = arrival_register(officer=officer, entry_key=key, **fields())
    arrival_register(officer=officer, entry_key=key, **fields())
    assert calls == [(Arrival, [arrival.pk])]


def test_a_failing_receiver_rolls_the_arrival_back(officer, fields, receiver):
    def fail(sender, **kwargs):
        raise RuntimeError("monitoring is down")

    receiver(fail)
    with pytest.raises(RuntimeError):
        arrival_register(officer=officer, entry_key=uuid.uuid4(), **fields())
    assert not Arrival.objects.exists() and not Person.objects.exists()


def test_a_car_of_four_is_four_arrivals_in_one_group(officer, fields, regions):
    key = uuid.uuid4()
    trip = {"origin": regions.get(code="15.71"), "transport": "car", "plate": "BH 1234 AB"}
    people = []
    for index in range(4):
        person = fields(id_number=make_nik(), name=f"Penumpang {index}", vehicle_role="passenger")
        for shared in ("origin", "transport"):
            person.pop(shared)
        people.append(person)
    people[0]["vehicle_role"] = "driver"
    registrations = vehicle_register(officer=officer, entry_key=key, trip=trip, people=people)
    assert [r.created for r in registrations] == [True] * 4
    arrivals = Arrival.objects.order_by("id")
    assert {a.vehicle_group for a in arrivals} == {key}
    assert {a.plate for a in arrivals} == {"BH 1234 AB"}
    assert arrivals[0].entry_key == key and arrivals[3].entry_key == member_key(key, 3)
    # The same submission again (double tap) stores nothing more.
    again = vehicle_register(officer=officer, entry_key=key, trip=trip, people=people)
    assert [r.created for r in again] == [False] * 4
    assert Arrival.objects.count() == 4
