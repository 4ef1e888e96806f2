"""The entry form without a signal, in Chromium at 360 px: entries wait on the phone, reach the
server exactly once when the signal returns, and what the server refuses comes back for fixing."""

import contextlib
import json

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import DESKTOP, PHONE, browser_login, make_nik, wait_until
from travellers.models import Arrival

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

API = "**/posko/api/kedatangan/"
SHELL = "/posko/catat/"


@pytest.fixture
def rina(make_user):
    return make_user("officer", username="petugas", first_name="Rina", last_name="Petugas Posko")


@pytest.fixture
def screenshot(screenshot):
    """The top of the screen a phone shows (where the outbox is), rather than the whole long form."""
    import os

    from conftest import ARTIFACTS

    def take(page, name):
        page.evaluate("window.scrollTo(0, 0)")
        path = os.path.join(ARTIFACTS, f"{name}.png")
        os.makedirs(ARTIFACTS, exist_ok=True)
        page.screenshot(path=path)
        return path

    return take


def ready_offline(page):
    """Wait until the service worker controls the page and holds the form's shell."""
    wait_until(page, "navigator.serviceWorker.controller !== null")
    wait_until(page, f"caches.match('{SHELL}').then(r => !!r)")


def outbox(page):
    """What the outbox box on the page says: state, waiting and refused counts, its text."""
    return page.evaluate(
        """() => { const b = document.getElementById('outbox');
          return {state: b.dataset.state, waiting: +b.dataset.waiting, rejected: +b.dataset.rejected,
                  text: b.innerText}; }"""
    )


def wait_outbox(page, waiting=None, rejected=None, state=None):
    checks = ["b && !b.hidden"]
    if waiting is not None:
        checks.append(f"b.dataset.waiting === '{waiting}'")
    if rejected is not None:
        checks.append(f"b.dataset.rejected === '{rejected}'")
    if state is not None:
        checks.append(f"b.dataset.state === '{state}'")
    condition = " && ".join(checks)
    wait_until(page, f"(() => {{ const b = document.getElementById('outbox'); return {condition}; }})()")


def send_until(page, done, seconds=10):
    """Press "Kirim sekarang" whenever it shows (the page's own retries run on a 30 s timer) until done()."""
    for _ in range(seconds * 10):
        if done():
            return
        button = page.locator(".outbox-send")
        if button.is_visible():
            # It may hide again meanwhile: a round of sending started on its own.
            with contextlib.suppress(PlaywrightTimeout):
                button.click(timeout=500)
        page.wait_for_timeout(100)
    assert done(), outbox(page)


def fill_quickly(page, nik, name, plate="BA 1234 XY"):
    """Fill the required fields in one go (typing 50 entries key by key would only make the test slow)."""
    page.evaluate(
        """([nik, name, plate]) => {
          const f = document.getElementById('entry-form').elements;
          f['orang-0-id_number'].value = nik;
          f['orang-0-name'].value = name;
          f['origin'].value = '15.71';
          f['transport'].value = 'car';
          f['plate'].value = plate;
          f['orang-0-destination'].value = '13.71.01.1002';
          f['orang-0-destination_address'].value = 'Jl. Sutan Syahrir No. 5';
          f['orang-0-purpose'].value = 'family';
        }""",
        [nik, name, plate],
    )


def save(page):
    page.get_by_role("button", name="Simpan kedatangan").click()


def queue_entries(page, count, start=0):
    for n in range(start, start + count):
        fill_quickly(page, make_nik(), f"Pelaku Perjalanan {n + 1}")
        save(page)
        wait_outbox(page, waiting=n + 1)


def pick(page, field_id, text):
    page.fill(f"#{field_id}-search", text)
    page.locator(f"#{field_id}-results button").first.click()
    wait_until(page, f"document.getElementById('{field_id}').value !== ''")


