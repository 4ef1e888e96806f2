"""Monitoring test helpers and fixtures (imported by the test modules; conftest.py belongs to the follow-up tests)."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone


def page_text(response):
    """The body without its per-response CSRF token, to compare two answers."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def wib(day, hour=9, minute=0):
    """An aware datetime on `day` at hour:minute WIB."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute))


@pytest.fixture
def days_ago():
    """days_ago(n, hour=9) -> an aware WIB datetime n days before today."""

    def at(n, hour=9, minute=0):
        return wib(timezone.localdate() - timedelta(days=n), hour, minute)

    return at


@pytest.fixture
def camat(make_user):
    return make_user("district", "13.71.01", username="camat")


@pytest.fixture
def province_user(make_user):
    return make_user("province", "13", username="provinsi")
