"""At the post with no signal, in Chromium as an officer: pickers that work offline,
checks that run offline, a queue the officer can see, a form that fits a phone."""

import pytest

from conftest import PHONE, browser_login, make_nik, wait_until
from travellers.models import Arrival
from travellers.tests.test_browser_offline import SHELL, fill_quickly, outbox, ready_offline, save, wait_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rina(make_user):
    return make_user("officer", username="petugas", first_name="Rina", last_name="Petugas Posko")


def view(page, name):
    """What the phone's screen shows now (not the whole page): a PNG under test-artifacts/."""
    import os

    from conftest import ARTIFACTS

    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"))


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
    page.locator(dest).locator("xpath=..").get_by_text("Pilih dari daftar wilayah").click()  # the lists
    page.select_option(f"{dest}-level-2", "13.71")
    wait_until(page, f"document.querySelector('{dest}-level-3').options.length > 5")
    page.select_option(f"{dest}-level-3", label="Kecamatan Kuranji")
    wait_until(page, f"document.querySelector('{dest}-level-4').options.length > 5")
    page.select_option(f"{dest}-level-4", label="Kelurahan Kalumbuk")
    assert page.input_value(dest) == "13.71.09.1005"
    page.get_by_label("Alamat tujuan").first.fill("Jl. Kalumbuk No. 3")
    page.select_option("#id_orang-0-purpose", "family")
    # Search offline finds a nagari far from anything browsed, with its place in words.
    page.get_by_text("Alamat asal (tidak wajib)").click()
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


def test_repeat_and_travel_history_are_checked_offline(live_server, new_page, screenshot, rina):
    page = new_page(PHONE)
    context = page.context
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    nik = make_nik()
    # Entered online first (a normal POST): the phone remembers it for the repeat check.
    fill_quickly(page, nik, "Andi Dua Kali")
    save(page)
    page.wait_for_url("**" + SHELL)
    wait_until(page, "document.querySelector('.messages') !== null")
    assert Arrival.objects.count() == 1

    context.set_offline(True)
    # A travel stop outside the 14 days before today is refused before anything is queued.
    fill_quickly(page, make_nik(), "Budi Riwayat")
    page.get_by_role("button", name="+ Tambah tempat").click()
    page.locator("[name='riwayat-0-region']").wait_for(state="attached")
    page.evaluate(
        """() => { const f = document.getElementById('entry-form').elements;
          f['riwayat-0-region'].value = '15.71';
          f['riwayat-0-date_from'].value = '2020-01-01'; f['riwayat-0-date_to'].value = '2020-01-05'; }"""
    )
    save(page)
    stop_error = page.locator(".stop-row .field-error").first
    assert "hanya untuk 14 hari sebelum tiba" in stop_error.inner_text()
    assert page.evaluate("document.activeElement.name") == "riwayat-0-date_from"
    page.locator(".stop-row .remove-row").click()
    save(page)
    wait_outbox(page, waiting=1)

    # The same NIK again, offline: warned, with the first entry named; not queued until confirmed.
    fill_quickly(page, nik, "Andi Dua Kali")
    save(page)
    warning = page.locator(".repeat-warning")
    warning.wait_for()
    assert "Andi Dua Kali" in warning.inner_text()
    assert page.evaluate("document.activeElement.name") == "confirm_repeat"
    screenshot(page, "field-repeat-offline-360")
    assert outbox(page)["waiting"] == 1
    page.get_by_label("Ya, ini kedatangan baru. Tetap simpan.").check()
    save(page)
    wait_outbox(page, waiting=2)
    # And once more, then thought better of it: nothing queued.
    fill_quickly(page, nik, "Andi Dua Kali")
    save(page)
    page.locator(".repeat-warning").wait_for()
    assert outbox(page)["waiting"] == 2

    context.set_offline(False)
    wait_outbox(page, waiting=0, state="sent")
    assert Arrival.objects.filter(person__id_number=nik).count() == 2