def test_fifty_entries_offline_survive_a_closed_tab_and_arrive_once(live_server, new_page, screenshot, rina):
    page = new_page(PHONE)
    context = page.context
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    wait_outbox(page, waiting=0, state="sent")
    screenshot(page, "outbox-all-sent-360")

    # The first traveller is typed through the form; the signal drops before "Simpan".
    nik = make_nik(sex="P")
    page.locator("#id_orang-0-id_number").press_sequentially(nik[:6] + " " + nik[6:12] + " " + nik[12:])
    page.get_by_label("Nama lengkap").first.fill("Siti Rahmah")
    pick(page, "id_origin", "Kota Jambi")
    page.select_option("#id_transport", "car")
    page.fill("#id_plate", "bh 1234 ab")
    pick(page, "id_orang-0-destination", "Alang Laweh")
    page.get_by_label("Alamat tujuan").first.fill("Jl. Sutan Syahrir No. 5")
    page.select_option("#id_orang-0-purpose", "family")
    first_key = page.input_value("[name=entry_key]")
    context.set_offline(True)
    save(page)
    wait_outbox(page, waiting=1, state="waiting")
    # Ready for the next traveller at once: empty form, new key.
    assert page.input_value("#id_orang-0-id_number") == ""
    assert page.input_value("[name=entry_key]") not in ("", first_key)
    assert "Disimpan di perangkat ini: Siti Rahmah" in page.locator("#outbox-queued").inner_text()

    queue_entries(page, 49, start=1)
    state = outbox(page)
    assert "50 entri menunggu dikirim" in state["text"]
    assert "Tidak ada sinyal" in state["text"]
    screenshot(page, "outbox-waiting-360")
    assert Arrival.objects.count() == 0

    # The tab is closed; a new one opens the form from the phone's cache, still offline.
    page.close()
    page = context.new_page()
    page.goto(live_server.url + SHELL)
    wait_outbox(page, waiting=50)
    assert Arrival.objects.count() == 0

    context.set_offline(False)
    wait_outbox(page, waiting=0, state="sent")
    assert Arrival.objects.count() == 50
    assert Arrival.objects.filter(entry_key=first_key, person__name="Siti Rahmah", plate="BH 1234 AB").exists()
    assert "Terakhir terkirim" in outbox(page)["text"]
    assert page.evaluate("SipantauOutbox.all().then(items => items.length)") == 0  # nothing left on the phone


def test_server_stopped_mid_sync_and_restarted_still_fifty(live_server, new_page, screenshot, rina):
    page = new_page(PHONE)
    context = page.context
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    context.set_offline(True)
    queue_entries(page, 50)

    server = {"mode": "up", "passed": 0}
    held = []

    def flaky_server(route):
        # One route for the whole test, so no request slips through between two phases.
        mode = server["mode"]
        if mode == "hold":
            held.append(route)
        elif mode == "up" or server["passed"] < server.get("limit", 0):
            server["passed"] += 1
            route.continue_()
        elif mode == "503":
            # The server stops (behind the proxy: 503) after some entries went through.
            route.fulfill(status=503, content_type="application/json", body=json.dumps({"errors": {}}))
        else:
            route.abort("connectionrefused")

    server.update(mode="503", limit=10)
    context.route(API, flaky_server)
    context.set_offline(False)
    wait_until(page, "document.getElementById('outbox').innerText.includes('Server belum dapat dihubungi')")
    assert Arrival.objects.count() == 10
    assert outbox(page)["waiting"] == 40

    server.update(mode="refused", limit=20)
    send_until(page, lambda: server["passed"] == 20 and outbox(page)["state"] == "waiting")
    assert outbox(page)["waiting"] == 30
    assert Arrival.objects.count() == 20

    # The server is back but slow: the page says it is sending.
    server["mode"] = "hold"
    send_until(page, lambda: outbox(page)["state"] == "sending")
    page.wait_for_timeout(300)
    screenshot(page, "outbox-sending-360")
    server["mode"] = "up"
    for route in held:
        route.continue_()
    wait_outbox(page, waiting=0, state="sent")
    assert Arrival.objects.count() == 50
    assert Arrival.objects.values("entry_key").distinct().count() == 50


