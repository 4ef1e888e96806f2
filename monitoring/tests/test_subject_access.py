"""The admin's data-subject export: everything stored about a person, as JSON, audited."""

import json

import pytest
from django.urls import reverse

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_admin_exports_everything_about_one_person(client, admin_user, make_arrival, make_person, regions, team):
    from followup.models import IsolationOrder
    from followup.services import arrival_follow_up_open, isolation_check_record
    from travellers.models import ArrivalChange, TravelStop

    person = make_person(name="Siti Rahmah")
    arrival = make_arrival(person=person)
    arrival_follow_up_open(arrival=arrival)
    day = arrival.arrived_at.date()
    TravelStop.objects.create(arrival=arrival, region=regions.get(code="15.71"), date_from=day, date_to=day)
    ArrivalChange.objects.create(arrival=arrival, changes={"plate": ["", "BA 1 A"]})
    order = IsolationOrder.objects.get(arrival=arrival)
    isolation_check_record(order=order, user=team["village"], at_home=True)
    make_arrival(person=make_person(name="Orang Lain"))

    client.force_login(admin_user)
    url = reverse("admin:travellers_person_changelist")
    response = client.post(url, {"action": "export_subject_data", "_selected_action": [person.pk]})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="data-subjek_')
    [data] = json.loads(response.content)["people"]
    assert [row["name"] for row in data["travellers.Person"]] == ["Siti Rahmah"]
    assert [row["id"] for row in data["travellers.Arrival"]] == [arrival.pk]
    assert len(data["travellers.TravelStop"]) == 1 and len(data["travellers.ArrivalChange"]) == 1
    assert [row["id"] for row in data["followup.IsolationOrder"]] == [order.pk]
    assert len(data["followup.Check"]) == 1 and len(data["followup.IsolationEvent"]) >= 1
    assert "Orang Lain" not in response.content.decode()
    event = AuditEvent.objects.get(action="export", object_type="travellers.person")
    assert event.object_id == str(person.pk) and event.user == admin_user