def test_the_queue_is_listed_on_the_form_and_the_day_list_and_a_refused_entry_opens_at_its_field(
    live_server, new_page, screenshot, rina
):
    page = new_page(PHONE)
    context = page.context
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    context.set_offline(True)
    fill_quickly(page, make_nik(), "Citra Menunggu")
    save(page)
    wait_outbox(page, waiting=1)
    # A travel stop at the level of a province: only the server knows it is not allowed.
    fill_quickly(page, make_nik(), "Dedi Riwayat Salah")
    page.get_by_role("button", name="+ Tambah tempat").click()
    page.locator("[name='riwayat-0-region']").wait_for(state="attached")  # the row, once the script adds it
    page.evaluate(
        """() => { const f = document.getElementById('entry-form').elements;
          const d = new Date(Date.now() - 3 * 86400000).toISOString().slice(0, 10);
          f['riwayat-0-region'].value = '15'; f['riwayat-0-date_from'].value = d; f['riwayat-0-date_to'].value = d; }"""
    )
    save(page)
    wait_outbox(page, waiting=2)

    # The form lists what waits, by name and time.
    page.locator(".outbox-waiting summary").click()
    items = page.locator(".outbox-waiting .queue-item")
    assert items.count() == 2
    assert "Citra Menunggu" in items.nth(0).inner_text() and "Dicatat" in items.nth(0).inner_text()
    assert "Menunggu dikirim" in items.nth(1).inner_text()
    page.locator(".outbox").scroll_into_view_if_needed()
    view(page, "field-queue-waiting-360")
    page.set_viewport_size({"width": 1280, "height": 800})
    view(page, "field-queue-waiting-1280")
    page.set_viewport_size(PHONE)

    context.set_offline(False)
    wait_outbox(page, waiting=0, rejected=1, state="fix")
    assert Arrival.objects.count() == 1
    fix = page.locator(".outbox-fix").inner_text()
    assert "Riwayat perjalanan, tempat ke-1: Wilayah:" in fix and "travel_stops" not in fix

    # The day list shows it too, in words, with a way back to the form.
    page.goto(live_server.url + "/posko/hari-ini/")
    queue = page.locator("#outbox-queue")
    queue.locator(".queue-item").first.wait_for()
    text = queue.inner_text()
    assert "Dedi Riwayat Salah" in text and "Ditolak server" in text
    assert "Riwayat perjalanan, tempat ke-1: Wilayah:" in text and "travel_stops" not in text
    screenshot(page, "field-queue-daylist-360")
    queue.get_by_role("link", name="Buka dan perbaiki").click()

    # It opens in the form at the wrong field: the stop's region.
    wait_until(page, "document.getElementById('id_orang-0-name').value === 'Dedi Riwayat Salah'")
    wait_until(page, "document.activeElement && document.activeElement.id === 'id_riwayat-0-region-search'")
    assert page.locator(".stop-row .field-error").count() == 1
    view(page, "field-refused-opened-360")
    page.keyboard.type("kota jambi")
    page.keyboard.press("Enter")  # picks the first result, focus moves on
    wait_until(page, "document.getElementById('id_riwayat-0-region').value === '15.71'")
    assert page.evaluate("document.activeElement.id") != "id_riwayat-0-region-search"
    save(page)
    wait_outbox(page, waiting=0, rejected=0, state="sent")
    assert Arrival.objects.count() == 2
    assert Arrival.objects.get(person__name="Dedi Riwayat Salah").travel_stops.get().region.code == "15.71"


FOCUS_CHECK = """() => {
  const el = document.activeElement, bar = document.querySelector('.form-actions');
  if (!el || el === document.body) return {id: 'body', ok: true};
  const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
  const inBar = bar.contains(el);
  const covered = !inBar && r.bottom > b.top + 1 && r.top < b.bottom;
  const off = r.bottom <= 0 || r.top >= innerHeight;
  return {id: el.id || el.name || el.tagName, ok: !covered && !off, inForm: !!el.closest('#entry-form'), inBar};
}"""


