"""The figures tell due and overdue orders from each order's last visit day, kept with the visits:
they agree with the lists of due and overdue orders through visits, passing days, closures,
reopened orders, re-entries, corrected destinations, practice, bulk loads and a rebuild."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts import practice
from followup.models import IsolationOrder
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
IN_FORCE = ("active", "due", "overdue")


def day(n, hour=9):
    """`n` days after NOW's day, at `hour` WIB."""
    return NOW.replace(hour=hour) + dt.timedelta(days=n)


def listed(user):
    """How many orders the isolation list shows as running, due and overdue today, for `user`."""
    today = timezone.localdate()
    orders = IsolationOrder.objects.visible_to(user)
    return {
        "active": orders.running(today).count(),
        "due": orders.due(today).count(),
        "overdue": orders.overdue(today).count(),
    }


def shown(user):
    """The figures' totals of orders in force, as the follow-up page shows them to `user`."""
    totals = followup_summary(user)["totals"]
    return {figure: totals[figure] for figure in IN_FORCE}


def agreed(user):
    """The figures, once checked against the lists (and per sub-area, against the sub-area's lists)."""
    figures = shown(user)
    assert figures == listed(user)
    return figures


@pytest.fixture
def orders(clock, register):
    """Three travellers starting their isolation in Alang Laweh today."""
    return [IsolationOrder.objects.get(arrival=register()) for _ in range(3)]


def test_the_figures_follow_visits_and_days_as_the_lists_do(orders, clock, team):
    assert agreed(team["regency"]) == {"active": 3, "due": 3, "overdue": 0}  # started today
    clock.move_to(day(1))
    assert agreed(team["regency"]) == {"active": 3, "due": 3, "overdue": 3}
    isolation_check_record(order=orders[0], user=team["village"], at_home=True)
    isolation_check_record(order=orders[0], user=team["babinsa"], at_home=False)  # a second visit, same day
    assert agreed(team["regency"]) == {"active": 3, "due": 2, "overdue": 2}
    clock.move_to(day(2))
    isolation_check_record(order=orders[1], user=team["village"], at_home=True)
    assert agreed(team["regency"]) == {"active": 3, "due": 2, "overdue": 1}  # order 0: visited yesterday
    clock.move_to(day(3, hour=0) + dt.timedelta(minutes=1))  # just after midnight WIB
    assert agreed(team["regency"]) == {"active": 3, "due": 3, "overdue": 2}
    clock.move_to(day(14))  # the orders are over
    assert agreed(team["regency"]) == {"active": 0, "due": 0, "overdue": 0}


def test_closed_reopened_restarted_and_moved_orders_keep_the_figures_true(orders, clock, team, register, regions):
    clock.move_to(day(1))
    isolation_check_record(order=orders[0], user=team["village"], at_home=True)
    isolation_close(order=orders[0], user=team["district"], reason="Salah data")
    assert agreed(team["regency"]) == {"active": 2, "due": 2, "overdue": 2}
    isolation_reopen(order=orders[0], user=team["district"], reason="Ditutup karena keliru")
    assert agreed(team["regency"]) == {"active": 3, "due": 2, "overdue": 2}  # its visit today still counts
    clock.move_to(day(2))
    register(person=orders[0].person, destination=SAWAHAN)  # a re-entry restarts order 0 in Sawahan, today
    assert agreed(team["regency"]) == {"active": 3, "due": 3, "overdue": 2}
    assert agreed(team["other_village"]) == {"active": 1, "due": 1, "overdue": 0}
    arrival = orders[1].arrival
    isolation_check_record(order=orders[1], user=team["village"], at_home=True)
    arrival.destination = regions.get(code=SAWAHAN)
    arrival.save()
    change = SimpleNamespace(
        changes=[{"field": "destination", "old": ALANG_LAWEH, "new": SAWAHAN}], changed_by=team["officer"]
    )
    arrival_follow_up_correct(arrival=arrival, change=change)
    assert agreed(team["other_village"]) == {"active": 2, "due": 1, "overdue": 0}
    assert agreed(team["village"]) == {"active": 1, "due": 1, "overdue": 1}
    assert agreed(team["regency"]) == {"active": 3, "due": 2, "overdue": 1}


def test_the_page_and_the_due_list_say_the_same(orders, clock, client, team):
    clock.move_to(day(1))
    isolation_check_record(order=orders[2], user=team["village"], at_home=False)
    client.force_login(team["district"])
    page = client.get(reverse("followup:followup_overview")).context["followup"]["totals"]
    due = client.get(reverse("followup:isolation_list"), {"status": "belum-dipantau"}).context["total"]
    overdue = client.get(reverse("followup:isolation_list"), {"status": "terlambat"}).context["total"]
    assert (page["due"], page["overdue"]) == (due, overdue) == (2, 2)


def test_practice_visits_count_for_practice_orders_only(clock, team, register):
    real = IsolationOrder.objects.get(arrival=register())
    with practice.mode(True):
        drill = IsolationOrder.objects.get(arrival=register())
    clock.move_to(day(1))
    with practice.mode(True):
        isolation_check_record(order=drill, user=team["village"], at_home=True)
        assert agreed(team["village"]) == {"active": 1, "due": 0, "overdue": 0}
    assert agreed(team["village"]) == {"active": 1, "due": 1, "overdue": 1}  # the real order was not visited
    isolation_check_record(order=real, user=team["village"], at_home=True)
    assert agreed(team["village"]) == {"active": 1, "due": 0, "overdue": 0}
    clock.move_to(day(3))
    with practice.mode(True):
        assert agreed(team["village"]) == {"active": 1, "due": 1, "overdue": 1}


def test_the_last_visits_are_rebuilt_with_the_tallies(orders, clock, team, register):
    with practice.mode(True):
        drill = IsolationOrder.objects.get(arrival=register())
    clock.move_to(day(1))
    isolation_check_record(order=orders[0], user=team["village"], at_home=True)
    clock.move_to(day(2))
    isolation_check_record(order=orders[1], user=team["village"], at_home=True)
    with practice.mode(True):
        isolation_check_record(order=drill, user=team["village"], at_home=True)
        practised = agreed(team["regency"])
    before = agreed(team["regency"])
    assert (before, practised) == ({"active": 3, "due": 2, "overdue": 1}, {"active": 1, "due": 0, "overdue": 0})
    IsolationOrder._base_manager.update(last_checked_on=None)  # spoiled, in both modes
    assert shown(team["regency"]) == {"active": 3, "due": 3, "overdue": 3}  # the figures read what is kept
    call_command("tally_checks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert agreed(team["regency"]) == before
    with practice.mode(True):
        assert agreed(team["regency"]) == practised
    IsolationOrder._base_manager.update(last_checked_on=day(-30).date())  # spoiled again
    call_command("tally_checks", "--terkini", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert agreed(team["regency"]) == before
    with practice.mode(True):
        assert agreed(team["regency"]) == practised


def test_generated_and_demo_orders_keep_their_last_visit(regions):
    from accounts.models import User

    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("generate_arrivals", count=400, seed=5, stdout=open("/dev/null", "w"))  # noqa: SIM115
    figures = agreed(User.objects.get(username="provinsi"))
    assert figures["active"] > figures["due"]  # some were visited today: their last visit counts
