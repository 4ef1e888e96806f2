"""At the post with no signal (issue 14), in Chromium as an officer: pickers that work offline,
checks that run offline, a queue the officer can see, a form that fits a phone."""

import pytest

from conftest import PHONE, browser_login, make_nik, wait_until
from travellers.models import Arrival
from travellers.tests.test_browser_offline import ready_offline, save, wait_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rina(make_user):
    return make_user("officer", username="petugas", first_name="Rina", last_name="Petugas Posko")


def ready_regions(page):
    """Wait until the whole region list is in the service worker's cache."""
    url = page.locator("#id_origin").locator("xpath=..").get_attribute("data-offline-url")
    wait_until(page, f"caches.match('{url}').then(r => !!r)")
    return url


def test_destinations_never_browsed_online_are_picked_offline(live_server, new_page, screenshot, rina):
    page = new_page(PHONE)
    context = page.context
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    url = ready_regions(page)
    size = page.evaluate(f"caches.match('{url}').then(r => r.arrayBuffer()).then(b => b.byteLength)")
    print(f"offline region file: {size} bytes")
    assert size < 300 * 1024

    context.set_offline(True)
    page.reload()  # the form from the cache, the region list from the phone
    page.locator("#id_orang-0-id_number").fill(make_nik(sex="P"))
    page.get_by_label("Nama lengkap").first.fill("Siti Offline")
    # Origin: type-to-search over every regency of Indonesia, on the phone.
    page.fill("#id_origin-search", "kota jambi")
    page.locator("#id_origin-results button", has_text="Kota Jambi").first.click()
    assert page.input_value("#id_origin") == "15.71"
    page.select_option("#id_transport", "car")
    page.fill("#id_plate", "BH 1234 AB")
    # Destination: Kota Padang → Kuranji → Kalumbuk, none of them opened while online.
    dest = "#id_orang-0-destination"
    page.select_option(f"{dest}-level-2", "13.71")
    wait_until(page, f"document.querySelector('{dest}-level-3').options.length > 5")
    page.select_option(f"{dest}-level-3", label="Kecamatan Kuranji")
    wait_until(page, f"document.querySelector('{dest}-level-4').options.length > 5")
    page.select_option(f"{dest}-level-4", label="Kelurahan Kalumbuk")
    assert page.input_value(dest) == "13.71.09.1005"
    page.get_by_label("Alamat tujuan").first.fill("Jl. Kalumbuk No. 3")
    page.select_option("#id_orang-0-purpose", "family")
    # Search offline finds a nagari far from anything browsed, with its place in words.
    page.fill("#id_orang-0-home_region-search", "ampang")
    labels = page.locator("#id_orang-0-home_region-results button").all_inner_texts()
    assert "Kelurahan Ampang, Kecamatan Kuranji, Kota Padang" in labels
    screenshot(page, "field-offline-picker-360")
    save(page)
    wait_outbox(page, waiting=1)

    context.set_offline(False)
    wait_outbox(page, waiting=0, state="sent")
    arrival = Arrival.objects.get()
    assert (arrival.destination.code, arrival.origin.code) == ("13.71.09.1005", "15.71")
    assert url.startswith("/wilayah/luring/?v=")
