"""Every call's guards: bad input answers 400 with a clear message, the rate limit 429, each call is audited."""

import time

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, AuditEventPerson
from conftest import ALANG_LAWEH

pytestmark = pytest.mark.django_db

LISTS = [
    "exchange:arrival_list",
    "exchange:isolation_order_list",
    "exchange:police_report_list",
    "exchange:fhir_arrivals",
]


@pytest.fixture
def fresh_window():
    """Start a rate-limit test early in a minute, so its requests fall in one window."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


@pytest.fixture
def token(api_client):
    return api_client("system", "13.71", name="Dasbor Kota Padang")[1]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"cursor": "bukan-kursor"}, "cursor", "next_cursor"),
        ({"cursor": "A" * 5000}, "cursor", "next_cursor"),
        ({"cursor": "é"}, "cursor", "next_cursor"),
        ({"since": "kemarin"}, "since", "ISO 8601"),
        ({"since": "2026-11-25T09:00:00"}, "since", "zona waktu"),  # no time zone
        ({"since": "2026-13-45T09:00:00+07:00"}, "since", "ISO 8601"),
        ({"since": "0001-01-01T00:00:00+23:59"}, "since", "ISO 8601"),
        ({"limit": "100000"}, "limit", "500"),
        ({"limit": "0"}, "limit", "500"),
        ({"limit": "-1"}, "limit", "500"),
        ({"limit": "sepuluh"}, "limit", "500"),
        ({"limit": "1e3"}, "limit", "500"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(call, token, name, params, field, words):
    response = call(reverse(name), token, **params)
    assert response.status_code == 400
    messages = response.json()["errors"][field]
    assert words in messages[0]


def test_a_cursor_of_another_endpoint_is_refused(call, token, register, clock, settled):
    register(destination=ALANG_LAWEH)
    settled()
    cursor = call(reverse("exchange:arrival_list"), token).json()["next_cursor"]
    assert cursor
    response = call(reverse("exchange:isolation_order_list"), token, cursor=cursor)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


def test_a_tampered_cursor_is_refused(call, token, register, clock, settled):
    from django.core import signing

    register(destination=ALANG_LAWEH)
    settled()
    cursor = call(reverse("exchange:arrival_list"), token).json()["next_cursor"]
    signed = signing.b64_decode(cursor.encode()).decode()
    forged = signing.b64_encode(signed.replace("|", "|9", 1).encode()).decode()
    assert call(reverse("exchange:arrival_list"), token, cursor=forged).status_code == 400


def test_a_non_numeric_id_is_not_found_or_refused(call, token):
    response = call("/api/v1/arrivals/abc", token)
    assert response.status_code in (400, 404)
    assert "errors" in response.json()


def test_the_rate_limit_answers_429_and_is_audited_once(fresh_window, call, token, settings):
    settings.SIPANTAU_RATE_LIMIT_EXCHANGE = 3
    statuses = [call(reverse("exchange:arrival_list"), token).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    response = call(reverse("exchange:arrival_list"), token)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"]["__all__"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RATE_LIMITED, detail__scope="exchange_api").count() == 1


def test_the_rate_limit_is_per_client(fresh_window, call, api_client, settings):
    settings.SIPANTAU_RATE_LIMIT_EXCHANGE = 2
    first, second = api_client("system", "13")[1], api_client("system", "13")[1]
    assert [call(reverse("exchange:arrival_list"), first).status_code for _ in range(3)] == [200, 200, 429]
    assert call(reverse("exchange:arrival_list"), second).status_code == 200


def test_every_call_is_audited_with_the_people_it_returned(call, token, register, make_person, clock, settled):
    shown = [register(destination=ALANG_LAWEH, person=make_person()) for _ in range(2)]
    hidden = register(destination="13.06.01.2001")  # Agam: not this client's
    settled()
    before = AuditEvent.objects.count()
    call(reverse("exchange:arrival_list"), token, limit="50")
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.action == AuditEvent.Action.EXPORT
    assert event.username == event.user.username and event.user.role == "system"
    assert event.object_type == "exchange.arrivals"
    assert event.detail["rows"] == 2 and event.detail["client"] == "Dasbor Kota Padang"
    assert event.detail["filters"]["limit"] == "50"
    people = set(AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True))
    assert people == {a.person_id for a in shown}
    assert hidden.person_id not in people


@pytest.mark.parametrize(
    ("name", "kwarg", "kind"),
    [
        ("exchange:arrival_detail", "arrival_id", "arrival"),
        ("exchange:isolation_order_detail", "order_id", "order"),
        ("exchange:fhir_person", "person_id", "person"),
    ],
)
def test_a_detail_call_is_audited_on_its_traveller(call, token, register, clock, settled, name, kwarg, kind):
    from .conftest import order_of

    arrival = register(destination=ALANG_LAWEH)
    settled()
    target = {"arrival": arrival, "order": order_of(arrival), "person": arrival.person}[kind]
    assert call(reverse(name, kwargs={kwarg: target.pk}), token).status_code == 200
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.object_id == str(target.pk)
    assert list(AuditEventPerson.objects.filter(event=event).values_list("person_id", flat=True)) == [arrival.person_id]


def test_the_who_viewed_panel_names_the_api_read(call, token, register, clock, settled):
    from monitoring.viewers import who_viewed

    arrival = register(destination=ALANG_LAWEH)
    settled()
    call(reverse("exchange:arrival_list"), token)
    events = who_viewed(arrival.person_id)
    assert events and "API" in events[0].what


def test_refusals_are_audited_once_a_minute_per_address(fresh_window, call):
    for _ in range(3):
        assert call(reverse("exchange:arrival_list"), "sip_salah").status_code == 401
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, object_type="exchange.api").count() == 1


def test_last_used_is_noted(call, api_client):
    client, token = api_client("system", "13")
    assert client.tokens.get().last_used_at is None
    call(reverse("exchange:arrival_list"), token)
    assert client.tokens.get().last_used_at is not None


@pytest.mark.parametrize("name", LISTS)
def test_a_page_costs_the_same_queries_for_few_rows_or_many(call, token, register, clock, settled, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert call(reverse(name), token).status_code == 200
        return len(captured)

    register(destination=ALANG_LAWEH)
    settled()
    few = queries()
    for _ in range(5):
        register(destination=ALANG_LAWEH)
    settled()
    assert queries() == few