def tab_through_form(page):
    """Tab from the NIK field to the save button; every stop's focus must be in view, clear of the bar."""
    page.evaluate("window.scrollTo(0, 0)")
    page.focus("#id_orang-0-id_number")
    stops, hidden = 0, []
    for _ in range(150):
        state = page.evaluate(FOCUS_CHECK)
        stops += 1
        if not state["ok"]:
            hidden.append(state["id"])
        if state.get("inBar"):
            break
        page.keyboard.press("Tab")
        page.wait_for_timeout(30)  # the page's own scroll after the focus
    return stops, hidden


def test_the_form_on_a_phone(live_server, new_page, rina):
    page = new_page({"width": 360, "height": 640})
    browser_login(page, live_server, "petugas")
    page.wait_for_url("**" + SHELL)
    # A compact header: the form starts high on the screen.
    header = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    print(f"officer header at 360 px: {header:.0f} px")
    assert header <= 110
    bar = page.evaluate("document.querySelector('.form-actions').getBoundingClientRect().height")
    print(f"save bar at 360 px: {bar:.0f} px")

    # The NIK's sex and birth date appear as it is typed.
    nik = make_nik(sex="P")  # 57-05-90: a woman born 17-05-1990
    page.locator("#id_orang-0-id_number").press_sequentially(nik[:10])
    assert "10 dari 16 angka" in page.locator(".nik-info").inner_text()
    page.locator("#id_orang-0-id_number").press_sequentially(nik[10:])
    assert page.locator(".nik-info").inner_text() == "Menurut NIK: perempuan, lahir 17-05-1990. Cocokkan dengan kartu."
    view(page, "field-form-360x640")

    # A passport: letters keyboard and the nationality; emptying the form (after a question) hides it again.
    page.select_option("#id_orang-0-id_type", "passport")
    assert page.get_attribute("#id_orang-0-id_number", "inputmode") == "text"
    assert page.locator(".field-nationality").is_visible()
    messages = []
    page.once("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Kosongkan").click()
    assert "Kosongkan formulir?" in messages[0]
    assert page.input_value("#id_orang-0-id_number") == nik  # dismissed: nothing lost
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Kosongkan").click()
    wait_until(page, "document.getElementById('id_orang-0-id_number').value === ''")
    wait_until(page, "document.querySelector('.field-nationality').hidden")
    assert page.get_attribute("#id_orang-0-id_number", "inputmode") == "numeric"

    # A picker by keyboard: arrows move through the results, Enter picks, focus moves on.
    page.focus("#id_orang-0-destination-search")
    page.keyboard.type("alang")
    page.locator("#id_orang-0-destination-results button").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.dataset.code")
    assert second and page.evaluate("document.activeElement.closest('.rp-results') !== null")
    page.keyboard.press("Enter")
    wait_until(page, f"document.getElementById('id_orang-0-destination').value === '{second}'")
    assert page.evaluate("document.activeElement.id") == "id_orang-0-destination_address"
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Kosongkan").click()

    # Tabbing through the whole form at both phone heights: the focused field is never covered.
    for height in (640, 740):
        page.set_viewport_size({"width": 360, "height": height})
        stops, hidden = tab_through_form(page)
        print(f"360x{height}: {stops} tab stops, hidden: {hidden}")
        assert hidden == []
    page.set_viewport_size({"width": 1280, "height": 800})
    page.evaluate("window.scrollTo(0, 0)")
    view(page, "field-form-1280")

    # The known-traveller look-up may answer with fewer fields (another change narrows it): still fine.
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    lean = {"id": 1, "name": "Rahmi Ramping", "sex": "P", "birth_date": "1990-05-17", "nationality": "ID"}
    lean["home_region"] = "13.71"
    page.route("**/posko/api/orang/**", lambda route: route.fulfill(json={"person": lean}))
    page.focus("#id_orang-0-id_number")
    page.keyboard.type(make_nik(sex="P"))
    wait_until(page, "document.getElementById('id_orang-0-name').value === 'Rahmi Ramping'")
    assert page.input_value("#id_orang-0-home_region") == ""  # asked afresh at every crossing (SECURITY.md)
    assert "Sudah pernah tercatat" in page.locator(".lookup-result").first.inner_text()
    assert errors == []


