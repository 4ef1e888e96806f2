"""Fixtures for the follow-up tests: the village team, orders, a frozen clock."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from conftest import ALANG_LAWEH

WIB = dt.timezone(dt.timedelta(hours=7))
# A Wednesday morning in WIB: the suite's frozen "now".
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=WIB)


@pytest.fixture
def clock():
    """A clock frozen at NOW that tests move with clock.move_to(...)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(make_user, hamlet):
    """The demo village's team, plus the camat, the regency task force and outsiders."""
    return {
        "village": make_user("village", ALANG_LAWEH, username="lurah"),
        "hamlet": make_user("hamlet", hamlet.code, username="kampung"),
        "babinsa": make_user("babinsa", ALANG_LAWEH, "13.71.01.1001", username="babinsa"),
        "police": make_user("police", ALANG_LAWEH, username="bhabin"),
        "district": make_user("district", "13.71.01", username="camat"),
        "regency": make_user("regency", "13.71", username="kabkota"),
        "province": make_user("province", "13", username="provinsi"),
        "other_village": make_user("village", "13.71.02.1001", username="lurah.lain"),
        "other_police": make_user("police", "13.71.02.1001", username="bhabin.lain"),
        "other_district": make_user("district", "13.71.02", username="camat.lain"),
        "officer": make_user("officer", username="petugas"),
    }


@pytest.fixture
def register(make_arrival):
    """register(**fields) -> an arrival the follow-up has answered, as arrivals_registered does at the post."""
    from followup.services import arrival_follow_up_open

    def make(**fields):
        arrival = make_arrival(**fields)
        arrival_follow_up_open(arrival=arrival)
        arrival.refresh_from_db()
        return arrival

    return make


@pytest.fixture
def order(clock, register):
    """A running order for a traveller from Jambi bound for Alang Laweh, opened today."""
    from followup.models import IsolationOrder

    arrival = register(arrived_at=timezone.now())
    return IsolationOrder.objects.get(arrival=arrival)
