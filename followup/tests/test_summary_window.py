"""The follow-up figures read only their window (running orders, tallied visits): they stay right
as visits are recorded, orders close, travellers move and the days pass."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from followup.models import CheckTally, IsolationOrder
from followup.services import (
    arrival_follow_up_correct,
    isolation_check_record,
    isolation_close,
    isolation_reopen,
)
from followup.summary import followup_summary

from .conftest import NOW

pytestmark = pytest.mark.django_db

ALANG_LAWEH, SAWAHAN = "13.71.01.1002", "13.71.02.1001"
FIGURES = ("active", "due", "overdue", "checks", "at_home", "compliance")


def figures(user, code):
    """The figures of the sub-area `code` as `user` reads them (zeros for a sub-area not listed)."""
    row = next((row for row in followup_summary(user)["rows"] if row["code"] == code), None)
    return {figure: row[figure] for figure in FIGURES} if row else None


def day(n, hour=9):
    """`n` days after NOW's day, at `hour` WIB."""
    return NOW.replace(hour=hour) + dt.timedelta(days=n)


@pytest.fixture
def orders(clock, register):
    """Two travellers starting their isolation in Alang Laweh today."""
    return [IsolationOrder.objects.get(arrival=register()) for _ in range(2)]


def test_a_visit_counts_as_soon_as_it_is_recorded(orders, clock, team):
    clock.move_to(day(1))
    assert figures(team["district"], ALANG_LAWEH) == {
        "active": 2, "due": 2, "overdue": 2, "checks": 0, "at_home": 0, "compliance": None,
    }  # fmt: skip
    isolation_check_record(order=orders[0], user=team["village"], at_home=True)
    assert figures(team["district"], ALANG_LAWEH) == {
        "active": 2, "due": 1, "overdue": 1, "checks": 1, "at_home": 1, "compliance": 100,
    }  # fmt: skip
    isolation_check_record(order=orders[1], user=team["babinsa"], at_home=False)
    assert figures(team["district"], ALANG_LAWEH) == {
        "active": 2, "due": 0, "overdue": 0, "checks": 2, "at_home": 1, "compliance": 50,
    }  # fmt: skip


def test_a_closed_order_leaves_the_running_figures_and_a_reopened_one_returns(orders, clock, team):
    clock.move_to(day(1))
    isolation_check_record(order=orders[0], user=team["village"], at_home=True)
    isolation_close(order=orders[0], user=team["district"], reason="Salah data")
    row = figures(team["district"], ALANG_LAWEH)
    assert (row["active"], row["due"], row["overdue"]) == (1, 1, 1)
    assert (row["checks"], row["at_home"]) == (1, 1)  # the visit was made: it still counts
    isolation_reopen(order=orders[0], user=team["district"], reason="Ditutup karena keliru")
    row = figures(team["district"], ALANG_LAWEH)
    assert (row["active"], row["due"], row["overdue"]) == (2, 1, 1)


def test_due_and_overdue_follow_the_days(orders, clock, team):
    assert figures(team["district"], ALANG_LAWEH)["overdue"] == 0  # started today: due, not overdue
    clock.move_to(day(1))
    for order in orders:
        isolation_check_record(order=order, user=team["village"], at_home=True)
    assert (figures(team["district"], ALANG_LAWEH)["due"], figures(team["district"], ALANG_LAWEH)["overdue"]) == (0, 0)
    clock.move_to(day(2, hour=0) + dt.timedelta(minutes=1))  # just after midnight WIB
    row = figures(team["district"], ALANG_LAWEH)
    assert (row["due"], row["overdue"]) == (2, 0)  # visited yesterday: due today, not overdue
    clock.move_to(day(3))
    row = figures(team["district"], ALANG_LAWEH)
    assert (row["due"], row["overdue"]) == (2, 2)


def test_visits_leave_the_window_after_one_isolation_period(orders, clock, team):
    clock.move_to(day(1))
    isolation_check_record(order=orders[0], user=team["village"], at_home=False)
    clock.move_to(day(13))  # the orders' last day
    row = figures(team["district"], ALANG_LAWEH)
    assert (row["active"], row["checks"], row["at_home"], row["compliance"]) == (2, 1, 0, 0)
    clock.move_to(day(14))  # the orders are over; the 14-day window still holds day 1
    row = figures(team["district"], ALANG_LAWEH)
    assert (row["active"], row["due"], row["checks"], row["compliance"]) == (0, 0, 1, 0)
    clock.move_to(day(15))
    assert figures(team["district"], ALANG_LAWEH) is None  # nothing running, no visit in the window


