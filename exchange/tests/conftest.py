"""Fixtures for the exchange API: system accounts with tokens, follow-up records, a frozen clock.

The follow-up services are imported in this one place (they move with the follow-up models).
"""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=WIB)
SETTLE = 60


@pytest.fixture
def clock(settings):
    """A clock frozen at NOW; tests move it with clock.move_to(...) or clock.shift(seconds)."""
    settings.SIPANTAU_EXCHANGE_SETTLE_SECONDS = SETTLE
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def settled(clock):
    """settled(): move the clock past the settle delay, so every row written so far is served."""

    def move():
        clock.shift(timedelta(seconds=SETTLE + 1))

    return move


@pytest.fixture
def api_client(make_user):
    """api_client(role, *codes) -> (ApiClient, token): a system account with one fresh token."""
    from exchange.models import ApiClient, ApiToken

    def make(role="system", *codes, name=None, **token_fields):
        user = make_user(role, *codes)
        user.set_unusable_password()
        user.save()
        client = ApiClient.objects.create(name=name or f"Sistem {user.username}", user=user)
        token = ApiToken(client=client, **token_fields)
        secret = token.issue()
        token.save()
        return client, secret

    return make


@pytest.fixture
def call(client):
    """call(url, token=None, **params) -> the test client's GET with a bearer token."""

    def get(url, token=None, **params):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        return client.get(url, params, **headers)

    return get


@pytest.fixture
def register(make_arrival):
    """register(**fields) -> an arrival announced as the entry form announces it (the follow-up opens)."""
    from travellers.models import Arrival
    from travellers.signals import arrivals_registered

    def make(**fields):
        arrival = make_arrival(**fields)
        arrivals_registered.send(sender=Arrival, arrivals=[arrival])
        arrival.refresh_from_db()
        return arrival

    return make


@pytest.fixture
def follow_up():
    """The follow-up services: close an order, record a failed check, raise and move a report."""
    from followup import services

    return services


def order_of(arrival):
    from exchange.sources import IsolationOrder

    return IsolationOrder.objects.get(arrival=arrival)


@pytest.fixture
def reported(follow_up, make_user):
    """reported(order) -> a police report raised on a failed check of `order` today."""

    def make(order):
        visitor = make_user("village", order.destination_code[:13])
        check = follow_up.isolation_check_record(order=order, user=visitor, at_home=False)
        return follow_up.violation_report_raise(failed_check=check, user=visitor, description="Tidak di rumah.")

    return make


def later(minutes=1):
    return timezone.now() + timedelta(minutes=minutes)