def test_every_page_without_a_signal_says_so(live_server, new_page, rina):
    page = new_page(PHONE)
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    wait_until(page, "caches.match('/luring/').then(r => !!r)")
    page.context.set_offline(True)
    for path in ("/akun/keamanan/", "/pantau/", "/akun/masuk/", "/tidak-ada/"):
        page.goto(live_server.url + path)
        assert page.get_by_role("heading", level=1).inner_text() == "Tidak ada sinyal", path
    view(page, "field-offline-page-360")
    page.get_by_role("link", name="Ke formulir pencatatan").click()
    page.wait_for_url("**" + SHELL)
    assert page.locator("#entry-form").is_visible()
    page.goto(live_server.url + "/posko/hari-ini/")  # entry pages still go to the form
    page.wait_for_url("**" + SHELL)


def test_keystrokes_for_the_reference_traveller(live_server, new_page, rina):
    """The reference traveller of issue 14 (NIK, name, phone, address, origin, one stop, destination
    village; with the transport and purpose the form requires) typed with the keyboard alone costs
    at most 110 keys, at most 15 of them Tab. "Address" is the destination address, the one the form
    requires (the home address is optional, behind "Alamat asal"); the stop is picked with the
    same search as the origin and keeps the dates a new stop starts with (the whole 14 days)."""
    from datetime import timedelta

    from django.utils import timezone

    page = new_page(PHONE)
    browser_login(page, live_server, "petugas")
    page.wait_for_url("**" + SHELL)
    keys = {"all": 0, "tab": 0}

    def type_(text):
        page.keyboard.type(text)
        keys["all"] += len(text)

    def press(key):
        page.keyboard.press(key)
        keys["all"] += 1
        if key == "Tab":
            keys["tab"] += 1

    def tab_to(element_id):
        for _ in range(60):
            if page.evaluate("document.activeElement.id") == element_id:
                return
            press("Tab")
            page.wait_for_timeout(20)
        raise AssertionError(f"never reached {element_id}")

    today = timezone.localdate()
    page.focus("#id_orang-0-id_number")  # where the form starts
    nik = make_nik(sex="P")
    type_(nik)
    tab_to("id_orang-0-name")
    type_("Siti Rahmah")
    tab_to("id_orang-0-phone")
    type_("081234567890")
    tab_to("id_origin-search")
    type_("kota jambi")
    press("Enter")  # picks the first match; focus moves on to the transport
    wait_until(page, "document.activeElement.id === 'id_transport'")
    type_("m")  # Mobil pribadi
    tab_to("id_orang-0-destination-search")
    type_("alang laweh")
    press("Enter")
    wait_until(page, "document.activeElement.id === 'id_orang-0-destination_address'")
    type_("Jl. Sutan Syahrir 5")
    tab_to("id_orang-0-purpose")
    type_("m")  # Mengunjungi keluarga
    for _ in range(30):  # on to "+ Tambah tempat"
        if page.evaluate("document.activeElement.dataset.rows === 'stops'"):
            break
        press("Tab")
    press("Enter")
    wait_until(page, "document.activeElement.id === 'id_riwayat-0-region-search'")
    type_("kota jambi")
    press("Enter")
    wait_until(page, "document.getElementById('id_riwayat-0-region').value === '15.71'")
    press("Control+Enter")
    page.wait_for_url("**" + SHELL)
    wait_until(page, "document.querySelector('.messages') !== null")
    arrival = Arrival.objects.get()
    assert (arrival.origin.code, arrival.destination.code, arrival.transport, arrival.purpose) == (
        "15.71",
        "13.71.01.1002",
        "car",
        "family",
    )
    assert (arrival.person.sex, arrival.person.birth_date.isoformat()) == ("P", "1990-05-17")  # from the NIK
    stop = arrival.travel_stops.get()
    assert (stop.region.code, stop.date_from, stop.date_to) == ("15.71", today - timedelta(days=14), today)
    print(f"reference traveller: {keys['all']} keys, {keys['tab']} of them Tab")
    assert keys["tab"] <= 15
    assert keys["all"] <= 110

    # The next traveller: the last origin is offered, never filled in unasked; one key takes it.
    assert page.input_value("#id_origin") == ""
    offer = page.get_by_role("button", name="Sama dengan sebelumnya: Kota Jambi")
    offer.focus()
    page.keyboard.press("Enter")
    wait_until(page, "document.getElementById('id_origin').value === '15.71'")
    assert page.evaluate("document.activeElement.id") == "id_transport"
    assert not offer.is_visible()


