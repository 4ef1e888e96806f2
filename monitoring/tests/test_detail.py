"""The traveller's page: whole identity, their arrivals within reach, travel history; every opening audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from conftest import ALANG_LAWEH, BELAKANG_PONDOK, SAWAHAN
from monitoring.tests import fixtures
from monitoring.tests.fixtures import page_text
from travellers.models import TravelStop

pytestmark = pytest.mark.django_db
camat, days_ago = fixtures.camat, fixtures.days_ago  # shared fixtures


def detail(arrival):
    return reverse("monitoring:arrival_detail", args=[arrival.pk])


@pytest.fixture
def traveller(make_person, make_arrival, days_ago, regions):
    """One person arriving three times: to Alang Laweh twice, to Sawahan (another kecamatan) once."""
    person = make_person(name="Rahmat Hidayat", phone="+6281234567890")
    first = make_arrival(person=person, destination=ALANG_LAWEH, arrived_at=days_ago(30))
    second = make_arrival(person=person, destination=SAWAHAN, arrived_at=days_ago(10))
    third = make_arrival(person=person, destination=ALANG_LAWEH, arrived_at=days_ago(0), isolation_required=True)
    today = timezone.localdate()
    TravelStop.objects.create(
        arrival=third, region=regions.get(code="15.71"), place="Pasar Angso Duo", date_from=today - timedelta(9),
        date_to=today - timedelta(2),
    )  # fmt: skip
    return person, first, second, third


def test_detail_shows_whole_identity_history_within_reach_and_travel(client, village_head, traveller):
    person, first, second, third = traveller
    client.force_login(village_head)
    response = client.get(detail(third))
    assert response.status_code == 200
    body = response.content.decode()
    assert person.id_number in body and "Rahmat Hidayat" in body and "+6281234567890" in body
    assert [a.pk for a in response.context["history"]] == [third.pk, first.pk]  # not the Sawahan one
    assert reverse("monitoring:arrival_detail", args=[second.pk]) not in body
    assert "Pasar Angso Duo" in body
    assert "Wajib isolasi" in body


def test_opening_writes_an_audit_record(client, village_head, traveller):
    *_, third = traveller
    client.force_login(village_head)
    client.get(detail(third), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action="view")
    assert (event.user, event.object_type, event.object_id, event.ip) == (
        village_head,
        "travellers.arrival",
        str(third.pk),
        "10.1.2.3",
    )


def test_out_of_reach_and_unknown_ids_look_the_same_and_are_audited(client, village_head, traveller):
    _, _, second, _ = traveller
    client.force_login(village_head)
    unknown = reverse("monitoring:arrival_detail", args=[second.pk + 1000])
    outside = client.get(detail(second))
    missing = client.get(unknown)
    assert outside.status_code == missing.status_code == 404
    assert page_text(outside).replace(detail(second), unknown) == page_text(missing)
    denied = AuditEvent.objects.filter(action="denied", object_type="travellers.arrival")
    assert sorted(denied.values_list("object_id", flat=True)) == sorted([str(second.pk), str(second.pk + 1000)])
    assert not AuditEvent.objects.filter(action="view").exists()


def test_task_force_sees_who_viewed_the_record(client, make_user, village_head, traveller):
    *_, third = traveller
    client.force_login(village_head)
    client.get(detail(third))
    task_force = make_user("regency", "13.71", username="gugus_padang")
    client.force_login(task_force)
    response = client.get(detail(third))
    assert [e.username for e in response.context["viewers"]] == ["gugus_padang", "lurah"]
    assert "Siapa yang membuka data ini" in response.content.decode()


def test_village_head_does_not_see_the_viewers_panel(client, village_head, traveller):
    *_, third = traveller
    client.force_login(village_head)
    response = client.get(detail(third))
    assert response.context["viewers"] is None
    assert "Siapa yang membuka data ini" not in response.content.decode()


def test_detail_query_count_is_constant(client, camat, make_arrival, make_person, django_assert_max_num_queries):
    person = make_person()
    arrivals = [make_arrival(person=person, destination=[ALANG_LAWEH, BELAKANG_PONDOK][i % 2]) for i in range(3)]
    client.force_login(camat)
    client.get(detail(arrivals[0]))
    with django_assert_max_num_queries(20) as small:
        client.get(detail(arrivals[0]))
    arrivals += [make_arrival(person=person) for _ in range(12)]
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(detail(arrivals[0]))
    assert len(response.context["history"]) == 15
