"""The real searches, NIK look-ups and exports are rate-limited per user: a 429 and an audit record."""

import time

import pytest

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_window():
    """Start each test early in a minute so its requests fall in one window."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


def refusals(scope):
    """(username, detail) of the audited refusals in `scope`."""
    events = AuditEvent.objects.filter(action="rate_limited", detail__scope=scope)
    return [(e.user.username, e.detail) for e in events]


def test_searching_the_arrival_list_is_limited(client, village_head, settings):
    settings.SIPANTAU_RATE_LIMIT_SEARCH = 3
    client.force_login(village_head)
    assert [client.get("/pantau/kedatangan/", {"q": f"Siti {i}"}).status_code for i in range(3)] == [200] * 3
    refused = client.get("/pantau/kedatangan/", {"q": "Siti"})
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan dalam satu menit" in refused.content.decode()
    assert refusals("search") == [("lurah", {"scope": "search"})]
    # Browsing the list without a query is not a search and stays open.
    assert client.get("/pantau/kedatangan/").status_code == 200


def test_the_person_lookup_by_nik_is_limited_and_answers_json(client, officer, settings):
    settings.SIPANTAU_RATE_LIMIT_PERSON_LOOKUP = 2
    client.force_login(officer)
    url = "/posko/api/orang/"
    assert [client.get(url, {"nik": "1371015705900001"}).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url, {"nik": "1371015705900001"})
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.json()["errors"]["__all__"][0]
    assert refusals("person_lookup") == [("petugas", {"scope": "person_lookup"})]


def test_exports_are_limited(client, make_user, settings):
    settings.SIPANTAU_RATE_LIMIT_EXPORT = 2
    camat = make_user("district", "13.71.01", username="camat")
    client.force_login(camat)
    assert client.get("/pantau/kedatangan/ekspor.csv").status_code == 200
    assert client.get("/pantau/kedatangan/ekspor.xlsx").status_code == 200
    refused = client.get("/pantau/kedatangan/ekspor.csv")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/html")
    assert "Terlalu banyak permintaan dalam satu menit" in refused.content.decode()
    assert refusals("export") == [("camat", {"scope": "export"})]
    exports = AuditEvent.objects.filter(action="export").count()
    assert exports == 2  # the refused request exported nothing


def test_the_default_limits_are_settings(settings):
    assert settings.SIPANTAU_RATE_LIMIT_SEARCH >= 30
    assert settings.SIPANTAU_RATE_LIMIT_PERSON_LOOKUP >= 30
    assert 1 <= settings.SIPANTAU_RATE_LIMIT_EXPORT <= settings.SIPANTAU_RATE_LIMIT_SEARCH
