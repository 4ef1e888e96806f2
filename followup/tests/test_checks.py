"""Daily checks: due today, overdue, one-tap recording, the order's timeline, order edits by page."""

import datetime as dt

import pytest
from django.urls import reverse

from followup.models import Check, IsolationOrder

from .conftest import NOW

pytestmark = pytest.mark.django_db

DUE = reverse("followup:checks_due")


def due_for(client, user):
    client.force_login(user)
    response = client.get(DUE)
    assert response.status_code == 200
    return response


def test_a_new_order_is_due_today_for_the_village_team(clock, client, team, order):
    for role in ("village", "babinsa"):
        assert list(due_for(client, team[role]).context["orders"]) == [order]
    assert list(due_for(client, team["other_village"]).context["orders"]) == []


def test_everyone_who_visits_opens_the_due_list(clock, client, team, order):
    """Village head, Babinsa and Bhabinkamtibmas all visit the traveller: each has today's list."""
    for role in ("village", "babinsa", "police"):
        assert list(due_for(client, team[role]).context["orders"]) == [order], role


def test_the_police_record_a_visit(clock, client, team, order):
    client.force_login(team["police"])
    response = client.post(reverse("followup:check_create", args=[order.pk]), {"at_home": "1", "next": DUE})
    assert response.status_code == 302
    assert Check.objects.get().checked_by == team["police"]


def test_roles_without_record_checks_cannot_open_the_due_list(clock, client, team):
    for role in ("district", "regency", "officer"):
        client.force_login(team[role])
        assert client.get(DUE).status_code == 403, role


def test_one_tap_records_a_check_and_the_order_leaves_todays_list(clock, client, team, order):
    client.force_login(team["babinsa"])
    response = client.post(reverse("followup:check_create", args=[order.pk]), {"at_home": "1", "next": DUE})
    assert response.status_code == 302 and response.url == DUE
    check = Check.objects.get()
    assert check.at_home and check.checked_by == team["babinsa"] and check.day == dt.date(2026, 11, 25)
    assert list(due_for(client, team["village"]).context["orders"]) == []
    # Tomorrow it is due again.
    clock.move_to(NOW + dt.timedelta(days=1))
    assert list(due_for(client, team["village"]).context["orders"]) == [order]


def test_a_double_tap_records_one_check(clock, client, team, order):
    client.force_login(team["village"])
    url = reverse("followup:check_create", args=[order.pk])
    client.post(url, {"at_home": "1"})
    client.post(url, {"at_home": "1"})
    assert Check.objects.count() == 1


def test_a_check_with_details_keeps_them(clock, client, team, order):
    client.force_login(team["village"])
    url = reverse("followup:check_create", args=[order.pk])
    data = {"at_home": "1", "temperature": "37.9", "symptoms": ["demam", "batuk"], "note": "Minta obat"}
    assert client.post(url, data).status_code == 302
    check = Check.objects.get()
    assert str(check.temperature) == "37.9" and check.symptoms == ["demam", "batuk"] and check.note == "Minta obat"


