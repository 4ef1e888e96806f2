"""Fixtures of the entry tests: a logged-in officer and a valid API payload."""

import uuid

import pytest
from django.utils import timezone

from conftest import ALANG_LAWEH, make_nik


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def payload(regions):
    """payload(**changes) -> one traveller as the JSON API takes it (valid as is)."""

    def make(**changes):
        today = timezone.localdate()
        body = {
            "entry_key": str(uuid.uuid4()),
            "id_type": "nik",
            "id_number": make_nik(sex="P"),
            "name": "Siti Rahmah",
            "sex": "P",
            "birth_date": "1990-05-17",
            "phone": "0812-3456-7890",
            "home_address": "Jl. Gatot Subroto 12, Jambi",
            "home_region": "15.71",
            "origin": "15.71",
            "origin_place": "Terminal Alam Barajo",
            "destination": ALANG_LAWEH,
            "destination_address": "Jl. Sutan Syahrir No. 5",
            "purpose": "family",
            "transport": "car",
            "plate": "bh 1234 ab",
            "temperature": "36.5",
            "symptoms": [],
            "travel_stops": [
                {
                    "region": "15.71",
                    "place": "Rumah",
                    "date_from": (today - timezone.timedelta(days=10)).isoformat(),
                    "date_to": today.isoformat(),
                }
            ],
        }
        body.update(changes)
        return body

    return make


@pytest.fixture
def midday():
    """Noon in WIB today, so "today" has room on both sides of the test whatever the clock says."""
    from datetime import datetime, time

    import time_machine

    noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    with time_machine.travel(noon, tick=True):
        yield noon


@pytest.fixture(autouse=True)
def offline_regions_ready(request):
    """Browser tests: the region file is built before the page asks for it, so no long request is
    still reading SQLite's shared in-memory database when the test's flush starts."""
    if request.node.get_closest_marker("browser") is None:
        return
    request.getfixturevalue("regions")
    from regions.offline import offline_regions

    offline_regions()
