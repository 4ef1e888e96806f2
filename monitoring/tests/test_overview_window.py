"""The overview's follow-up panel reads its window (running orders, tallied visits): what the task
force reads changes as soon as a visit is recorded or an order closes, and as the days pass."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from followup.models import IsolationOrder
from followup.services import isolation_check_record, isolation_close

from .conftest import NOW

pytestmark = pytest.mark.django_db
OVERVIEW = reverse("monitoring:overview")


def panel(client, user):
    """{label: value} of the follow-up panel's figures, as `user` sees them now (signed in afresh:
    sessions do not outlive the days the clock skips)."""
    client.force_login(user)
    html = " ".join(client.get(OVERVIEW).content.decode().split())
    pairs = re.findall(r'<span class="stat-value">([^<]*)</span> <span class="stat-label">([^<]*)</span>', html)
    return {label: value for value, label in pairs}


def test_the_panel_follows_visits_closures_and_the_days(clock, client, team, register):
    orders = [IsolationOrder.objects.get(arrival=register()) for _ in range(2)]
    clock.move_to(NOW + dt.timedelta(days=1))
    shown = panel(client, team["regency"])
    assert (shown["isolasi berjalan"], shown["belum dipantau hari ini"], shown["terlambat dipantau"]) == ("2", "2", "2")
    assert shown["patuh (di rumah saat dipantau)"] == "–"

    isolation_check_record(order=orders[0], user=team["village"], at_home=True)
    isolation_check_record(order=orders[1], user=team["village"], at_home=False)
    shown = panel(client, team["regency"])
    assert (shown["belum dipantau hari ini"], shown["patuh (di rumah saat dipantau)"]) == ("0", "50%")

    isolation_close(order=orders[1], user=team["regency"], reason="Pindah ke luar provinsi")
    assert panel(client, team["regency"])["isolasi berjalan"] == "1"

    clock.move_to(NOW + dt.timedelta(days=2))  # a new day: the visit was yesterday's
    shown = panel(client, team["regency"])
    assert (shown["belum dipantau hari ini"], shown["terlambat dipantau"]) == ("1", "0")
    assert shown["patuh (di rumah saat dipantau)"] == "50%"  # the window still holds yesterday's visits

    clock.move_to(NOW + dt.timedelta(days=16))  # the order is over, its visits out of the window
    shown = panel(client, team["regency"])
    assert (shown["isolasi berjalan"], shown["patuh (di rumah saat dipantau)"]) == ("0", "–")
