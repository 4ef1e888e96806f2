"""The officers' NIK look-up: the form's pre-fill and nothing more, limited, audited, watched."""

import datetime as dt
import json
import logging
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from conftest import make_nik

pytestmark = pytest.mark.django_db
URL = "/posko/api/orang/"


@pytest.fixture(autouse=True)
def fresh_window():
    """Start each test early in a minute so its requests fall in one window."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


@pytest.fixture
def known(make_person, make_arrival, other_checkpoint, regions):
    """A traveller who came through another post months ago, with phone and addresses on file."""
    person = make_person(
        id_number=make_nik(sex="P"),
        name="Siti Rahmah",
        sex="P",
        phone="+6281234567890",
        home_address="Jl. Gatot Subroto 12, Jambi",
        home_region=regions.get(code="15.71"),
    )
    make_arrival(
        person=person,
        checkpoint=other_checkpoint,
        arrived_at=timezone.now() - dt.timedelta(days=120),
        destination_address="Jl. Sutan Syahrir No. 5",
    )
    return person


def test_url_name():
    assert reverse("travellers:api_person_lookup") == URL


def test_an_officer_learns_only_the_forms_prefill_fields(client, officer, known):
    client.force_login(officer)
    response = client.get(URL, {"nik": known.id_number})
    assert response.status_code == 200
    answer = response.json()
    assert answer == {
        "found": True,
        "person": {"name": "Siti Rahmah", "sex": "P", "birth_date": "1990-05-17", "nationality": "ID"},
        "arrivals": [],  # the other post's arrival is not theirs to see
    }
    body = response.content.decode()
    for secret in ("6281234567890", "Gatot Subroto", "15.71", "Jambi", "Sutan Syahrir", "Posko"):
        assert secret not in body
    assert '"id"' not in body  # no record id to walk others' records with


def test_by_passport_too_the_answer_is_the_prefill(client, officer, make_person):
    person = make_person(id_type="passport", id_number="A1234567", name="John Doe", phone="+6591234567")
    client.force_login(officer)
    answer = client.get(URL, {"paspor": "a1234567"}).json()
    assert set(answer["person"]) == {"name", "sex", "birth_date", "nationality"}
    assert answer["person"]["name"] == person.name and "phone" not in json.dumps(answer)


def test_the_only_arrivals_shown_are_the_posts_own_entries_of_today(client, officer, known, make_arrival):
    make_arrival(person=known, officer=officer, arrived_at=timezone.now())
    client.force_login(officer)
    arrivals = client.get(URL, {"nik": known.id_number}).json()["arrivals"]
    assert len(arrivals) == 1
    assert set(arrivals[0]) == {"arrived_at", "checkpoint", "destination"}


def test_found_and_not_found_are_both_audited(client, officer, known):
    client.force_login(officer)
    client.get(URL, {"nik": known.id_number})
    client.get(URL, {"nik": make_nik(serial=7777)})
    events = AuditEvent.objects.filter(action="search", object_type="travellers.person").order_by("at", "id")
    assert [e.detail["found"] for e in events] == [True, False]
    assert list(AuditEvent.objects.about_person(known.pk)) == [events[0]]


def test_the_officers_minute_and_hour_limits(client, officer, known, settings):
    settings.SIPANTAU_RATE_LIMIT_PERSON_LOOKUP = 3
    client.force_login(officer)
    assert [client.get(URL, {"nik": known.id_number}).status_code for _ in range(4)] == [200, 200, 200, 429]
    settings.SIPANTAU_RATE_LIMIT_PERSON_LOOKUP, settings.SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_HOUR = 100, 5
    statuses = [client.get(URL, {"nik": known.id_number}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # 3 (+1 refused by the minute, not counted by the hour) then 2 more
    refused = client.get(URL, {"nik": known.id_number})
    assert "batas satu jam" in refused.json()["errors"]["__all__"][0]
    assert int(refused["Retry-After"]) <= 3600
    scopes = list(AuditEvent.objects.filter(action="rate_limited").values_list("detail__scope", flat=True))
    assert sorted(scopes) == ["person_lookup", "person_lookup_hour"]


def test_the_posts_limit_counts_every_officer_of_the_post(client, make_user, officer, known, settings):
    settings.SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_POST_HOUR = 4
    colleague = make_user("officer", username="petugas2")
    client.force_login(officer)
    assert [client.get(URL, {"nik": known.id_number}).status_code for _ in range(3)] == [200] * 3
    client.force_login(colleague)
    assert [client.get(URL, {"nik": known.id_number}).status_code for _ in range(2)] == [200, 429]


def test_a_refused_lookup_leaves_the_entry_working(client, officer, settings):
    """The form works without the look-up: the limit slows typing, never an entry."""
    settings.SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_DAY = 0
    client.force_login(officer)
    assert client.get(URL, {"nik": make_nik()}).status_code == 429
    assert client.get(reverse("travellers:arrival_create")).status_code == 200


def test_lookups_far_beyond_entries_raise_one_alert_an_hour(client, officer, make_arrival, settings, caplog):
    settings.SIPANTAU_LOOKUP_ALERT_UNMATCHED = 5
    client.force_login(officer)
    make_arrival(officer=officer)  # one real entry this hour
    with caplog.at_level(logging.WARNING, logger="sipantau.security"):
        for serial in range(1, 10):  # a script walking serials: all misses
            assert client.get(URL, {"nik": make_nik(serial=9000 + serial)}).json() == {"found": False}
    alerts = AuditEvent.objects.filter(action="alert")
    assert alerts.count() == 1
    alert = alerts.get()
    assert alert.user == officer
    assert alert.detail["alert"] == "person_lookup_unmatched"
    assert (alert.detail["lookups"], alert.detail["entries"], alert.detail["misses"]) == (6, 1, 6)
    assert "look-ups without entries" in caplog.text.lower()


def test_an_officer_entering_what_they_look_up_raises_no_alert(client, officer, make_arrival, settings):
    settings.SIPANTAU_LOOKUP_ALERT_UNMATCHED = 5
    client.force_login(officer)
    for serial in range(1, 10):
        client.get(URL, {"nik": make_nik(serial=9000 + serial)})
        make_arrival(officer=officer)
    assert not AuditEvent.objects.filter(action="alert").exists()
