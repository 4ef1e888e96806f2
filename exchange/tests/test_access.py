"""The API's access matrix: system account × own / other region × every endpoint.

Same rules as the pages: a client reads only what its jurisdiction reaches (visible_to), another
region's object answers 404, and nothing opens the API but a live token of an active client.
Expectations are written out by hand, not computed with visible_to.
"""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ALANG_LAWEH

from .conftest import order_of

AGAM_VILLAGE = "13.06.01.2001"
LISTS = [
    "exchange:arrival_list",
    "exchange:isolation_order_list",
    "exchange:police_report_list",
    "exchange:fhir_arrivals",
]
DETAILS = {
    "exchange:arrival_detail": ("arrival_id", "arrival"),
    "exchange:isolation_order_detail": ("order_id", "order"),
    "exchange:police_report_detail": ("report_id", "report"),
    "exchange:fhir_person": ("person_id", "person"),
}
ALL_URLS = LISTS + list(DETAILS)

# client: (role, jurisdiction codes, places it reaches)
CLIENTS = {
    "padang": ("system", ["13.71"], {"padang"}),
    "padang_nik": ("system_nik", ["13.71"], {"padang"}),
    "village": ("system", [ALANG_LAWEH], {"padang"}),
    "agam": ("system", ["13.06"], {"agam"}),
    "province": ("system_nik", ["13"], {"padang", "agam"}),
    "elsewhere": ("system", ["13.71.02"], set()),  # another kecamatan of Padang: nobody here
}


@pytest.fixture
def world(clock, settled, register, reported, make_person, api_client):
    places = {}
    for place, destination, name in [
        ("padang", ALANG_LAWEH, "Yusnidar Kamal"),
        ("agam", AGAM_VILLAGE, "Syafrizal Koto"),
    ]:
        person = make_person(name=name, phone="+6281200000001" if place == "padang" else "")
        arrival = register(destination=destination, person=person, temperature="37.9", symptoms=["fever"])
        order = order_of(arrival)
        report = reported(order)
        places[place] = {"person": person, "arrival": arrival, "order": order, "report": report}
    tokens = {key: api_client(role, *codes)[1] for key, (role, codes, _reach) in CLIENTS.items()}
    settled()
    return {"places": places, "tokens": tokens}


def url_for(name, world, place="padang"):
    if name in DETAILS:
        kwarg, kind = DETAILS[name]
        return reverse(name, kwargs={kwarg: world["places"][place][kind].pk})
    return reverse(name)


def listed_places(name, world, response):
    """Which places' records a list answer holds."""
    body = response.json()
    if name == "exchange:fhir_arrivals":
        keys = {
            e["resource"]["identifier"][0]["value"]
            for e in body.get("entry", [])
            if e["resource"]["resourceType"] == "Encounter"
        }
        return {p for p, rec in world["places"].items() if str(rec["arrival"].entry_key) in keys}
    kind = {
        "exchange:arrival_list": "arrival",
        "exchange:isolation_order_list": "order",
        "exchange:police_report_list": "report",
    }[name]
    ids = {item["id"] for item in body["items"]}
    return {p for p, rec in world["places"].items() if rec[kind].pk in ids}


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("client_key", CLIENTS)
def test_lists_hold_the_clients_region_only(call, world, name, client_key):
    response = call(url_for(name, world), world["tokens"][client_key])
    assert response.status_code == 200
    assert listed_places(name, world, response) == CLIENTS[client_key][2]
    for place, record in world["places"].items():
        if place not in CLIENTS[client_key][2]:
            assert record["person"].name not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(DETAILS))
@pytest.mark.parametrize("place", ["padang", "agam"])
@pytest.mark.parametrize("client_key", CLIENTS)
def test_another_regions_object_answers_404(call, world, name, place, client_key):
    response = call(url_for(name, world, place), world["tokens"][client_key])
    expected = 200 if place in CLIENTS[client_key][2] else 404
    assert response.status_code == expected
    if expected == 404:
        assert world["places"][place]["person"].name not in response.content.decode()
        assert response.json()["errors"]["__all__"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_URLS)
def test_no_token_answers_401(call, world, name):
    response = call(url_for(name, world))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Yusnidar" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_URLS)
@pytest.mark.parametrize("how", ["unknown", "revoked", "expired", "inactive", "malformed"])
def test_dead_tokens_answer_401(call, world, api_client, name, how):
    from exchange.models import ApiToken

    client, token = api_client("system_nik", "13")
    if how == "unknown":
        token = token[:-4] + "AAAA"
    elif how == "revoked":
        ApiToken.objects.filter(client=client).update(revoked_at=timezone.now())
    elif how == "expired":
        ApiToken.objects.filter(client=client).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif how == "inactive":
        client.user.is_active = False
        client.user.save()
    else:
        token = "x" * 5000
    response = call(url_for(name, world), token)
    assert response.status_code == 401
    assert "Yusnidar" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_URLS)
@pytest.mark.parametrize("role", ["province", "system_nik"])
def test_a_session_cookie_does_not_open_the_api(client, world, make_user, name, role):
    """A person signed in (even the province task force, even a system account given a session) gets 401."""
    client.force_login(make_user(role, "13"))
    response = client.get(url_for(name, world))
    assert response.status_code == 401
    assert "Yusnidar" not in response.content.decode()


@pytest.mark.django_db
def test_a_token_sent_another_way_is_not_read(client, world):
    token = world["tokens"]["province"]
    assert client.get(reverse("exchange:arrival_list"), {"token": token}).status_code == 401
    assert client.get(reverse("exchange:arrival_list"), HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert client.get(reverse("exchange:arrival_list"), HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_URLS)
def test_the_api_only_reads(client, world, name):
    token = world["tokens"]["province"]
    response = client.post(url_for(name, world), {}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405


@pytest.mark.django_db
def test_identity_numbers_whole_only_for_roles_that_receive_them(call, world):
    person = world["places"]["padang"]["person"]
    masked = call(reverse("exchange:arrival_list"), world["tokens"]["padang"])
    whole = call(reverse("exchange:arrival_list"), world["tokens"]["padang_nik"])
    assert masked.json()["identity"] == "masked"
    assert person.id_number not in masked.content.decode()
    assert masked.json()["items"][0]["person"]["id_number"] == person.masked_id
    assert masked.json()["items"][0]["person"]["phone"] is None
    assert whole.json()["identity"] == "whole"
    assert whole.json()["items"][0]["person"]["id_number"] == person.id_number
    assert whole.json()["items"][0]["person"]["phone"] == "+6281200000001"
    for name in ["exchange:fhir_arrivals", "exchange:fhir_person"]:
        assert person.id_number not in call(url_for(name, world), world["tokens"]["padang"]).content.decode()
        assert person.id_number in call(url_for(name, world), world["tokens"]["padang_nik"]).content.decode()


@pytest.mark.django_db
def test_responses_are_not_cached(call, world):
    response = call(reverse("exchange:arrival_list"), world["tokens"]["province"])
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["items"]
