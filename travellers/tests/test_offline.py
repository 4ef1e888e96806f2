"""The doors of the offline entry as the browser meets them: the service worker script, the
manifest, the session check, and the settings the entry page hands to its scripts."""

import json
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def worker_config(response):
    return json.loads(re.search(r"var CONFIG = (\{.*?\});", response.content.decode()).group(1))


def test_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200  # no login needed for the script itself
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"


def test_service_worker_caches_only_static_files_and_the_empty_form(client):
    config = worker_config(client.get("/sw.js"))
    assert config["shell_url"] == reverse("travellers:arrival_create")
    assert config["assets"] and all(url.startswith("/static/") for url in config["assets"])
    assert "/static/js/offline-queue.js" in config["assets"]
    cached = json.dumps(config["assets"] + config["region_precache"])
    for personal in ("arrival_today", "api_person_lookup", "api_arrival_create"):
        assert reverse(f"travellers:{personal}") not in cached


def test_cache_version_follows_the_setting(client, settings):
    first = worker_config(client.get("/sw.js"))["version"]
    settings.SIPANTAU_OFFLINE_VERSION = "2"
    second = worker_config(client.get("/sw.js"))["version"]
    assert first != second
    assert re.fullmatch(r"[0-9a-f]{12}", second)


def test_manifest_opens_the_entry_form_with_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == reverse("travellers:arrival_create")
    assert manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_session_check_says_who_is_signed_in(client, officer, village_head):
    assert client.get(reverse("travellers:api_session")).json()["authenticated"] is False
    client.force_login(village_head)
    body = client.get(reverse("travellers:api_session")).json()
    assert (body["authenticated"], body["officer"]) == (True, False)
    client.force_login(officer)
    body = client.get(reverse("travellers:api_session")).json()
    assert (body["authenticated"], body["officer"], body["user"]) == (True, True, officer.pk)
    assert body["csrf_token"]


def page_json(response, element_id):
    html = response.content.decode()
    return json.loads(re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html).group(1))


def test_entry_page_hands_its_scripts_the_rules_and_the_queue_limits(client, officer, settings):
    settings.SIPANTAU_OFFLINE_QUEUE_MAX_HOURS = 48
    client.force_login(officer)
    response = client.get(reverse("travellers:arrival_create"))
    outbox = page_json(response, "sipantau-outbox-config")
    assert (outbox["max_hours"], outbox["user"]) == (48, officer.pk)
    assert "Tetap keluar?" in outbox["logout_warning"]
    assert "terhapus" not in outbox["logout_warning"]  # nothing is deleted unasked any more
    entry = page_json(response, "sipantau-entry-config")
    assert entry["file_columns"][0] == ["waktu_tiba", "arrived_at"]
    assert entry["file_columns"][-1] == ["kunci_entri", "entry_key"]
    queue = page_json(response, "sipantau-queue-config")
    assert queue["labels"]["plate"] == "Nomor polisi kendaraan"
    assert queue["labels"]["travel_stops"] == "Riwayat perjalanan"
    assert {"13", "15", "31"} <= set(entry["provinces"])
    assert "99" not in entry["provinces"]
    # No inline script: every <script> loads a file or carries JSON data (a strict CSP is coming).
    for tag in re.findall(r"<script[^>]*>", response.content.decode()):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_pages_of_others_do_not_carry_the_outbox(client, village_head):
    client.force_login(village_head)
    response = client.get(reverse("monitoring:overview"))
    assert b"sipantau-outbox-config" not in response.content


def test_api_keeps_the_vehicle_group_of_an_entry_queued_offline(client, officer, payload):
    import uuid

    from travellers.models import Arrival

    client.force_login(officer)
    url = reverse("travellers:api_arrival_create")
    group = str(uuid.uuid4())
    response = client.post(url, payload(vehicle_group=group, vehicle_role="passenger"), content_type="application/json")
    assert response.status_code == 201
    arrival = Arrival.objects.get()
    assert (str(arrival.vehicle_group), arrival.vehicle_role) == (group, "passenger")
    response = client.post(url, payload(vehicle_group="bukan-uuid"), content_type="application/json")
    assert response.status_code == 400
    assert "vehicle_group" in response.json()["errors"]