def test_the_same_entry_sent_twice_by_a_flaky_network_is_one_arrival(live_server, new_page, rina):
    page = new_page(PHONE)
    context = page.context
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    context.set_offline(True)
    queue_entries(page, 1)
    answers, stored_when_lost = [], []

    def reply_lost(route):
        # The request reaches the server, which stores the arrival; the answer is lost on the way back.
        response = route.fetch()
        answers.append(response.status)
        if len(answers) == 1:
            stored_when_lost.append(Arrival.objects.count())
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    context.route(API, reply_lost)
    context.set_offline(False)
    # The retry comes from Background Sync or the page's own timer; "Kirim sekarang" hurries it.
    send_until(page, lambda: len(answers) == 2)
    wait_outbox(page, waiting=0, state="sent")
    assert stored_when_lost == [1]  # stored on the first try, but the phone never heard
    assert answers == [201, 200]  # the resent key was answered with the stored arrival
    assert Arrival.objects.count() == 1


def test_an_entry_the_server_refuses_comes_back_for_fixing(live_server, new_page, screenshot, rina):
    page = new_page(PHONE)
    context = page.context
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    context.set_offline(True)
    fill_quickly(page, make_nik(), "Budi Salah Plat", plate="B-12345-XYZW")  # no such plate
    save(page)
    wait_outbox(page, waiting=1)
    fill_quickly(page, make_nik(), "Dodi Dibuang", plate="??")
    save(page)
    wait_outbox(page, waiting=2)

    context.set_offline(False)
    wait_outbox(page, waiting=0, rejected=2, state="fix")
    assert Arrival.objects.count() == 0
    fix = page.locator(".outbox-fix")
    assert "Perlu diperbaiki" in fix.inner_text()
    assert "Budi Salah Plat" in fix.inner_text()
    assert "Nomor polisi" in fix.inner_text()
    screenshot(page, "outbox-needs-fixing-360")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "outbox-needs-fixing-1280")
    page.set_viewport_size(PHONE)

    # Discarding asks first (the dialog is accepted here) and removes only that entry.
    page.locator(".outbox-fix-item", has_text="Dodi Dibuang").get_by_role("button", name="Buang").click()
    wait_outbox(page, rejected=1)

    # Open the other back into the form, fix the plate, save: it is sent with the same key.
    key = page.locator(".outbox-fix-item").get_attribute("data-key")
    page.get_by_role("button", name="Buka dan perbaiki").click()
    wait_until(page, "document.getElementById('id_orang-0-name').value === 'Budi Salah Plat'")
    assert page.input_value("[name=entry_key]") == key
    assert page.locator(".field-plate .field-error").count() == 1
    page.fill("#id_plate", "B 1234 XYZ")
    save(page)
    wait_outbox(page, waiting=0, rejected=0, state="sent")
    arrival = Arrival.objects.get()
    assert (str(arrival.entry_key), arrival.plate, arrival.person.name) == (key, "B 1234 XYZ", "Budi Salah Plat")