def test_a_corrected_destination_takes_its_visits_along(orders, clock, team, regions):
    clock.move_to(day(1))
    isolation_check_record(order=orders[0], user=team["village"], at_home=True)
    arrival = orders[0].arrival
    arrival.destination = regions.get(code=SAWAHAN)
    arrival.save()
    change = SimpleNamespace(
        changes=[{"field": "destination", "old": ALANG_LAWEH, "new": SAWAHAN}], changed_by=team["officer"]
    )
    arrival_follow_up_correct(arrival=arrival, change=change)
    by_code = {row["code"]: row for row in followup_summary(team["regency"])["rows"]}
    assert (by_code["13.71.01"]["active"], by_code["13.71.01"]["checks"]) == (1, 0)
    assert (by_code["13.71.02"]["active"], by_code["13.71.02"]["checks"], by_code["13.71.02"]["at_home"]) == (1, 1, 1)
    assert figures(team["other_village"], SAWAHAN)["checks"] == 1
    assert figures(team["district"], ALANG_LAWEH)["checks"] == 0


def test_a_re_entry_elsewhere_takes_the_earlier_visits_along(orders, clock, team, register):
    clock.move_to(day(1))
    isolation_check_record(order=orders[0], user=team["village"], at_home=True)
    clock.move_to(day(3))
    register(person=orders[0].person, destination=SAWAHAN)  # restarts the same order, now in Sawahan
    by_code = {row["code"]: row for row in followup_summary(team["regency"])["rows"]}
    assert (by_code["13.71.02"]["active"], by_code["13.71.02"]["checks"]) == (1, 1)
    assert (by_code["13.71.01"]["active"], by_code["13.71.01"]["checks"]) == (1, 0)


def test_the_tallies_are_rebuilt_from_the_visits(orders, clock, team):
    clock.move_to(day(1))
    isolation_check_record(order=orders[0], user=team["village"], at_home=True)
    clock.move_to(day(2))
    isolation_check_record(order=orders[0], user=team["village"], at_home=False)
    isolation_check_record(order=orders[1], user=team["village"], at_home=True)
    before = followup_summary(team["regency"])
    CheckTally.objects.all().delete()
    assert followup_summary(team["regency"])["totals"]["checks"] == 0
    call_command("tally_checks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert followup_summary(team["regency"]) == before
    CheckTally.objects.update(checks=99)  # spoiled
    call_command("tally_checks", "--terkini", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert followup_summary(team["regency"]) == before


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("village", {ALANG_LAWEH}),
        ("other_village", {SAWAHAN}),
        ("district", {ALANG_LAWEH}),
        ("other_district", {SAWAHAN}),
        ("regency", {ALANG_LAWEH, SAWAHAN}),
        ("officer", set()),
    ],
)
def test_the_tallies_are_scoped_like_the_orders(clock, team, register, who, sees):
    for code in (ALANG_LAWEH, SAWAHAN):
        order = IsolationOrder.objects.get(arrival=register(destination=code))
        clock.move_to(day(1))
        isolation_check_record(order=order, user=team["province"], at_home=True)
        clock.move_to(NOW)
    assert set(CheckTally.objects.visible_to(team[who]).values_list("destination_code", flat=True)) == sees


def test_the_follow_up_page_costs_the_same_whatever_the_history(
    clock, client, team, register, django_assert_max_num_queries
):
    client.force_login(team["regency"])
    url = reverse("followup:followup_overview")
    register()
    with django_assert_max_num_queries(16) as small:  # session, user, permissions, the grouped counts
        assert client.get(url).status_code == 200
    # Months of history: orders long over, visited while they ran.
    for months in range(1, 4):
        for code in (ALANG_LAWEH, SAWAHAN):
            clock.move_to(NOW - dt.timedelta(days=30 * months))
            order = IsolationOrder.objects.get(arrival=register(destination=code))
            clock.move_to(NOW - dt.timedelta(days=30 * months - 1))
            isolation_check_record(order=order, user=team["province"], at_home=True)
    clock.move_to(NOW)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["followup"]["totals"]["active"] == 1
    assert response.context["followup"]["totals"]["checks"] == 0


def test_generated_and_demo_visits_are_tallied(regions):
    from django.db.models import Count, Q
    from django.test import override_settings

    from followup.models import Check

    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("generate_arrivals", count=400, seed=5, stdout=open("/dev/null", "w"))  # noqa: SIM115
    counted = {
        (row["day"], row["order__destination_code"]): (row["n"], row["home"])
        for row in Check.objects.values("day", "order__destination_code").annotate(
            n=Count("pk"), home=Count("pk", filter=Q(at_home=True))
        )
    }
    tallied = {(t.day, t.destination_code): (t.checks, t.at_home) for t in CheckTally.objects.filter(checks__gt=0)}
    assert counted and tallied == counted