@pytest.mark.parametrize(
    "data",
    [{}, {"at_home": "maybe"}, {"at_home": "1", "temperature": "60"}, {"at_home": "1", "note": "x\x00"}],
    ids=["nothing", "bad-choice", "temperature", "nul"],
)
def test_bad_check_input_is_refused_and_nothing_is_stored(clock, client, team, order, data):
    client.force_login(team["village"])
    response = client.post(reverse("followup:check_create", args=[order.pk]), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Check.objects.exists()


def test_checks_cannot_be_recorded_on_a_finished_order(clock, client, team, order):
    clock.move_to(NOW + dt.timedelta(days=14))
    client.force_login(team["village"])
    response = client.post(reverse("followup:check_create", args=[order.pk]), {"at_home": "1"})
    assert response.status_code == 400
    assert not Check.objects.exists()


def test_an_order_missed_yesterday_is_overdue_and_listed_first(clock, client, team, register):
    older = IsolationOrder.objects.get(arrival=register())
    clock.move_to(NOW + dt.timedelta(days=1))
    newer = IsolationOrder.objects.get(arrival=register())
    response = due_for(client, team["village"])
    assert list(response.context["orders"]) == [older, newer]
    assert [o.overdue for o in response.context["orders"]] == [True, False]
    assert "card-overdue" in response.content.decode()
    assert list(IsolationOrder.objects.overdue()) == [older]
    listed = client.get(reverse("followup:isolation_list")).context["orders"]
    assert {o: o.overdue for o in listed} == {older: True, newer: False}


def test_the_timeline_shows_every_check_and_change(clock, client, team, order):
    client.force_login(team["village"])
    url = reverse("followup:check_create", args=[order.pk])
    client.post(url, {"at_home": "1", "temperature": "36.6"})
    clock.move_to(NOW + dt.timedelta(days=1))
    client.force_login(team["village"])  # sessions last 12 hours
    client.post(url, {"at_home": "0", "note": "Ke pasar"})
    clock.move_to(NOW + dt.timedelta(days=1, minutes=5))
    client.post(
        reverse("followup:isolation_period", args=[order.pk]), {"days": "10", "reason": "Surat keterangan dokter"}
    )
    html = client.get(order.get_absolute_url()).content.decode()
    positions = [html.index(text) for text in ("Isolasi dimulai", "36,6 °C", "Ke pasar", "Surat keterangan")]
    assert positions == sorted(positions)
    assert "Dipantau: TIDAK di rumah" in html and "Laporkan ke polisi" in html
    assert "5 Desember 2026" in html  # the new end date, written the Indonesian way


def test_period_close_and_reopen_through_the_page(clock, client, team, order):
    client.force_login(team["village"])
    response = client.post(reverse("followup:isolation_period", args=[order.pk]), {"days": "10", "reason": ""})
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.days == 14
    client.post(reverse("followup:isolation_close", args=[order.pk]), {"close-reason": "Dirawat di RS"})
    order.refresh_from_db()
    assert order.status_on() == IsolationOrder.Status.CLOSED
    client.post(reverse("followup:isolation_reopen", args=[order.pk]), {"reopen-reason": "Salah orang"})
    order.refresh_from_db()
    assert order.status_on() == IsolationOrder.Status.ACTIVE


def test_the_babinsa_and_police_may_not_change_an_order(clock, client, team, order):
    for role in ("babinsa", "police", "hamlet"):
        client.force_login(team[role])
        url = reverse("followup:isolation_close", args=[order.pk])
        assert client.post(url, {"close-reason": "x"}).status_code == 403, role
    order.refresh_from_db()
    assert order.status_on() == IsolationOrder.Status.ACTIVE


def test_due_list_query_count_is_constant(clock, client, team, register, django_assert_max_num_queries):
    client.force_login(team["village"])
    for _ in range(3):
        register()
    with django_assert_max_num_queries(12) as small:
        client.get(DUE)
    budget = len(small.captured_queries)  # read now: each request resets the log
    for _ in range(9):
        register()
    with django_assert_max_num_queries(budget):
        response = client.get(DUE)
    assert len(response.context["orders"]) == 12


def test_order_detail_query_count_is_constant(clock, client, team, order, django_assert_max_num_queries):
    client.force_login(team["village"])
    url = reverse("followup:check_create", args=[order.pk])
    client.post(url, {"at_home": "1"})
    with django_assert_max_num_queries(16) as small:  # 2 of them: the audit record and its person
        client.get(order.get_absolute_url())
    budget = len(small.captured_queries)  # read now: each request resets the log
    for day in range(1, 8):
        clock.move_to(NOW + dt.timedelta(days=day))
        client.force_login(team["village"])  # sessions last 12 hours
        client.post(url, {"at_home": "0" if day % 2 else "1"})
    assert order.checks.count() == 8
    with django_assert_max_num_queries(budget):
        client.get(order.get_absolute_url())