def test_a_nik_typo_is_caught_before_the_entry_is_queued(live_server, new_page, rina):
    page = new_page(PHONE)
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    page.context.set_offline(True)
    good = make_nik()
    typos = {
        good[:15]: "harus 16 angka",
        "99" + good[2:]: "bukan kode provinsi",
        good[:6] + "320590" + good[12:]: "bukan tanggal lahir",  # 32 May
        good[:12] + "0000": "tidak boleh 0000",
        good[:6] + "290201" + good[12:]: "bukan tanggal lahir",  # 29 February 2001 (and 1901)
    }
    for nik, message in typos.items():
        fill_quickly(page, nik, "Salah Ketik")
        save(page)
        assert message in page.locator(".field-id_number .field-error").inner_text()
    # A woman's day + 40 and a leap day that exists are fine.
    fill_quickly(page, "", "Perempuan Kabisat")
    # Typed key by key: the known-traveller lookup cannot reach the server and stays quiet.
    page.locator("#id_orang-0-id_number").press_sequentially(good[:6] + "690200" + good[12:])  # 29-02-2000, +40
    page.wait_for_timeout(300)
    assert page.locator(".lookup-result").first.inner_text() == ""
    save(page)
    wait_outbox(page, waiting=1)
    assert page.evaluate("SipantauOutbox.all().then(items => items.length)") == 1


def test_a_session_that_expired_offline_keeps_the_entries_until_login(live_server, new_page, screenshot, rina):
    from django.contrib.sessions.models import Session

    page = new_page(PHONE)
    context = page.context
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    context.set_offline(True)
    queue_entries(page, 3)
    Session.objects.all().delete()  # the session ends while the post has no signal
    context.set_offline(False)
    page.wait_for_selector(".outbox-login")
    assert "Sesi Anda berakhir" in outbox(page)["text"]
    assert outbox(page)["waiting"] == 3
    assert Arrival.objects.count() == 0
    screenshot(page, "outbox-login-needed-360")
    page.locator(".outbox-login").click()
    page.get_by_label("Nama pengguna").fill("petugas")
    page.get_by_label("Kata sandi").fill("kata-sandi-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**" + SHELL)
    wait_outbox(page, waiting=0, state="sent")
    assert Arrival.objects.count() == 3