def unambiguous_villages(count):
    """`count` nagari/desa/kelurahan of the home province, across its regencies, whose name typed
    alone finds that village first in the destination picker (no other village or hamlet name holds it)."""
    from regions.models import Region

    rows = list(Region.objects.current().within("13").filter(level__gte=Region.Level.VILLAGE).values("code", "name"))
    folded = [r["name"].lower() for r in rows]
    chosen, per_regency = [], {}
    for row in sorted(rows, key=lambda r: r["code"][-4:] + r["code"]):
        if row["code"].count(".") != 3 or row["code"].startswith("13.71.01"):  # Alang Laweh's kecamatan: the demo's
            continue
        name = row["name"].lower()
        if len(name) < 6 or sum(name in other for other in folded) != 1:
            continue
        regency = row["code"][:5]
        if per_regency.get(regency, 0) >= 3:
            continue
        per_regency[regency] = per_regency.get(regency, 0) + 1
        chosen.append((row["name"], row["code"]))
        if len(chosen) == count:
            return chosen
    raise AssertionError(f"only {len(chosen)} unambiguous villages")


def test_fifty_travellers_offline_to_destinations_picked_on_the_phone(live_server, new_page, rina):
    """Issue 14's drill: 50 travellers entered without a signal, each destination found by typing its
    name in the picker (no list of that area ever opened online), the tab closed half-way, a flaky
    sync (refused connections, then 503s, then an answer lost after the server stored it): 50
    stored, none lost, none twice, and a repeat warned on the phone."""
    villages = unambiguous_villages(50)
    page = new_page(PHONE)
    context = page.context
    browser_login(page, live_server, "petugas")
    ready_offline(page)
    ready_regions(page)
    context.set_offline(True)
    page.reload()
    niks = [make_nik(serial=2001 + n) for n in range(50)]
    for n, (name, code) in enumerate(villages):
        if n == 25:  # the tab is closed and the form opened again, still without a signal
            page.close()
            page = context.new_page()
            page.goto(live_server.url + SHELL)
            wait_outbox(page, waiting=25)
        fill_quickly(page, niks[n], f"Pelaku Luring {n + 1}")
        page.evaluate("document.getElementById('id_orang-0-destination').value = ''")
        page.fill("#id_orang-0-destination-search", name)
        page.keyboard.press("Enter")
        wait_until(page, f"document.getElementById('id_orang-0-destination').value === '{code}'")
        save(page)
        wait_outbox(page, waiting=n + 1)
    # The same NIK again within 6 hours, offline: warned on the phone, nothing queued.
    fill_quickly(page, niks[7], "Pelaku Luring 8")
    save(page)
    page.locator(".repeat-warning").wait_for()
    assert outbox(page)["waiting"] == 50

    answers = {"n": 0}

    def flaky(route):
        answers["n"] += 1
        n = answers["n"]
        if n <= 3:
            route.abort("connectionrefused")
        elif n <= 6:
            route.fulfill(status=503, content_type="application/json", body="{}")
        elif n == 10:
            route.fetch()  # stored by the server; the answer never reaches the phone
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/posko/api/kedatangan/", flaky)
    context.set_offline(False)
    for _ in range(40):
        if outbox(page)["waiting"] == 0:
            break
        button = page.locator(".outbox-send")
        if button.is_visible():
            button.click()
        page.wait_for_timeout(500)
    wait_outbox(page, waiting=0, rejected=0, state="sent")
    assert answers["n"] >= 56  # every failure above happened, and was sent again
    stored = dict(Arrival.objects.values_list("person__id_number", "destination__code"))
    assert Arrival.objects.count() == 50
    assert stored == {nik: code for nik, (_name, code) in zip(niks, villages, strict=True)}
