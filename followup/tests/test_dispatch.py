"""Dispatch: every arrival in its village team's inbox; unconfirmed ones escalate with time."""

import datetime as dt

import pytest
from django.urls import reverse

from followup.models import ArrivalConfirmation

from .conftest import NOW

pytestmark = pytest.mark.django_db

INBOX = reverse("followup:dispatch_inbox")


def inbox_of(client, user):
    client.force_login(user)
    response = client.get(INBOX)
    assert response.status_code == 200
    return list(response.context["arrivals"])


def test_a_new_arrival_lands_in_the_whole_village_teams_inbox(clock, client, team, register, hamlet):
    arrival = register()
    to_hamlet = register(destination=hamlet.code)
    for role in ("village", "babinsa", "police"):
        assert inbox_of(client, team[role]) == [arrival, to_hamlet], role
    assert inbox_of(client, team["hamlet"]) == [to_hamlet]
    assert inbox_of(client, team["other_village"]) == []
    # Above the village, nothing yet: it has not waited long enough.
    assert inbox_of(client, team["district"]) == []
    assert inbox_of(client, team["regency"]) == []


def test_unconfirmed_arrivals_escalate_to_the_camat_then_the_regency(clock, client, team, register):
    arrival = register()
    clock.move_to(NOW + dt.timedelta(hours=23, minutes=59))
    assert inbox_of(client, team["district"]) == []
    clock.move_to(NOW + dt.timedelta(hours=24, minutes=1))
    assert inbox_of(client, team["district"]) == [arrival]
    assert inbox_of(client, team["other_district"]) == []
    assert inbox_of(client, team["regency"]) == []
    html = client.get(INBOX).content.decode()
    assert "Diteruskan ke camat" not in html  # the regency task force's page is empty

    client.force_login(team["village"])
    assert "Diteruskan ke camat" in client.get(INBOX).content.decode()

    clock.move_to(NOW + dt.timedelta(hours=48, minutes=1))
    assert inbox_of(client, team["regency"]) == [arrival]
    assert inbox_of(client, team["province"]) == [arrival]
    client.force_login(team["village"])
    assert "Diteruskan ke gugus tugas kab/kota" in client.get(INBOX).content.decode()


def test_escalation_hours_are_settings(clock, client, team, register, settings):
    settings.SIPANTAU_CONFIRM_WITHIN_HOURS = 6
    arrival = register()
    clock.move_to(NOW + dt.timedelta(hours=7))
    assert inbox_of(client, team["district"]) == [arrival]


def test_confirming_takes_it_out_of_every_inbox(clock, client, team, register):
    arrival = register()
    clock.move_to(NOW + dt.timedelta(hours=30))
    client.force_login(team["babinsa"])
    url = reverse("followup:arrival_confirm", args=[arrival.pk])
    response = client.post(url, {"outcome": "found", "note": ""})
    assert response.status_code == 302
    confirmation = ArrivalConfirmation.objects.get(arrival=arrival)
    assert confirmation.confirmed_by == team["babinsa"] and confirmation.outcome == "found"
    for role in ("village", "police", "district", "regency"):
        assert inbox_of(client, team[role]) == [], role
    order_page = client.get(reverse("followup:isolation_detail", args=[arrival.isolation_orders.get().pk]))
    assert "Ditemukan di alamat" in order_page.content.decode()
    # A second confirmation (another tab, another team member) finds nothing to confirm.
    client.force_login(team["village"])
    assert client.post(url, {"outcome": "found"}).status_code == 404


def test_not_found_needs_a_note(clock, client, team, register):
    arrival = register()
    client.force_login(team["village"])
    url = reverse("followup:arrival_confirm", args=[arrival.pk])
    response = client.post(url, {"outcome": "not_found", "note": " "})
    assert response.status_code == 400
    assert "Tuliskan apa yang ditemukan" in response.content.decode()
    assert not ArrivalConfirmation.objects.exists()
    assert client.post(url, {"outcome": "not_found", "note": "Rumah kosong, kata tetangga ke Solok"}).status_code == 302
    assert ArrivalConfirmation.objects.get().outcome == "not_found"


def test_bad_input_is_refused_with_a_message(clock, client, team, register):
    arrival = register()
    client.force_login(team["village"])
    url = reverse("followup:arrival_confirm", args=[arrival.pk])
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"outcome": "maybe"}).status_code == 400
    assert client.post(url, {"outcome": "found", "note": "a\x00b"}).status_code == 400
    assert client.post(url, {"outcome": "found", "note": "x" * 5000}).status_code == 400
    assert not ArrivalConfirmation.objects.exists()


def test_the_camat_cannot_confirm_before_escalation_nor_other_villages(clock, client, team, register):
    arrival = register()
    url = reverse("followup:arrival_confirm", args=[arrival.pk])
    client.force_login(team["district"])
    assert client.get(url).status_code == 404
    client.force_login(team["other_village"])
    assert client.post(url, {"outcome": "found"}).status_code == 404
    assert not ArrivalConfirmation.objects.exists()


def test_old_arrivals_leave_the_inbox_after_one_isolation_period(clock, client, team, register):
    register()
    clock.move_to(NOW + dt.timedelta(days=15))
    assert inbox_of(client, team["regency"]) == []


def test_inbox_query_count_is_constant(clock, client, team, register, django_assert_max_num_queries):
    client.force_login(team["village"])
    for _ in range(3):
        register()
    with django_assert_max_num_queries(14) as small:  # 2 of them: the audit record and its people
        client.get(INBOX)
    budget = len(small.captured_queries)  # read now: each request resets the log
    for _ in range(9):
        register()
    with django_assert_max_num_queries(budget):
        response = client.get(INBOX)
    assert len(response.context["arrivals"]) == 12