def test_logging_out_with_waiting_entries_warns(live_server, new_page, rina):
    page = new_page(PHONE)
    context = page.context
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    context.set_offline(True)
    queue_entries(page, 2)
    context.route(API, lambda route: route.fulfill(status=503, body="{}", content_type="application/json"))
    context.set_offline(False)
    messages = []

    def dismiss(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_timeout(300)
    assert "Masih ada 2 entri yang belum terkirim" in messages[0]
    assert page.url.endswith(SHELL)  # still signed in, still on the form
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/akun/masuk/")
    # The form's shell (it names the officer) left the cache with the session.
    assert page.evaluate(f"caches.match('{SHELL}').then(r => !!r)") is False


def test_first_load_is_light_and_the_form_opens_from_the_cache_offline(live_server, new_page, screenshot, rina):
    page = new_page(PHONE)
    sizes = {}

    wire = {}

    def count(response):
        try:
            sizes[response.url] = len(response.body())
            wire[response.url] = response.request.sizes()["responseBodySize"]  # as sent: gzip for HTML
        except Exception:  # a redirect has no body
            sizes.setdefault(response.url, 0)

    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("petugas")
    page.get_by_label("Kata sandi").fill("kata-sandi-uji-123")
    page.on("response", count)
    # The first visit of the entry form: nothing in the service worker's cache yet.
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**" + SHELL)
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    print(f"entry page first load: {total} bytes in {len(sizes)} responses, {sum(wire.values())} on the wire")
    assert any(url.endswith(SHELL) for url in sizes)
    assert total <= 150 * 1024

    ready_offline(page)
    page.context.set_offline(True)
    page.goto(live_server.url + SHELL)
    assert page.locator("#entry-form").is_visible()
    assert page.locator("link[rel=manifest]").count() == 1
    wait_outbox(page, waiting=0)
    page.goto(live_server.url + "/posko/hari-ini/")  # a page of personal data is never cached: back to the form
    page.wait_for_url("**" + SHELL)
    assert page.locator("#entry-form").is_visible()


def test_old_waiting_entries_are_never_dropped_and_can_be_saved_as_a_file(
    live_server, new_page, screenshot, rina, settings, tmp_path
):
    """Past the age limit nothing is deleted: the officer is asked to send the entries or to save
    them as a file; the paper import takes that file, and the phone's later send stores nothing twice."""
    settings.SIPANTAU_OFFLINE_QUEUE_MAX_HOURS = 72
    settings.SIPANTAU_OFFLINE_QUEUE_WARN_HOURS = 24
    page = new_page(PHONE)
    page.clock.install()
    browser_login(page, live_server, "petugas")
    page.context.set_offline(True)
    queue_entries(page, 2)
    assert page.locator(".outbox-expiry").is_hidden()

    page.clock.fast_forward("49:00:00")  # still no signal two days later
    page.wait_for_selector(".outbox-expiry", state="visible")
    assert "2 entri sudah menunggu sejak" in page.locator(".outbox-expiry").inner_text()

    page.clock.fast_forward("24:00:00")  # past 72 hours: still there, and the officer is asked
    wait_until(page, "document.querySelector('.outbox-expiry').innerText.includes('lebih dari 72 jam')")
    assert outbox(page)["waiting"] == 2
    assert page.evaluate("SipantauOutbox.all().then(items => items.length)") == 2
    screenshot(page, "outbox-overdue-360")
    with page.expect_download() as download:
        page.get_by_role("button", name="Simpan sebagai berkas").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert "Unggah di halaman Formulir kertas" in page.locator("#outbox-queued").inner_text()

    # The file goes up through the paper import (the phone keeps trying meanwhile, refused by the route).
    page.context.route(API, lambda route: route.fulfill(status=503, body="{}", content_type="application/json"))
    page.context.set_offline(False)
    page.goto(live_server.url + "/posko/unggah/")
    page.set_input_files("input[type=file]", str(path))
    page.locator("form[enctype] button[type=submit]").click()
    wait_until(page, "document.body.innerText.includes('2 dari 2 baris diproses')", timeout=20_000)
    assert Arrival.objects.count() == 2
    page.context.unroute(API)
    page.goto(live_server.url + SHELL)
    wait_outbox(page, waiting=0, state="sent")
    assert Arrival.objects.count() == 2  # the phone's send was answered with the stored arrivals


def test_a_form_post_the_server_fails_is_kept_and_sent_once(live_server, new_page, rina):
    """Online, empty queue: the form goes out as a normal POST; a 5xx answer keeps it (a driver and
    a passenger), and the resend through the API uses the keys the server would have used."""
    import uuid

    page = new_page(PHONE)
    context = page.context
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    posts = []

    def server_error(route):
        if route.request.method == "POST":
            posts.append(route.request.url)
            route.fulfill(status=502, body="Bad Gateway")
        else:
            route.continue_()

    context.route("**" + SHELL, server_error)
    fill_quickly(page, make_nik(), "Andi Pengemudi")
    page.get_by_role("button", name="+ Tambah penumpang").click()
    page.fill("#id_orang-1-id_number", make_nik(sex="P"))
    page.fill("#id_orang-1-name", "Bunga Penumpang")
    page.select_option("#id_orang-1-purpose", "family")
    key = page.input_value("[name=entry_key]")
    save(page)
    # The worker kept it, the form opened again, and the outbox sent it through the API.
    wait_until(page, "document.getElementById('outbox').innerText.includes('Terakhir terkirim')")
    wait_outbox(page, waiting=0, state="sent")
    assert len(posts) == 1  # it did go out once as a normal POST, answered 502
    arrivals = Arrival.objects.order_by("id")
    assert [a.person.name for a in arrivals] == ["Andi Pengemudi", "Bunga Penumpang"]
    key = uuid.UUID(key)
    assert [a.entry_key for a in arrivals] == [key, uuid.uuid5(key, "orang-1")]  # services.member_key
    assert [a.vehicle_role for a in arrivals] == ["driver", "passenger"]
    assert [a.vehicle_group for a in arrivals] == [key, key]
